//! The fields each lifecycle action needs, bound to the shared action state (so typed text survives
//! syncs and refused submits): department + instructions (派单), department + reason (转派),
//! remedial + corrective (处理), reply (答复), satisfaction + note (回访), summary (完结), reason
//! (退单), reason + voluntary (撤诉), target number (合并); the site's 常用答复 on 答复 and 回访.

use super::actions::ActionState;
use crate::ctx::use_ctx;
use crate::i18n::{self, Lang, K};
use crate::logic::actions::ActionInput;
use crate::logic::replies;
use leptos::prelude::*;
use siteline_model::department::DEPARTMENTS;
use siteline_model::replies::{may_manage, ReplyTemplate};
use siteline_model::{Complaint, ComplaintId, Satisfaction};

/// The label of a field named in an error (`None` for errors about the action as a whole).
pub fn field_label(field: &str) -> Option<K> {
    Some(match field {
        "department" => K::Department,
        "instructions" => K::Instructions,
        "reason" => K::Reason,
        "remedial" => K::Remedial,
        "corrective" => K::Corrective,
        "content" => K::ReplyContent,
        "satisfaction" => K::Satisfaction,
        "note" => K::FollowUpNote,
        "summary" => K::Summary,
        "into" => K::MergeInto,
        _ => return None,
    })
}

type GetFn = fn(&ActionInput) -> &String;
type SetFn = fn(&mut ActionInput, String);

#[component]
pub fn ActionFields(
    code: &'static str,
    st: ActionState,
    id: ComplaintId,
    complaint: Memo<Option<Complaint>>,
) -> impl IntoView {
    let ctx = use_ctx();
    let value = move |get: GetFn| move || st.input.with(|i| get(i).clone());
    let set = move |set: SetFn| {
        move |ev: leptos::ev::Event| st.input.update(|i| set(i, event_target_value(&ev)))
    };
    let err = move |field: &'static str| {
        move || {
            st.errors
                .with(|e| e.iter().find(|e| e.field == field).map(|e| e.code))
                .map(|code| view! { <span class="field-error">{ctx.t(i18n::validation(code))}</span> })
        }
    };
    let text = move |name: &'static str, k: K, required: bool, get: GetFn, s: SetFn| {
        view! {
            <label>{move || ctx.t(k)} {required.then_some(" *")} {err(name)}
                <textarea name=name rows="2" prop:value=value(get) on:input=set(s)></textarea>
            </label>
        }
    };
    let department = move || {
        view! {
            <label>{move || ctx.t(K::Department)} " *" {err("department")}
                <select name="department" prop:value=value(|i| &i.department) on:change=set(|i, v| i.department = v)>
                    {DEPARTMENTS.iter().map(|d| {
                        let (zh, en) = (d.zh, d.en);
                        view! { <option value=d.code>{move || if ctx.lang.get() == Lang::Zh { zh } else { en }}</option> }
                    }).collect_view()}
                </select>
            </label>
        }
    };
    match code {
        "dispatched" => view! {
            {department()}
            {text("instructions", K::Instructions, false, |i| &i.instructions, |i, v| i.instructions = v)}
        }
        .into_any(),
        "transferred" => view! {
            {department()}
            {text("instructions", K::Instructions, false, |i| &i.instructions, |i, v| i.instructions = v)}
            {text("reason", K::Reason, true, |i| &i.reason, |i, v| i.reason = v)}
        }
        .into_any(),
        "handled" => view! {
            {text("remedial", K::Remedial, true, |i| &i.remedial, |i, v| i.remedial = v)}
            <small class="hint">{move || ctx.t(K::RemedialHint)}</small>
            {text("corrective", K::Corrective, false, |i| &i.corrective, |i, v| i.corrective = v)}
            <small class="hint">{move || ctx.t(K::CorrectiveHint)}</small>
        }
        .into_any(),
        "replied" => view! {
            <TemplateChips code=code st=st complaint=complaint/>
            {text("content", K::ReplyContent, true, |i| &i.content, |i, v| i.content = v)}
        }
        .into_any(),
        "followed_up" => view! {
            <label>{move || ctx.t(K::Satisfaction)} " *" {err("satisfaction")}
                <select name="satisfaction" prop:value=value(|i| &i.satisfaction) on:change=set(|i, v| i.satisfaction = v)>
                    {Satisfaction::ALL.map(|s| view! {
                        <option value=s.code()>{move || i18n::satisfaction(s, ctx.lang.get())}</option>
                    }).collect_view()}
                </select>
            </label>
            <TemplateChips code=code st=st complaint=complaint/>
            {text("note", K::FollowUpNote, false, |i| &i.note, |i, v| i.note = v)}
        }
        .into_any(),
        "closed" => text("summary", K::Summary, false, |i| &i.summary, |i, v| i.summary = v).into_any(),
        "returned" => text("reason", K::Reason, true, |i| &i.reason, |i, v| i.reason = v).into_any(),
        "withdrawn" => view! {
            {text("reason", K::Reason, true, |i| &i.reason, |i, v| i.reason = v)}
            <label class="check">
                <input type="checkbox" name="voluntary" prop:checked=move || st.input.with(|i| i.voluntary)
                    on:change=move |ev| { let on = event_target_checked(&ev); st.input.update(|i| i.voluntary = on) }/>
                {move || ctx.t(K::Voluntary)}
            </label>
        }
        .into_any(),
        "merged" => view! { <MergeTarget st=st id=id complaint=complaint/> }.into_any(),
        _ => ().into_any(),
    }
}

/// 常用答复 of the complaint's site for this step, as chips that fill the step's text field (what
/// was typed is kept); a link to manage them for the site's supervisors.
#[component]
fn TemplateChips(
    code: &'static str,
    st: ActionState,
    complaint: Memo<Option<Complaint>>,
) -> impl IntoView {
    let ctx = use_ctx();
    let site = Memo::new(move |_| complaint.with(|c| c.as_ref().map(|c| c.site.clone())));
    let offered = Memo::new(move |_| {
        let site = site.get().unwrap_or_default();
        ctx.sites.with(|s| replies::offered(s, &site, code))
    });
    // The site whose templates this user may manage, if they may.
    let manages = Memo::new(move |_| {
        let site = site.get().unwrap_or_default();
        let code = ctx
            .sites
            .with(|s| replies::site_of(s, &site).map(|s| s.code.clone()))?;
        let user = ctx.user()?;
        may_manage(&user, &code).then_some(code)
    });
    let manage = move || {
        manages.get().map(|code| {
            view! { <a class="manage" href=format!("/replies?site={code}") data-testid="manage-replies">{move || ctx.t(K::ReplyManage)}</a> }
        })
    };
    let choose = move |t: ReplyTemplate| {
        let Some(c) = complaint.get_untracked() else {
            return;
        };
        let custom = ctx.sites.with_untracked(|s| {
            replies::site_of(s, &c.site)
                .map(|s| s.categories.clone())
                .unwrap_or_default()
        });
        let category = i18n::category_name_with(&c.category, ctx.lang.get_untracked(), &custom);
        st.input.update(|i| {
            let field = if code == "replied" {
                &mut i.content
            } else {
                &mut i.note
            };
            *field = replies::chosen(field, &t, &c, &category);
        });
    };
    view! {
        <Show when=move || !offered.with(Vec::is_empty) || manages.with(Option::is_some)>
            <div class="chips templates" role="group" aria-label=move || ctx.t(K::ReplyChips)>
                <span class="chips-title">{move || ctx.t(K::ReplyChips)}</span>
                <For each=move || offered.get() key=|t| t.id.clone() let:t>
                    <button type="button" class="chip" data-testid="reply-template" title=t.text.clone()
                        on:click={
                            let t = t.clone();
                            move |_| choose(t.clone())
                        }>{t.title.clone()}</button>
                </For>
                {manage}
            </div>
        </Show>
    }
}

/// 合并到: the target's number, with the open complaints on this device as suggestions.
#[component]
fn MergeTarget(
    st: ActionState,
    id: ComplaintId,
    complaint: Memo<Option<Complaint>>,
) -> impl IntoView {
    let ctx = use_ctx();
    let candidates = Memo::new(move |_| {
        let (loc, cat) = complaint.with(|c| {
            c.as_ref()
                .map(|c| (c.location.clone(), c.category.clone()))
                .unwrap_or_default()
        });
        ctx.replica.with(|r| {
            let Some(r) = r else { return vec![] };
            let mut v: Vec<(bool, String, String)> = r
                .complaints()
                .filter(|c| c.id != id && c.status.is_open())
                .map(|c| {
                    let same = c.location == loc && c.category == cat;
                    (same, c.display_number().to_string(), c.location.clone())
                })
                .collect();
            v.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)));
            v.truncate(50);
            v
        })
    });
    let error = move || {
        st.errors
            .with(|e| e.iter().find(|e| e.field == "into").map(|e| e.code))
            .map(|code| view! { <span class="field-error">{ctx.t(i18n::validation(code))}</span> })
    };
    view! {
        <label>{move || ctx.t(K::MergeInto)} " *" {error}
            <input name="into" list="merge-candidates" autocomplete="off"
                placeholder=move || ctx.t(K::MergeHint)
                prop:value=move || st.input.with(|i| i.into.clone())
                on:input=move |ev| st.input.update(|i| i.into = event_target_value(&ev))/>
            <datalist id="merge-candidates">
                <For each=move || candidates.get() key=|c| c.1.clone()
                    children=|(_, n, loc)| view! { <option value=n>{loc}</option> }/>
            </datalist>
        </label>
    }
}
