//! Intake page: the register form (《客户投诉登记表》) with photos. Saved to IndexedDB first (events,
//! and the photos' upload state with their blobs checked, in one transaction); confirmed only
//! after the write committed. What is typed is kept as a draft in localStorage until the record is
//! stored. `?fix=<id>` corrects a record the server refused: saving submits a new record and
//! removes the refused one in the same transaction.

mod category;
mod fields;
mod location;
mod photos;

use crate::components::banners;
use crate::components::toast::use_toasts;
use crate::ctx::{now, random10, use_ctx, AppCtx};
use crate::i18n::{self, K};
use crate::logic::upload::UploadRecord;
use crate::logic::{intake, record};
use crate::store::prefs::{self, Draft};
use category::CategoryField;
use fields::{CodeChips, ComplainantFields, DuplicateHint, Form};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use location::LocationField;
use siteline_model::validation::ValidationErrors;
use siteline_model::{Channel, ComplaintId, EventKind, Nature, NewComplaint, Severity};

/// The refused record being corrected, if `?fix=<id>` names one whose creation was refused.
fn fix_target(ctx: AppCtx, fix: Option<ComplaintId>) -> Option<(ComplaintId, NewComplaint)> {
    let id = fix?;
    ctx.replica.with_untracked(|r| {
        let r = r.as_ref()?;
        if !record::rejection(r, &id)?.whole_record {
            return None;
        }
        r.events_of(&id)
            .into_iter()
            .find_map(|s| match &s.event.kind {
                EventKind::Created(n) => Some((id, (**n).clone())),
                _ => None,
            })
    })
}

/// The toast after saving: saved on this device, and the reply time to tell the complainant.
fn saved_lines(ctx: AppCtx, id: ComplaintId) -> Vec<String> {
    let lang = ctx.lang.get_untracked();
    let due = ctx.replica.with_untracked(|r| {
        let c = r.as_ref()?.complaint(&id)?;
        let deadlines = ctx.clock.with_untracked(|k| k.deadlines(c, now()));
        intake::reply_to_tell(&deadlines)
    });
    let mut lines = vec![K::SavedOnDevice.get(lang).to_string()];
    if let Some(t) = due {
        lines.push(format!("{}{t}", K::TellReplyBy.get(lang)));
    }
    lines
}

#[component]
pub fn NewPage() -> impl IntoView {
    let ctx = use_ctx();
    let query = use_query_map();
    let fix_id = query.with_untracked(|q| q.get("fix").and_then(|s| s.parse::<ComplaintId>().ok()));
    let fixing = fix_target(ctx, fix_id);
    let fix = fixing.as_ref().map(|(id, _)| *id);
    let initial: Draft = match &fixing {
        Some((id, n)) => prefs::load_draft_for(Some(*id)).unwrap_or_else(|| intake::draft_from(n)),
        None => prefs::load_draft(),
    };
    let draft = RwSignal::new(initial);
    Effect::new(move |_| draft.with(|d| prefs::save_draft_for(fix, d)));
    // An app update waits while something typed here is unsaved.
    Effect::new(move |_| {
        let typing = draft.with(Draft::has_input);
        ctx.typing.update(|t| {
            if typing {
                t.insert("intake");
            } else {
                t.remove("intake");
            }
        });
    });
    on_cleanup(move || {
        ctx.typing.try_update(|t| t.remove("intake"));
    });
    let errors = RwSignal::new(ValidationErrors::default());
    let form = Form { draft, errors };
    let save_error = RwSignal::new(None::<String>);
    let navigate = use_navigate();
    let toasts = use_toasts();
    toasts.clear();

    let save = Action::new_local(move |fields: &NewComplaint| {
        let fields = fields.clone();
        let navigate = navigate.clone();
        async move {
            let author = ctx.username().unwrap_or_default();
            let uploads: Vec<UploadRecord> = fields
                .attachments
                .iter()
                .map(|a| UploadRecord::new(a, &author))
                .collect();
            let prepared = ctx.replica.with_untracked(|r| {
                r.as_ref().map(|r| {
                    let discard = fix.map(|f| record::discard_plan(r, &f)).unwrap_or_default();
                    (r.prepare_new(fields, &author, now(), random10()), discard)
                })
            });
            let Some((change, discard)) = prepared else {
                return;
            };
            let id = change.events[0].event.complaint_id;
            match ctx.commit_with(change, uploads, &discard).await {
                Ok(()) => {
                    prefs::clear_draft_for(fix);
                    ctx.typing.update(|t| {
                        t.remove("intake");
                    });
                    ctx.poke_sync();
                    toasts.show(saved_lines(ctx, id));
                    navigate(&format!("/complaints/{id}"), Default::default());
                    banners::after_save(ctx);
                }
                // Nothing is lost: the form keeps everything as typed.
                Err(e) => save_error.set(Some(ctx.save_error_text(&e))),
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
                    <p class="error" role="alert" data-testid="form-error">{move || save_error.get()}</p>
                </Show>
                {fix.map(|_| view! { <p class="banner warn wide" data-testid="fixing-record">{move || ctx.t(K::FixingRecord)}</p> })}
                <LocationField form=form/>
                <CategoryField form=form/>
                <DuplicateHint form=form/>
                <label class="wide">{move || ctx.t(K::Description)} " *" {form.error("description")}
                    <textarea name="description" rows="4" aria-describedby="description-error" aria-invalid=form.invalid("description") prop:value=form.text(|d| &d.description)
                        on:input=form.set(|d, v| d.description = v)></textarea>
                </label>
                <photos::IntakePhotos form=form/>
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
                    <textarea name="wants" rows="2" aria-describedby="wants-error" aria-invalid=form.invalid("wants") prop:value=form.text(|d| &d.wants)
                        on:input=form.set(|d, v| d.wants = v)></textarea>
                </label>
                <label>{move || ctx.t(K::Against)} {form.error("against")}
                    <input name="against" autocomplete="off" aria-describedby="against-error" aria-invalid=form.invalid("against") prop:value=form.text(|d| &d.against)
                        on:input=form.set(|d, v| d.against = v)/>
                </label>
                <label>{move || ctx.t(K::PromisedReplyAt)} " (" {move || ctx.t(K::ChinaTime)} ")" {form.error("promised_reply_at")}
                    <input name="promised_reply_at" type="datetime-local" aria-describedby="promised_reply_at-error" aria-invalid=form.invalid("promised_reply_at") prop:value=form.text(|d| &d.promised_reply_at)
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
