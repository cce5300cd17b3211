//! The register fields of a complaint as recorded (《客户投诉登记表》), with who/when captured and
//! received, and the handling results so far. Read-only, so it simply re-renders on change.

use crate::ctx::{use_ctx, AppCtx};
use crate::i18n::{self, Lang, K};
use leptos::prelude::*;
use siteline_model::{Complaint, ComplaintId, Timestamp};

/// What the fields show besides the complaint itself.
#[derive(Clone, Debug, PartialEq)]
struct Extra {
    received_at: Option<Timestamp>,
    merged_into: Option<String>,
}

#[component]
pub fn RegisterFields(id: ComplaintId, complaint: Memo<Option<Complaint>>) -> impl IntoView {
    let ctx = use_ctx();
    let extra = Memo::new(move |_| {
        let into = complaint.with(|c| c.as_ref().and_then(|c| c.merged_into));
        ctx.replica.with(|r| {
            let r = r.as_ref()?;
            Some(Extra {
                received_at: r.received_at(&id),
                merged_into: into.map(|t| {
                    r.complaint(&t)
                        .map_or_else(|| t.to_string(), |c| c.display_number().to_string())
                }),
            })
        })
    });
    move || {
        let lang = ctx.lang.get();
        let extra = extra.get()?;
        complaint.with(|c| c.as_ref().map(|c| render(ctx, c, &extra, lang)))
    }
}

fn render(ctx: AppCtx, c: &Complaint, x: &Extra, lang: Lang) -> AnyView {
    let t = |k: K| k.get(lang);
    let custom = ctx.custom_categories.get();
    let mut rows: Vec<(K, &'static str, String)> = vec![
        (K::Location, "location", c.location.clone()),
        (
            K::Category,
            "category",
            i18n::category_name_with(&c.category, lang, &custom),
        ),
        (K::Channel, "channel", i18n::channel(c.channel, lang).into()),
        (K::Nature, "nature", i18n::nature(c.nature, lang).into()),
        (K::Description, "description", c.description.clone()),
    ];
    let cp = &c.complainant;
    let who = if cp.anonymous {
        t(K::Anonymous).to_string()
    } else {
        cp.name.clone().unwrap_or_else(|| "—".into())
    };
    rows.push((K::Complainant, "complainant_name", who));
    if !cp.anonymous {
        let phone = cp.phone.clone().unwrap_or_else(|| "—".into());
        rows.push((K::ComplainantPhone, "complainant_phone", phone));
    }
    let unit = cp.unit.clone().unwrap_or_else(|| "—".into());
    rows.push((K::ComplainantUnit, "complainant_unit", unit));
    if let Some(t) = cp.customer_type.filter(|_| !cp.anonymous) {
        rows.push((
            K::CustomerType,
            "customer_type",
            i18n::customer_type(t, lang).to_string(),
        ));
    }
    let dash = |s: &str| {
        if s.trim().is_empty() {
            "—".to_string()
        } else {
            s.to_string()
        }
    };
    rows.push((K::Wants, "wants", dash(&c.wants)));
    rows.push((K::Against, "against", dash(&c.against)));
    let promised = c.promised_reply_at.map_or("—".into(), |p| p.to_string());
    rows.push((K::PromisedReplyAt, "promised_reply_at", promised));
    rows.push((
        K::CreatedBy,
        "created_by",
        ctx.people.with(|p| p.name(&c.created_by, lang)),
    ));
    let received = x.received_at.map_or_else(
        || t(K::NotOnServer).to_string(),
        |r| format!("{} {r}", t(K::ReceivedAt)),
    );
    rows.push((
        K::CapturedAt,
        "captured",
        format!("{} · {received}", c.captured_at),
    ));
    // Handling so far (only what is known).
    let mut opt = |k: K, f: &'static str, v: String| {
        if !v.trim().is_empty() {
            rows.push((k, f, v));
        }
    };
    let dept = c
        .department
        .as_deref()
        .map(|d| i18n::department_name(d, lang));
    opt(K::Department, "department", dept.unwrap_or_default());
    opt(K::Remedial, "remedial", c.remedial.clone());
    opt(K::Corrective, "corrective", c.corrective.clone());
    opt(K::ReplyContent, "reply", c.reply.clone());
    let sat = c
        .satisfaction
        .map(|s| i18n::satisfaction(s, lang).to_string());
    opt(K::Satisfaction, "satisfaction", sat.unwrap_or_default());
    opt(K::Reason, "reason", c.reason.clone());
    let voluntary = c
        .withdrawn_voluntarily
        .map(|v| t(if v { K::Yes } else { K::No }).to_string());
    opt(K::Voluntary, "voluntary", voluntary.unwrap_or_default());
    opt(
        K::MergedInto,
        "merged_into",
        x.merged_into.clone().unwrap_or_default(),
    );
    let esc: Vec<String> = c
        .escalations
        .iter()
        .map(|e| format!("{} ({})", i18n::severity(e.to, lang), e.at))
        .collect();
    opt(K::Escalated, "escalations", esc.join(", "));
    if !c.site.is_empty() {
        let name = ctx.sites.with(|s| {
            s.iter()
                .find(|s| s.code == c.site)
                .map_or_else(|| c.site.clone(), |s| s.name.clone())
        });
        rows.push((K::Site, "site", name));
    }
    view! {
        <dl class="fields">
            {rows.into_iter().map(|(k, field, v)| view! {
                <dt>{t(k)}</dt>
                <dd class="pre" data-field=field>{v}</dd>
            }).collect_view()}
        </dl>
    }
    .into_any()
}
