//! Add a progress note (备注) to the timeline. The box is cleared only once the note is stored.

use crate::ctx::use_ctx;
use crate::i18n::{self, K};
use leptos::prelude::*;
use siteline_model::validation::validate_note;
use siteline_model::{ComplaintId, EventKind};

#[component]
pub fn NoteForm(id: ComplaintId) -> impl IntoView {
    let ctx = use_ctx();
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let record = Action::new_local(move |kind: &EventKind| {
        let kind = kind.clone();
        async move {
            match ctx.record(id, kind).await {
                Ok(()) => {
                    note.try_set(String::new());
                }
                Err(e) => {
                    error.try_set(Some(ctx.save_error_text(&e)));
                }
            }
        }
    });
    let add_note = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = note.get_untracked().trim().to_string();
        match validate_note(&text) {
            Ok(()) => {
                error.set(None);
                record.dispatch_local(EventKind::NoteAdded { text });
            }
            Err(e) => error.set(
                e.0.first()
                    .map(|e| ctx.t(i18n::validation(e.code)).to_string()),
            ),
        }
    };
    view! {
        <form class="inline note-form" on:submit=add_note>
            <input name="note_text" placeholder=move || ctx.t(K::NotePlaceholder) prop:value=note
                on:input=move |ev| note.set(event_target_value(&ev))/>
            <button type="submit" data-testid="add-note">{move || ctx.t(K::AddNote)}</button>
        </form>
        <Show when=move || error.get().is_some()>
            <p class="error" role="alert">{move || error.get()}</p>
        </Show>
    }
}
