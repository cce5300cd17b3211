//! Intake page: the register form (《客户投诉登记表》). Saved to IndexedDB first; confirmed only after
//! the write committed. What is typed is kept as a draft in localStorage until the record is stored.

mod fields;

use crate::ctx::{now, random10, use_ctx};
use crate::i18n::{self, K};
use crate::logic::intake;
use crate::store::prefs::{self};
use fields::{CategoryField, CodeChips, ComplainantFields, DuplicateHint, Form, LocationField};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use siteline_model::validation::ValidationErrors;
use siteline_model::{Channel, Nature, NewComplaint, Severity};

#[component]
pub fn NewPage() -> impl IntoView {
    let ctx = use_ctx();
    let draft = RwSignal::new(prefs::load_draft());
    Effect::new(move |_| draft.with(prefs::save_draft));
    let errors = RwSignal::new(ValidationErrors::default());
    let form = Form { draft, errors };
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
        let site = ctx.site_code.get_untracked();
        let checked = draft.with_untracked(|d| {
            ctx.locations
                .with_untracked(|labels| intake::to_new(d, &site, labels))
        });
        match checked {
            Ok(fields) => {
                errors.set(ValidationErrors::default());
                save.dispatch_local(fields);
            }
            Err(e) => errors.set(e),
        }
    };

    let severity_label = |c: &str, l| Severity::parse(c).map_or("", |s| i18n::severity(s, l));
    let channel_label = |c: &str, l| Channel::parse(c).map_or("", |s| i18n::channel(s, l));
    let nature = move || {
        let v = form.text(|d| &d.nature)();
        if v.is_empty() {
            Nature::default().code().to_string()
        } else {
            v
        }
    };

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
                <LocationField form=form/>
                <CategoryField form=form/>
                <DuplicateHint form=form/>
                <label class="wide">{move || ctx.t(K::Description)} " *" {form.error("description")}
                    <textarea name="description" rows="4" prop:value=form.text(|d| &d.description)
                        on:input=form.set(|d, v| d.description = v)></textarea>
                </label>
                <CodeChips form=form name="severity" title=K::Severity
                    codes=Severity::ALL.iter().rev().map(|s| s.code()).collect()
                    label=severity_label get=|d| &d.severity set=|d, v| d.severity = v default="minor"/>
                <CodeChips form=form name="channel" title=K::Channel
                    codes=Channel::ALL.iter().map(|c| c.code()).collect()
                    label=channel_label get=|d| &d.channel set=|d, v| d.channel = v default="visit"/>
                <label>{move || ctx.t(K::Nature)}
                    <select name="nature" prop:value=nature on:change=form.set(|d, v| d.nature = v)>
                        {Nature::ALL.map(|n| view! { <option value=n.code()>{move || i18n::nature(n, ctx.lang.get())}</option> }).collect_view()}
                    </select>
                </label>
                <ComplainantFields form=form/>
                <label class="wide">{move || ctx.t(K::Wants)} {form.error("wants")}
                    <textarea name="wants" rows="2" prop:value=form.text(|d| &d.wants)
                        on:input=form.set(|d, v| d.wants = v)></textarea>
                </label>
                <label>{move || ctx.t(K::Against)} {form.error("against")}
                    <input name="against" autocomplete="off" prop:value=form.text(|d| &d.against)
                        on:input=form.set(|d, v| d.against = v)/>
                </label>
                <label>{move || ctx.t(K::PromisedReplyAt)} " (" {move || ctx.t(K::ChinaTime)} ")" {form.error("promised_reply_at")}
                    <input name="promised_reply_at" type="datetime-local" prop:value=form.text(|d| &d.promised_reply_at)
                        on:input=form.set(|d, v| d.promised_reply_at = v) on:change=form.set(|d, v| d.promised_reply_at = v)/>
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
