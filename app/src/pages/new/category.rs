//! 类别: the site's usual categories (learned on this device) as chips first; every other
//! category is one tap away under its top-level chip. One control: chips only.

use super::fields::{on_device, Form};
use crate::ctx::use_ctx;
use crate::i18n::{self, Lang, K};
use crate::logic::intake::{self, CategoryChip};
use leptos::prelude::*;

/// Usual categories shown first.
const USUAL: usize = 6;

/// A category's own name (not its path) in the current language, the site's own included.
fn name_of(code: &str, custom: &[siteline_model::api::CustomCategory], lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    match (
        custom.iter().find(|c| c.code == code),
        siteline_model::category::find(code),
    ) {
        (Some(c), _) => if zh { &c.zh } else { &c.en }.clone(),
        (None, Some(c)) => if zh { c.zh } else { c.en }.to_string(),
        (None, None) => i18n::category_name(code, lang),
    }
}

#[component]
pub fn CategoryField(form: Form) -> impl IntoView {
    let ctx = use_ctx();
    let chosen = Memo::new(move |_| form.draft.with(|d| d.category.clone()));
    // The top-level group open below: the chosen category's, or the one tapped last.
    let open = RwSignal::new(None::<String>);
    let top = Memo::new(move |_| {
        open.get().or_else(|| {
            let c = chosen.get();
            ctx.custom_categories.with(|cc| intake::top_of(&c, cc))
        })
    });
    let usual =
        Memo::new(move |_| intake::most_used(on_device(ctx, |c| Some(c.category.clone())), USUAL));
    let pick = move |code: String| form.draft.update(|d| d.category = code);
    let chip = move |code: String, text: Signal<String>, class: &'static str| {
        let on = {
            let code = code.clone();
            move || chosen.with(|c| *c == code)
        };
        view! {
            <button type="button" class=class class:on=on.clone() role="radio"
                aria-checked=move || on().to_string() data-code=code.clone()
                on:click=move |_| pick(code.clone())>{text}</button>
        }
    };
    let tops = intake::top_chips()
        .into_iter()
        .map(|c: CategoryChip| {
            let code = c.code.clone();
            let is_open = {
                let code = code.clone();
                move || top.with(|t| t.as_deref() == Some(code.as_str()))
            };
            let tap = code.clone();
            view! {
                <button type="button" class="chip top" class:open=is_open.clone()
                    aria-expanded=move || is_open().to_string() data-top=code.clone()
                    on:click=move |_| {
                        open.set(Some(tap.clone()));
                        // A group with no sub-categories (其他) is a category itself.
                        if intake::sub_chips(&tap, &ctx.custom_categories.get_untracked()).is_empty() {
                            pick(tap.clone());
                        }
                    }>
                    {move || c.name(ctx.lang.get()).to_string()}
                </button>
            }
        })
        .collect_view();
    let subs = move || {
        let t = top.get()?;
        let chips = ctx.custom_categories.with(|cc| intake::sub_chips(&t, cc));
        Some(
            chips
                .into_iter()
                .map(|c| {
                    let text = Signal::derive({
                        let c = c.clone();
                        move || c.name(ctx.lang.get()).to_string()
                    });
                    chip(c.code, text, "chip sub")
                })
                .collect_view(),
        )
    };
    view! {
        <div class="field wide category-field" data-field="category">
            <span class="label" id="category-label">{move || ctx.t(K::Category)} " *"</span>
            {form.error("category")}
            <Show when=move || !usual.with(Vec::is_empty)>
                <div class="chips usual" role="radiogroup" aria-labelledby="category-label usual-title"
                    aria-describedby="category-error" data-testid="usual-categories">
                    <span class="chips-title" id="usual-title">{move || ctx.t(K::UsualCategories)}</span>
                    <For each=move || usual.get() key=|c| c.clone() children=move |code| {
                        let text = Signal::derive({
                            let code = code.clone();
                            move || ctx.custom_categories.with(|cc| name_of(&code, cc, ctx.lang.get()))
                        });
                        chip(code, text, "chip")
                    }/>
                </div>
            </Show>
            <div class="chips tops" role="group" aria-labelledby="category-label">{tops}</div>
            <div class="chips subs" role="radiogroup" aria-labelledby="category-label"
                aria-describedby="category-error">{subs}</div>
        </div>
    }
}
