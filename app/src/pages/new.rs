//! Intake page: the register form. Saved to IndexedDB first; confirmed only after the write committed.
//! What is typed is kept as a draft in localStorage until the record is safely stored.

use crate::ctx::{now, random10, use_ctx};
use crate::i18n::{self, K};
use crate::store::prefs::{self, Draft};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use siteline_model::validation::{validate_new, ValidationErrors};
use siteline_model::{category, Channel, Complainant, NewComplaint, Phone, Severity};

/// Builds the record from the form, normalising the phone number when it is valid.
fn to_new(d: &Draft) -> NewComplaint {
    let opt = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let phone = opt(&d.complainant_phone).map(|p| {
        Phone::parse(&p)
            .map(|p| p.as_str().to_string())
            .unwrap_or(p)
    });
    NewComplaint {
        provisional_number: "P-pending".into(),
        description: d.description.trim().to_string(),
        location: d.location.trim().to_string(),
        category: d.category.clone(),
        severity: Severity::parse(&d.severity).unwrap_or_default(),
        channel: Channel::parse(&d.channel).unwrap_or_default(),
        complainant: Complainant {
            name: opt(&d.complainant_name),
            phone,
            ..Default::default()
        },
        ..Default::default()
    }
}

#[component]
pub fn NewPage() -> impl IntoView {
    let ctx = use_ctx();
    let draft = RwSignal::new(prefs::load_draft());
    Effect::new(move |_| draft.with(prefs::save_draft));
    let errors = RwSignal::new(ValidationErrors::default());
    let save_error = RwSignal::new(None::<String>);
    let navigate = use_navigate();

    let save = Action::new_local(move |fields: &NewComplaint| {
        let fields = fields.clone();
        let navigate = navigate.clone();
        async move {
            let author = ctx.username().unwrap_or_default();
            let change = ctx.replica.with_untracked(|r| {
                r.as_ref()
                    .map(|r| r.prepare_new(fields, &author, now(), random10()))
            });
            let Some(change) = change else { return };
            let id = change.events[0].event.complaint_id;
            match ctx.commit(change).await {
                Ok(()) => {
                    prefs::clear_draft();
                    ctx.poke_sync();
                    navigate(&format!("/complaints/{id}"), Default::default());
                }
                Err(e) => save_error.set(Some(e.to_string())),
            }
        }
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save_error.set(None);
        let fields = draft.with_untracked(to_new);
        match validate_new(&fields) {
            Ok(()) => {
                errors.set(ValidationErrors::default());
                save.dispatch_local(fields);
            }
            Err(e) => errors.set(e),
        }
    };

    let recent = Memo::new(move |_| {
        ctx.replica.with(|r| {
            let mut v: Vec<(siteline_model::Timestamp, String)> = r
                .as_ref()
                .map(|r| {
                    r.complaints()
                        .values()
                        .map(|c| (c.captured_at, c.location.clone()))
                        .collect()
                })
                .unwrap_or_default();
            v.sort_by_key(|e| std::cmp::Reverse(e.0));
            let mut out: Vec<String> = Vec::new();
            for (_, l) in v {
                if !out.contains(&l) && out.len() < 12 {
                    out.push(l);
                }
            }
            out
        })
    });

    let field_error = move |field: &'static str| {
        move || {
            errors.with(|e| e.for_field(field)).map(
                |code| view! { <span class="field-error">{ctx.t(i18n::validation(code))}</span> },
            )
        }
    };
    macro_rules! bind {
        ($f:ident) => {
            (
                move || draft.with(|d| d.$f.clone()),
                move |ev| draft.update(|d| d.$f = event_target_value(&ev)),
            )
        };
    }
    let (desc, set_desc) = bind!(description);
    let (loc, set_loc) = bind!(location);
    let (cat, set_cat) = bind!(category);
    let (sev, set_sev) = bind!(severity);
    let (chan, set_chan) = bind!(channel);
    let (name, set_name) = bind!(complainant_name);
    let (phone, set_phone) = bind!(complainant_phone);

    view! {
        <section class="intake">
            <h2>{move || ctx.t(K::NewComplaint)}</h2>
            <form on:submit=submit novalidate>
                <Show when=move || !errors.with(ValidationErrors::is_empty)>
                    <p class="error" role="alert" data-testid="form-error">{move || ctx.t(K::FixErrors)}</p>
                </Show>
                <Show when=move || save_error.get().is_some()>
                    <p class="error" role="alert" data-testid="form-error">{move || ctx.t(K::SaveFailed)} {move || save_error.get()}</p>
                </Show>
                <label class="wide">{move || ctx.t(K::Location)} " *" {field_error("location")}
                    <input name="location" list="recent-locations" prop:value=loc on:input=set_loc autocomplete="off"/>
                    <datalist id="recent-locations">
                        <For each=move || recent.get() key=|l| l.clone() children=|l| view! { <option value=l/> }/>
                    </datalist>
                </label>
                <label>{move || ctx.t(K::Category)} " *" {field_error("category")}
                    <select name="category" prop:value=cat on:change=set_cat>
                        <option value="">{move || ctx.t(K::ChooseCategory)}</option>
                        {category::top_level().map(|top| {
                            let kids: Vec<_> = category::children(top.code).collect();
                            let top_code = top.code;
                            view! {
                                <optgroup label=move || i18n::category_name(top_code, ctx.lang.get())>
                                    <option value=top.code>{move || i18n::category_name(top_code, ctx.lang.get())}</option>
                                    {kids.into_iter().map(|c| {
                                        let code = c.code;
                                        view! { <option value=code>{move || i18n::category_name(code, ctx.lang.get())}</option> }
                                    }).collect_view()}
                                </optgroup>
                            }
                        }).collect_view()}
                    </select>
                </label>
                <label>{move || ctx.t(K::Severity)}
                    <select name="severity" prop:value=move || { let s = sev(); if s.is_empty() { "minor".to_string() } else { s } } on:change=set_sev>
                        {Severity::ALL.map(|s| view! { <option value=s.code()>{move || i18n::severity(s, ctx.lang.get())}</option> }).collect_view()}
                    </select>
                </label>
                <label>{move || ctx.t(K::Channel)}
                    <select name="channel" prop:value=move || { let c = chan(); if c.is_empty() { "visit".to_string() } else { c } } on:change=set_chan>
                        {Channel::ALL.map(|c| view! { <option value=c.code()>{move || i18n::channel(c, ctx.lang.get())}</option> }).collect_view()}
                    </select>
                </label>
                <label class="wide">{move || ctx.t(K::Description)} " *" {field_error("description")}
                    <textarea name="description" rows="4" prop:value=desc on:input=set_desc></textarea>
                </label>
                <label>{move || ctx.t(K::ComplainantName)} {field_error("complainant_name")}
                    <input name="complainant_name" prop:value=name on:input=set_name placeholder=move || ctx.t(K::Anonymous)/>
                </label>
                <label>{move || ctx.t(K::ComplainantPhone)} {field_error("complainant_phone")}
                    <input name="complainant_phone" type="tel" inputmode="tel" prop:value=phone on:input=set_phone/>
                </label>
                <div class="actions wide">
                    <button type="submit" class="primary" data-testid="save-complaint" disabled=move || save.pending().get()>
                        {move || if save.pending().get() { ctx.t(K::Saving) } else { ctx.t(K::Save) }}
                    </button>
                </div>
            </form>
        </section>
    }
}
