//! 本机保留: how many days of finished complaints this tablet keeps (the device window; open and
//! unsent ones always stay). Wider pulls the older ones at the next sync, narrower drops them.

use crate::ctx::use_ctx;
use crate::i18n::K;
use crate::logic::window::choices;
use leptos::prelude::*;
use leptos::task::spawn_local;
use siteline_model::window::WindowDays;

#[component]
pub fn DeviceWindow() -> impl IntoView {
    let ctx = use_ctx();
    let current = Memo::new(move |_| {
        ctx.replica
            .with(|r| r.as_ref().map(|r| r.meta().window()))
            .unwrap_or_default()
    });
    let (error, set_error) = signal(None::<String>);
    let change = move |ev: leptos::ev::Event| {
        let Some(days) = event_target_value(&ev)
            .parse()
            .ok()
            .and_then(WindowDays::new)
        else {
            return;
        };
        spawn_local(async move {
            match ctx.set_window(days).await {
                Ok(()) => set_error.set(None),
                Err(e) => set_error.set(Some(ctx.save_error_text(&e))),
            }
        });
    };
    let options = move || {
        let lang = ctx.lang.get();
        choices(current.get())
            .into_iter()
            .map(|w| {
                let label = K::WindowDaysN.get(lang).replace("{n}", &w.days().to_string());
                view! { <option value=w.days().to_string() selected=move || current.get() == w>{label}</option> }
            })
            .collect_view()
    };
    view! {
        <section data-testid="device-window">
            <h3><label for="device-window">{move || ctx.t(K::WindowTitle)}</label></h3>
            <select id="device-window" name="device_window" data-days=move || current.get().days().to_string()
                on:change=change>
                {options}
            </select>
            <p class="muted">{move || ctx.t(K::WindowHint)}</p>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
        </section>
    }
}
