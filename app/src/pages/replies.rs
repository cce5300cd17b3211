//! `/replies`: 常用答复 — a site's reply and follow-up templates, added, edited and deleted by its
//! supervisors (and admins); the device's site data is refreshed after each change.

use crate::api::{Api, ApiError};
use crate::components::confirm::ConfirmButton;
use crate::ctx::{use_ctx, AppCtx, Conn};
use crate::i18n::K;
use crate::logic::replies::of_step;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;
use siteline_model::replies::{may_manage, ReplyStep, ReplyTemplate, ReplyTemplateInput};

fn step_label(step: ReplyStep) -> K {
    match step {
        ReplyStep::Reply => K::ReplyStepReply,
        ReplyStep::FollowUp => K::ReplyStepFollowUp,
    }
}

/// The form's problem in words, before anything is sent.
fn checked(input: &ReplyTemplateInput) -> Result<ReplyTemplateInput, K> {
    input.normalized().map_err(|p| match (p.field, p.code) {
        ("text", "required") => K::ReplyTextRequired,
        ("text", _) => K::ReplyTextTooLong,
        (_, "too_long") => K::ReplyTitleTooLong,
        _ => K::ReplyTitleInvalid,
    })
}

/// What a refused call means to the supervisor.
fn refusal(e: &ApiError) -> Option<K> {
    match e {
        ApiError::Network(_) => Some(K::RepliesOffline),
        ApiError::Server { status: 409, .. } => Some(K::RepliesFull),
        ApiError::Server { status: 404, .. } => Some(K::RepliesGone),
        ApiError::Server { status: 403, .. } => Some(K::RepliesForbidden),
        _ => None,
    }
}

/// Runs a change, says how it went, then refreshes the device's sites (templates included).
fn change<T: 'static>(
    ctx: AppCtx,
    msg: RwSignal<Option<String>>,
    done: impl FnOnce() + 'static,
    call: impl std::future::Future<Output = Result<T, ApiError>> + 'static,
) {
    spawn_local(async move {
        let r = call.await;
        msg.set(Some(match &r {
            Ok(_) => ctx.t(K::Saved).to_string(),
            Err(e) => refusal(e).map_or_else(|| e.to_string(), |k| ctx.t(k).to_string()),
        }));
        if r.is_ok() {
            done();
        }
        if let Ok(sites) = Api::new(ctx.token()).sites().await {
            ctx.set_sites(sites);
        }
    });
}

#[component]
pub fn RepliesPage() -> impl IntoView {
    let ctx = use_ctx();
    let query = use_query_map();
    let managed = Memo::new(move |_| {
        let Some(user) = ctx.user() else {
            return vec![];
        };
        ctx.sites.with(|s| {
            s.iter()
                .filter(|s| may_manage(&user, &s.code))
                .map(|s| (s.code.clone(), s.name.clone()))
                .collect::<Vec<_>>()
        })
    });
    let chosen = RwSignal::new(query.with_untracked(|q| q.get("site")).unwrap_or_default());
    let site = Memo::new(move |_| {
        let want = chosen.get();
        managed.with(|m| {
            m.iter()
                .find(|(c, _)| *c == want)
                .or_else(|| m.first())
                .map(|(c, _)| c.clone())
        })
    });
    let list = Memo::new(move |_| {
        let code = site.get().unwrap_or_default();
        ctx.sites.with(|s| {
            s.iter()
                .find(|s| s.code == code)
                .map(|s| s.replies.clone())
                .unwrap_or_default()
        })
    });
    let msg = RwSignal::new(None::<String>);
    let offline = move || ctx.conn.get() == Conn::Offline;
    view! {
        <section class="replies-page" data-testid="replies-page">
            <h2>{move || ctx.t(K::Replies)}</h2>
            <p class="hint">{move || ctx.t(K::RepliesIntro)}</p>
            <Show when=move || !managed.with(Vec::is_empty)
                fallback=move || view! { <p>{move || ctx.t(K::RepliesForbidden)}</p> }>
                <label>{move || ctx.t(K::Site)}
                    <select name="replies_site" data-testid="replies-site"
                        prop:value=move || site.get().unwrap_or_default()
                        on:change=move |ev| chosen.set(event_target_value(&ev))>
                        <For each=move || managed.get() key=|s| s.0.clone() let:s>
                            <option value=s.0.clone()>{format!("{} {}", s.0, s.1)}</option>
                        </For>
                    </select>
                </label>
                <Show when=offline>
                    <p class="note" role="status">{move || ctx.t(K::RepliesOffline)}</p>
                </Show>
                <p class="form-msg" role="status" data-testid="replies-msg">{move || msg.get()}</p>
                {ReplyStep::ALL.map(|step| {
                    let of = Memo::new(move |_| list.with(|l| of_step(l, step)));
                    view! {
                        <h3>{move || ctx.t(step_label(step))}</h3>
                        <Show when=move || of.with(Vec::is_empty)>
                            <p class="hint">{move || ctx.t(K::ReplyNone)}</p>
                        </Show>
                        // Keyed by content: a refresh of the site data keeps unchanged rows as they are.
                        <ul class="templates" data-step=step.code()>
                            <For each=move || of.get()
                                key=|t| (t.id.clone(), t.step, t.title.clone(), t.text.clone())
                                let:t>
                                <Row site=site.get_untracked().unwrap_or_default() t msg/>
                            </For>
                        </ul>
                    }
                }).collect_view()}
                {move || site.get().map(|code| view! { <Editor site=code t=None msg/> })}
            </Show>
        </section>
    }
}

/// One template: its label and text, 修改 (the editor in its place) and 删除 (after a confirm).
#[component]
fn Row(site: String, t: ReplyTemplate, msg: RwSignal<Option<String>>) -> impl IntoView {
    let ctx = use_ctx();
    let editing = RwSignal::new(false);
    let (id, title, text) = (t.id.clone(), t.title.clone(), t.text.clone());
    let delete_site = site.clone();
    let on_delete = move |_| {
        let (site, id) = (delete_site.clone(), id.clone());
        let api = Api::new(ctx.token());
        change(ctx, msg, || (), async move {
            api.delete_reply(&site, &id).await
        });
    };
    view! {
        <li data-testid="template-row">
            <Show when=move || editing.get()
                fallback=move || view! {
                    <strong>{title.clone()}</strong>
                    <p class="template-text">{text.clone()}</p>
                    <button type="button" data-testid="template-edit" on:click=move |_| editing.set(true)>
                        {move || ctx.t(K::ReplyEdit)}
                    </button>
                }>
                <Editor site=site.clone() t=Some(t.clone()) msg/>
            </Show>
            <ConfirmButton label=K::ReplyDelete testid="template-delete" warning=K::ReplyDeleteWarning
                confirm=K::ReplyDeleteConfirm on_confirm=on_delete/>
        </li>
    }
}

/// The add form (`t` none) or a template's edit form.
#[component]
fn Editor(site: String, t: Option<ReplyTemplate>, msg: RwSignal<Option<String>>) -> impl IntoView {
    let ctx = use_ctx();
    let step = RwSignal::new(t.as_ref().map_or(ReplyStep::Reply, |t| t.step));
    let title = RwSignal::new(t.as_ref().map(|t| t.title.clone()).unwrap_or_default());
    let text = RwSignal::new(t.as_ref().map(|t| t.text.clone()).unwrap_or_default());
    let problem = RwSignal::new(None::<K>);
    let id = t.map(|t| t.id);
    let adding = id.is_none();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = ReplyTemplateInput {
            step: step.get_untracked(),
            title: title.get_untracked(),
            text: text.get_untracked(),
        };
        let input = match checked(&input) {
            Ok(i) => i,
            Err(k) => return problem.set(Some(k)),
        };
        problem.set(None);
        let (site, id) = (site.clone(), id.clone());
        let api = Api::new(ctx.token());
        let clear = move || {
            if adding {
                title.set(String::new());
                text.set(String::new());
            }
        };
        change(ctx, msg, clear, async move {
            match id {
                Some(id) => api.change_reply(&site, &id, &input).await.map(|_| ()),
                None => api.add_reply(&site, &input).await.map(|_| ()),
            }
        });
    };
    let error_id = if adding {
        "template-error"
    } else {
        "template-edit-error"
    };
    view! {
        <form class="template-form" data-testid=if adding { "template-add" } else { "template-editor" } on:submit=submit>
            <div class="chips" role="radiogroup" aria-label=move || ctx.t(K::ReplyFor)>
                {ReplyStep::ALL.map(|s| view! {
                    <button type="button" class="chip" role="radio" data-step=s.code()
                        aria-checked=move || (step.get() == s).to_string()
                        class:on=move || step.get() == s
                        on:click=move |_| step.set(s)>{move || ctx.t(step_label(s))}</button>
                }).collect_view()}
            </div>
            <label>{move || ctx.t(K::ReplyTitle)}
                <input name="title" maxlength="16" prop:value=move || title.get()
                    on:input=move |ev| title.set(event_target_value(&ev))/>
            </label>
            <label>{move || ctx.t(K::ReplyText)} " *"
                <textarea name="text" rows="3" maxlength="500" aria-describedby=error_id
                    aria-invalid=move || problem.get().is_some().to_string()
                    prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            </label>
            <span class="field-error" id=error_id role="alert">{move || problem.get().map(|k| ctx.t(k))}</span>
            <button type="submit" class="primary" disabled=move || ctx.conn.get() == Conn::Offline>
                {move || ctx.t(if adding { K::ReplyAdd } else { K::Save })}
            </button>
        </form>
    }
}
