//! The printable 《投诉处理通知单》 (complaint handling notice): the 编号, every register field, the
//! dispatch with its instructions and time limits, handling / reply / follow-up sections (filled when
//! known, ruled blank lines otherwise) and signature lines. Fits one A4 page (A5 scaled down).

use crate::ctx::{now, use_ctx, AppCtx};
use crate::i18n::{self, Lang, K};
use crate::logic::notice::{facts, NoticeFacts, Step};
use crate::pages::detail::use_complaint;
use leptos::prelude::*;
use siteline_model::{Complaint, Satisfaction};

#[component]
pub fn NoticePage() -> impl IntoView {
    let ctx = use_ctx();
    let (id, complaint) = use_complaint();
    let facts = Memo::new(move |_| {
        complaint.with(|c| {
            let c = c.as_ref()?;
            ctx.replica.with(|r| {
                r.as_ref()
                    .map(|r| facts(c, r.events_of(&c.id).into_iter().map(|s| &s.event)))
            })
        })
    });
    let print = move |_| {
        if let Some(w) = web_sys::window() {
            // Printing unsupported (rare) only means nothing happens.
            let _ = w.print();
        }
    };
    let back = move || {
        id.get()
            .map(|id| format!("/complaints/{id}"))
            .unwrap_or_default()
    };
    view! {
        <div class="notice-tools no-print">
            <button type="button" class="primary" data-testid="print" on:click=print>{move || ctx.t(K::Print)}</button>
            <a class="button" href=back>{move || ctx.t(K::Back)}</a>
        </div>
        {move || {
            let lang = ctx.lang.get();
            match (complaint.get(), facts.get()) {
                (Some(c), Some(f)) => render(ctx, &c, &f, lang).into_any(),
                _ => view! { <p class="muted" data-testid="not-found">{ctx.t(K::NotFound)}</p> }.into_any(),
            }
        }}
    }
}

/// A cell: the text, or a ruled blank to write in.
fn fill(text: String, lines: usize) -> AnyView {
    if text.trim().is_empty() {
        view! { <td colspan="3" class=format!("blank lines-{lines}")></td> }.into_any()
    } else {
        view! { <td colspan="3" class="pre">{text}</td> }.into_any()
    }
}

fn when(s: &Option<Step>) -> String {
    s.as_ref().map(|s| s.at.to_string()).unwrap_or_default()
}

fn render(ctx: AppCtx, c: &Complaint, f: &NoticeFacts, lang: Lang) -> impl IntoView {
    let t = |k: K| k.get(lang);
    let cp = &c.complainant;
    let (name, phone) = if cp.anonymous {
        (t(K::Anonymous).to_string(), String::new())
    } else {
        (
            cp.name.clone().unwrap_or_default(),
            cp.phone.clone().unwrap_or_default(),
        )
    };
    let custom = ctx.custom_categories.get_untracked();
    let site = ctx.sites.with_untracked(|s| {
        s.iter()
            .find(|s| s.code == c.site)
            .or(s.first())
            .map(|s| s.name.clone())
    });
    let deadlines = ctx.clock.with_untracked(|k| k.deadlines(c, now()));
    let dept = c
        .department
        .as_deref()
        .map(|d| i18n::department_name(d, lang))
        .unwrap_or_default();
    let sat_box = |s: Satisfaction| {
        let on = f.satisfaction == Some(s);
        format!(
            "{} {}",
            if on { "☑" } else { "☐" },
            i18n::satisfaction(s, lang)
        )
    };
    let sign = |k: K, step: &Option<Step>| {
        let rec = step
            .as_ref()
            .map(|s| format!("{}：{} {}", t(K::Recorded), s.by, s.at));
        view! {
            <div class="sign">
                <div>{t(k)} "（" {t(K::Signature)} "）" <span class="line"></span></div>
                <div>{t(K::Date)} <span class="line short"></span></div>
                <small class="muted">{rec}</small>
            </div>
        }
    };
    view! {
        <article class="notice" data-testid="notice">
            <header class="notice-head">
                <div class="notice-site">{site}</div>
                <h1>{t(K::NoticeTitle)}{(lang == Lang::En).then_some(" 投诉处理通知单")}</h1>
                <div class="notice-no">
                    {t(K::Number)} " "
                    <b data-testid="notice-number">{c.display_number().to_string()}</b>
                    {c.number.is_none().then(|| view! { <span class="prov">{t(K::ProvisionalMark)}</span> })}
                </div>
            </header>
            <table class="notice-table">
                <colgroup><col class="k"/><col/><col class="k"/><col/></colgroup>
                <tbody>
                    <tr><th>{t(K::CapturedAt)}</th><td>{c.captured_at.to_string()}</td><th>{t(K::CreatedBy)}</th><td>{ctx.people.with_untracked(|p| p.name(&c.created_by, lang))}</td></tr>
                    <tr><th>{t(K::Channel)}</th><td>{i18n::channel(c.channel, lang)}</td><th>{t(K::Severity)}</th><td>{i18n::severity(c.severity, lang)}</td></tr>
                    <tr><th>{t(K::Category)}</th><td>{i18n::category_name_with(&c.category, lang, &custom)}</td><th>{t(K::Nature)}</th><td>{i18n::nature(c.nature, lang)}</td></tr>
                    <tr><th>{t(K::Complainant)}</th><td>{name}</td><th>{t(K::ComplainantPhone)}</th><td>{phone}</td></tr>
                    <tr><th>{t(K::ComplainantUnit)}</th><td>{cp.unit.clone()}</td><th>{t(K::CustomerType)}</th><td>{cp.customer_type.filter(|_| !cp.anonymous).map_or("—", |t| i18n::customer_type(t, lang))}</td></tr>
                    <tr><th>{t(K::Location)}</th><td colspan="3">{c.location.clone()}</td></tr>
                    <tr class="tall"><th>{t(K::Description)}</th><td colspan="3" class="pre">{c.description.clone()}</td></tr>
                    <tr><th>{t(K::Wants)}</th>{fill(c.wants.clone(), 1)}</tr>
                    <tr><th>{t(K::Against)}</th>{fill(c.against.clone(), 1)}</tr>
                    <tr><th>{t(K::PromisedReplyAt)}</th><td colspan="3">{c.promised_reply_at.map(|p| p.to_string())}</td></tr>
                    <tr class="section"><th colspan="4">{t(K::Dispatch)}</th></tr>
                    <tr><th>{t(K::Department)}</th><td>{dept}</td><th>{t(K::DispatchedAt)}</th><td>{when(&f.dispatched)}</td></tr>
                    <tr><th>{t(K::Instructions)}</th>{fill(f.instructions.clone(), 1)}</tr>
                    <tr><th>{t(K::Deadlines)}</th><td colspan="3" class="deadline-cells">
                        {deadlines.iter().map(|d| view! {
                            <span class="due">{i18n::deadline_kind(d.kind, lang)} "：" {d.due_at.to_string()}</span>
                        }).collect_view()}
                    </td></tr>
                    <tr class="section"><th colspan="4">{t(K::Handling)}</th></tr>
                    <tr><th>{t(K::Remedial)}</th>{fill(c.remedial.clone(), 2)}</tr>
                    <tr><th>{t(K::Corrective)}</th>{fill(c.corrective.clone(), 2)}</tr>
                    <tr><th>{t(K::HandledAt)}</th><td>{when(&f.handled)}</td><th>{t(K::RepliedAt)}</th><td>{when(&f.replied)}</td></tr>
                    <tr><th>{t(K::ReplyContent)}</th>{fill(c.reply.clone(), 2)}</tr>
                    <tr class="section"><th colspan="4">{t(K::FollowUp)}</th></tr>
                    <tr><th>{t(K::Satisfaction)}</th><td colspan="3" class="boxes">
                        {Satisfaction::ALL.map(|s| view! { <span>{sat_box(s)}</span> }).collect_view()}
                    </td></tr>
                    <tr><th>{t(K::FollowUpNote)}</th>{fill(f.follow_up_note.clone(), 1)}</tr>
                    <tr><th>{t(K::Summary)}</th>{fill(f.summary.clone(), 1)}</tr>
                </tbody>
            </table>
            <div class="signatures">
                {sign(K::Dispatcher, &f.dispatched)}
                {sign(K::Receiver, &f.accepted)}
                {sign(K::HandlerSign, &f.handled)}
                {sign(K::Visitor, &f.followed_up)}
            </div>
        </article>
    }
}
