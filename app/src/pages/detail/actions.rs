//! The lifecycle actions the user may take now (派单, 签收, 处理, 答复, 回访, 完结, 转派, 退单, 撤诉,
//! 合并): one button each; a click opens an inline form; the event is checked (payload, transition,
//! role) before it is committed, and a refused form keeps everything typed.

use super::action_form::{field_label, ActionFields};
use crate::ctx::use_ctx;
use crate::i18n::{self, K};
use crate::logic::actions::{self, ActionInput};
use leptos::prelude::*;
use siteline_model::validation::ValidationError;
use siteline_model::{Complaint, ComplaintId, EventKind};

/// The form's state, shared with the field views.
#[derive(Clone, Copy)]
pub struct ActionState {
    pub open: RwSignal<Option<&'static str>>,
    pub input: RwSignal<ActionInput>,
    pub errors: RwSignal<Vec<ValidationError>>,
}

#[component]
pub fn Actions(id: ComplaintId, complaint: Memo<Option<Complaint>>) -> impl IntoView {
    let ctx = use_ctx();
    let role = Memo::new(move |_| ctx.role());
    let offered = Memo::new(move |_| {
        let Some(role) = role.get() else {
            return vec![];
        };
        complaint.with(|c| {
            c.as_ref()
                .map(|c| actions::offered(role, c))
                .unwrap_or_default()
        })
    });
    let st = ActionState {
        open: RwSignal::new(None),
        input: RwSignal::new(ActionInput::default()),
        errors: RwSignal::new(vec![]),
    };
    let store_error = RwSignal::new(None::<String>);
    let record = Action::new_local(move |kind: &EventKind| {
        let kind = kind.clone();
        async move {
            match ctx.record(id, kind).await {
                Ok(()) => {
                    st.open.try_set(None);
                    st.input.try_set(ActionInput::default());
                }
                Err(e) => {
                    store_error.try_set(Some(ctx.save_error_text(&e)));
                }
            }
        }
    });

    let open_form = move |code: &'static str| {
        st.errors.set(vec![]);
        store_error.set(None);
        let dept = complaint.with_untracked(|c| {
            c.as_ref()
                .map(|c| actions::default_department(code, c))
                .unwrap_or_default()
        });
        st.input.update(|i| {
            if matches!(code, "dispatched" | "transferred") {
                i.department = dept;
            }
            if i.satisfaction.is_empty() {
                i.satisfaction = "satisfied".into();
            }
        });
        st.open.set(Some(code));
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(code), Some(role)) = (st.open.get_untracked(), role.get_untracked()) else {
            return;
        };
        let input = st.input.get_untracked();
        let checked = ctx.replica.with_untracked(|r| {
            let r = r.as_ref()?;
            let c = r.complaint(&id)?;
            let target = (code == "merged")
                .then(|| actions::resolve_target(&input.into, r.complaints()))
                .flatten();
            Some(actions::prepare(role, c, code, &input, target))
        });
        match checked {
            Some(Ok(kind)) => {
                st.errors.set(vec![]);
                record.dispatch_local(kind);
            }
            Some(Err(errs)) => st.errors.set(errs),
            None => st.errors.set(vec![ValidationError {
                field: "action",
                code: "illegal_transition",
            }]),
        }
    };

    let error_text = move || {
        let lang = ctx.lang.get();
        st.errors.with(|errs| {
            errs.iter()
                .map(|e| {
                    let msg = i18n::validation(e.code).get(lang);
                    match field_label(e.field) {
                        Some(k) => format!("{}：{msg}", k.get(lang)),
                        None => msg.to_string(),
                    }
                })
                .collect::<Vec<_>>()
                .join("；")
        })
    };

    let form = move || {
        let code = st.open.get()?;
        Some(view! {
            <form class="action-form" data-action=code on:submit=submit novalidate>
                <h4>{move || i18n::action(code, ctx.lang.get())}</h4>
                <ActionFields code=code st=st id=id complaint=complaint/>
                <Show when=move || !st.errors.with(Vec::is_empty)>
                    <p class="error" role="alert" data-testid="action-error">
                        {move || ctx.t(K::ActionFailed)} {error_text}
                    </p>
                </Show>
                <div class="form-buttons">
                    <button type="button" on:click=move |_| st.open.set(None)>{move || ctx.t(K::Cancel)}</button>
                    <button type="submit" class="primary" data-testid="action-submit" disabled=move || record.pending().get()>
                        {move || ctx.t(K::Submit)}
                    </button>
                </div>
            </form>
        })
    };

    view! {
        <section class="actions-panel">
            <h3>{move || ctx.t(K::Actions)}</h3>
            <Show when=move || offered.with(Vec::is_empty)>
                <p class="muted">{move || ctx.t(K::NoActions)}</p>
            </Show>
            <div class="action-buttons">
                <For each=move || offered.get() key=|c| *c children=move |code| view! {
                    <button type="button" class="action" data-testid=format!("action-{code}")
                        class:on=move || st.open.get() == Some(code) on:click=move |_| open_form(code)>
                        {move || i18n::action(code, ctx.lang.get())}
                    </button>
                }/>
            </div>
            {form}
            <Show when=move || store_error.get().is_some()>
                <p class="error" role="alert" data-testid="action-error">{move || store_error.get()}</p>
            </Show>
        </section>
    }
}
