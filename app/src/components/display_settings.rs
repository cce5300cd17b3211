//! 显示设置: this device's theme (standard, high contrast, night) and large text, applied at once
//! and remembered on the device.

use crate::ctx::use_ctx;
use crate::i18n::K;
use crate::logic::display::Theme;
use leptos::prelude::*;

fn theme_key(t: Theme) -> K {
    match t {
        Theme::Standard => K::ThemeStandard,
        Theme::Contrast => K::ThemeContrast,
        Theme::Dark => K::ThemeDark,
    }
}

#[component]
pub fn DisplaySettings() -> impl IntoView {
    let ctx = use_ctx();
    let themes = Theme::ALL
        .iter()
        .map(|&t| {
            let on = move || ctx.display.with(|d| d.theme == t);
            view! {
                <button type="button" class="chip" role="radio" aria-checked=move || on().to_string()
                    class:on=on data-code=t.code()
                    on:click=move |_| { let mut d = ctx.display.get_untracked(); d.theme = t; ctx.set_display(d); }>
                    {move || ctx.t(theme_key(t))}
                </button>
            }
        })
        .collect_view();
    let large = move || ctx.display.with(|d| d.large_text);
    let toggle = move |ev: leptos::ev::Event| {
        let mut d = ctx.display.get_untracked();
        d.large_text = event_target_checked(&ev);
        ctx.set_display(d);
    };
    view! {
        <section class="display-settings" data-testid="display-settings">
            <h3 id="display-title">{move || ctx.t(K::DisplaySettings)}</h3>
            <div class="field" data-field="theme">
                <span class="label" id="theme-label">{move || ctx.t(K::Theme)}</span>
                <div class="chips" role="radiogroup" aria-labelledby="theme-label">{themes}</div>
            </div>
            <label class="check">
                <input type="checkbox" name="large_text" prop:checked=large on:change=toggle/>
                {move || ctx.t(K::LargeText)}
            </label>
        </section>
    }
}
