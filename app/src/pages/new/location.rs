//! 地点: one text field, filled in a tap from recent places or by walking the site's tree
//! (building › floor › area) as big chips; typing freely always works.

use super::fields::{on_device, Form};
use crate::ctx::use_ctx;
use crate::i18n::K;
use crate::logic::intake;
use leptos::prelude::*;

/// Recent places shown as chips.
const RECENT: usize = 6;

#[component]
pub fn LocationField(form: Form) -> impl IntoView {
    let ctx = use_ctx();
    let recent = Memo::new(move |_| {
        intake::most_recent(on_device(ctx, |c| Some(c.location.clone())), RECENT)
    });
    let current = Memo::new(move |_| form.draft.with(|d| d.location.trim().to_string()));
    let steps = Memo::new(move |_| {
        let cur = current.get();
        ctx.locations.with(|l| intake::tree_step(l, &cur))
    });
    // Breadcrumbs only while the text is a node of the tree.
    let crumbs = Memo::new(move |_| {
        let cur = current.get();
        let known = ctx.locations.with(|l| l.iter().any(|x| x.trim() == cur));
        if known {
            intake::tree_path(&cur)
        } else {
            vec![]
        }
    });
    let pick = move |label: String| form.draft.update(|d| d.location = label);
    let chip = move |label: String, text: String, class: &'static str| {
        let on = {
            let label = label.clone();
            move || current.with(|c| *c == label)
        };
        view! {
            <button type="button" class=class class:on=on.clone() aria-pressed=move || on().to_string()
                data-location=label.clone() on:click=move |_| pick(label.clone())>{text}</button>
        }
    };
    view! {
        <div class="field wide location-field">
            <label for="intake-location" class="label">{move || ctx.t(K::Location)} " *"</label>
            {form.error("location")}
            <input id="intake-location" name="location" autocomplete="off"
                aria-describedby="location-hint location-error" aria-invalid=form.invalid("location")
                prop:value=form.text(|d| &d.location) on:input=form.set(|d, v| d.location = v)/>
            <small class="hint" id="location-hint">{move || ctx.t(K::LocationHint)}</small>
            <Show when=move || !recent.with(Vec::is_empty)>
                <div class="chips" role="group" aria-label=move || ctx.t(K::RecentPlaces) data-testid="recent-places">
                    <span class="chips-title">{move || ctx.t(K::RecentPlaces)}</span>
                    <For each=move || recent.get() key=|l| l.clone()
                        children=move |l| chip(l.clone(), l, "chip")/>
                </div>
            </Show>
            <Show when=move || !ctx.locations.with(Vec::is_empty)>
                <div class="chips tree" role="group" aria-label=move || ctx.t(K::SiteTree) data-testid="site-tree">
                    <span class="chips-title">{move || ctx.t(K::SiteTree)}</span>
                    <For each=move || crumbs.get() key=|(l, _)| l.clone()
                        children=move |(l, p)| chip(l, format!("{p} ›"), "chip crumb")/>
                    <For each=move || steps.get() key=|(l, _)| l.clone()
                        children=move |(l, p)| chip(l, p, "chip")/>
                </div>
            </Show>
        </div>
    }
}
