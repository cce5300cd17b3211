//! Toasts: a short message after an action ("已保存在本机，待同步"), announced politely to screen
//! readers, closed by a tap, after a while or when the next intake starts; taps pass through it
//! (but for its close button) to what is underneath. Its own small context.

use crate::i18n::K;
use leptos::prelude::*;
use std::time::Duration;

/// How long a toast stays.
const SHOWN: Duration = Duration::from_secs(10);

/// The toast on screen: a serial (so a newer one is not closed by an older timer) and its lines.
#[derive(Clone, Copy)]
pub struct Toasts(RwSignal<Option<(u64, Vec<String>)>>);

impl Toasts {
    pub fn provide() -> Toasts {
        let t = Toasts(RwSignal::new(None));
        provide_context(t);
        t
    }

    /// Closes the toast on screen (a new task started: it has been read).
    pub fn clear(self) {
        self.0.set(None);
    }

    /// Shows `lines` (the first in bold) until closed or `SHOWN` has passed.
    pub fn show(self, lines: Vec<String>) {
        let serial = self
            .0
            .with_untracked(|t| t.as_ref().map_or(0, |(n, _)| n + 1));
        self.0.set(Some((serial, lines)));
        let signal = self.0;
        set_timeout(
            move || {
                if signal.with_untracked(|t| t.as_ref().is_some_and(|(n, _)| *n == serial)) {
                    signal.set(None);
                }
            },
            SHOWN,
        );
    }
}

pub fn use_toasts() -> Toasts {
    expect_context::<Toasts>()
}

#[component]
pub fn ToastHost() -> impl IntoView {
    let toasts = use_toasts();
    let ctx = crate::ctx::use_ctx();
    view! {
        <div class="toast-host" role="status" aria-live="polite">
            {move || toasts.0.get().map(|(_, lines)| {
                let mut lines = lines.into_iter();
                let first = lines.next().unwrap_or_default();
                view! {
                    <div class="toast" data-testid="toast">
                        <b>{first}</b>
                        {lines.map(|l| view! { <span>{l}</span> }).collect_view()}
                        <button type="button" class="link" on:click=move |_| toasts.0.set(None)
                            aria-label=move || ctx.t(K::Close)>"×"</button>
                    </div>
                }
            })}
        </div>
    }
}
