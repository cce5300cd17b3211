//! Pieces of the intake form: text bindings to the draft, location with suggestions, category chips,
//! code chips (severity, channel), the complainant block and the duplicate hint.

use crate::ctx::use_ctx;
use crate::i18n::{self, Lang, K};
use crate::logic::intake;
use crate::store::prefs::Draft;
use leptos::prelude::*;
use siteline_model::timelimit::possible_duplicates;
use siteline_model::validation::ValidationErrors;
use siteline_model::{category, ComplaintId, CustomerType, Status, Timestamp};

/// The form's state: the draft as typed and the errors of the last save attempt.
#[derive(Clone, Copy)]
pub struct Form {
    pub draft: RwSignal<Draft>,
    pub errors: RwSignal<ValidationErrors>,
}

impl Form {
    /// A field's value (reactive).
    pub fn text(self, get: fn(&Draft) -> &String) -> impl Fn() -> String + Copy + Send + Sync {
        move || self.draft.with(|d| get(d).clone())
    }

    /// An input/change handler writing a field.
    pub fn set(self, set: fn(&mut Draft, String)) -> impl Fn(leptos::ev::Event) + Copy {
        move |ev| self.draft.update(|d| set(d, event_target_value(&ev)))
    }

    /// The translated error of a field, if the last save attempt found one.
    pub fn error(self, field: &'static str) -> impl Fn() -> Option<AnyView> + Send + Sync {
        let ctx = use_ctx();
        move || {
            self.errors.with(|e| e.for_field(field)).map(|code| {
                view! { <span class="field-error" data-field=field>{ctx.t(i18n::validation(code))}</span> }
                    .into_any()
            })
        }
    }
}

/// 地点: free text with suggestions from recent locations and the site's location tree.
#[component]
pub fn LocationField(form: Form) -> impl IntoView {
    let ctx = use_ctx();
    let recent = Memo::new(move |_| {
        ctx.replica.with(|r| {
            let mut v: Vec<(Timestamp, String)> = r
                .as_ref()
                .map(|r| {
                    r.complaints()
                        .values()
                        .map(|c| (c.captured_at, c.location.clone()))
                        .collect()
                })
                .unwrap_or_default();
            v.sort_by_key(|e| std::cmp::Reverse(e.0));
            v.into_iter().map(|(_, l)| l).collect::<Vec<_>>()
        })
    });
    let options = Memo::new(move |_| {
        let recent: Vec<String> = recent.with(|r| {
            let mut out: Vec<String> = Vec::new();
            for l in r {
                if !out.contains(l) {
                    out.push(l.clone());
                }
            }
            out
        });
        ctx.locations
            .with(|site| intake::suggestions(&recent, site, 12))
    });
    view! {
        <label class="wide">{move || ctx.t(K::Location)} " *" {form.error("location")}
            <input name="location" list="location-suggestions" autocomplete="off"
                prop:value=form.text(|d| &d.location) on:input=form.set(|d, v| d.location = v)/>
            <datalist id="location-suggestions">
                <For each=move || options.get() key=|l| l.clone() children=|l| view! { <option value=l/> }/>
            </datalist>
            <small class="hint">{move || ctx.t(K::LocationHint)}</small>
        </label>
    }
}

/// 类别: top-level chips, then sub-category chips; the select offers the same codes.
#[component]
pub fn CategoryField(form: Form) -> impl IntoView {
    let ctx = use_ctx();
    let cat = form.text(|d| &d.category);
    let top = Memo::new(move |_| {
        form.draft.with(|d| {
            ctx.custom_categories
                .with(|cc| intake::top_of(&d.category, cc))
        })
    });
    let pick = move |code: String| form.draft.update(|d| d.category = code);
    let tops = intake::top_chips().into_iter().map(|chip| {
        let code = chip.code.clone();
        let on = {
            let code = code.clone();
            move || top.with(|t| t.as_deref() == Some(code.as_str()))
        };
        view! {
            <button type="button" class="chip" class:on=on.clone() aria-pressed=move || on().to_string()
                data-code=code.clone() on:click=move |_| pick(code.clone())>
                {move || chip.name(ctx.lang.get()).to_string()}
            </button>
        }
    }).collect_view();
    let subs = move || {
        let t = top.get()?;
        let chips = ctx.custom_categories.with(|cc| intake::sub_chips(&t, cc));
        Some(chips.into_iter().map(|chip| {
            let code = chip.code.clone();
            let on = {
                let code = code.clone();
                move || form.draft.with(|d| d.category == code)
            };
            view! {
                <button type="button" class="chip sub" class:on=on.clone() aria-pressed=move || on().to_string()
                    data-code=code.clone() on:click=move |_| pick(code.clone())>
                    {move || chip.name(ctx.lang.get()).to_string()}
                </button>
            }
        }).collect_view())
    };
    let custom_under = move |top: &'static str| {
        move || {
            ctx.custom_categories.with(|cc| {
                cc.iter().filter(|c| c.parent == top).map(|c| {
                    let (code, zh, en) = (c.code.clone(), c.zh.clone(), c.en.clone());
                    view! { <option value=code>{move || if ctx.lang.get() == Lang::Zh { zh.clone() } else { en.clone() }}</option> }
                }).collect_view()
            })
        }
    };
    view! {
        <div class="field wide">
            <span class="label">{move || ctx.t(K::Category)} " *" {form.error("category")}</span>
            <div class="chips" role="group">{tops}</div>
            <div class="chips subs" role="group">{subs}</div>
            <select name="category" class="compact" prop:value=cat on:change=form.set(|d, v| d.category = v)>
                <option value="">{move || ctx.t(K::ChooseCategory)}</option>
                {category::top_level().map(|top| {
                    let top_code = top.code;
                    view! {
                        <optgroup label=move || i18n::category_name(top_code, ctx.lang.get())>
                            <option value=top_code>{move || i18n::category_name(top_code, ctx.lang.get())}</option>
                            {category::children(top_code).map(|c| {
                                let code = c.code;
                                view! { <option value=code>{move || i18n::category_name(code, ctx.lang.get())}</option> }
                            }).collect_view()}
                            {custom_under(top_code)}
                        </optgroup>
                    }
                }).collect_view()}
            </select>
        </div>
    }
}

/// A code field shown as chips (fast on a tablet) with a select of the same `name` beside them.
#[component]
pub fn CodeChips(
    form: Form,
    name: &'static str,
    title: K,
    codes: Vec<&'static str>,
    label: fn(&str, Lang) -> &'static str,
    get: fn(&Draft) -> &String,
    set: fn(&mut Draft, String),
    default: &'static str,
) -> impl IntoView {
    let ctx = use_ctx();
    let value = move || {
        let v = form.text(get)();
        if v.is_empty() {
            default.to_string()
        } else {
            v
        }
    };
    let chips = codes
        .iter()
        .map(|&code| {
            view! {
                <button type="button" class="chip" class:on=move || value() == code
                    aria-pressed=move || (value() == code).to_string() data-code=code
                    on:click=move |_| form.draft.update(|d| set(d, code.to_string()))>
                    {move || label(code, ctx.lang.get())}
                </button>
            }
        })
        .collect_view();
    let options = codes
        .iter()
        .map(|&code| {
            view! { <option value=code>{move || label(code, ctx.lang.get())}</option> }
        })
        .collect_view();
    view! {
        <div class="field">
            <span class="label">{move || ctx.t(title)} {form.error(name)}</span>
            <div class="chips" role="group">{chips}</div>
            <select name=name class="compact" prop:value=value on:change=form.set(set)>{options}</select>
        </div>
    }
}

/// 投诉人: anonymous switch (hides and clears name and phone), name, phone, unit, customer type.
#[component]
pub fn ComplainantFields(form: Form) -> impl IntoView {
    let ctx = use_ctx();
    let anonymous = move || form.draft.with(|d| d.anonymous);
    let toggle = move |ev: leptos::ev::Event| {
        let on = event_target_checked(&ev);
        form.draft.update(|d| {
            d.anonymous = on;
            if on {
                d.complainant_name.clear();
                d.complainant_phone.clear();
            }
        });
    };
    view! {
        <fieldset class="wide group">
            <legend>{move || ctx.t(K::Complainant)}</legend>
            <label class="check">
                <input type="checkbox" name="anonymous" prop:checked=anonymous on:change=toggle/>
                {move || ctx.t(K::AnonymousHint)}
            </label>
            <div class="grid">
                <Show when=move || !anonymous()>
                    <label>{move || ctx.t(K::ComplainantName)} {form.error("complainant_name")}
                        <input name="complainant_name" autocomplete="off"
                            prop:value=form.text(|d| &d.complainant_name) on:input=form.set(|d, v| d.complainant_name = v)/>
                    </label>
                    <label>{move || ctx.t(K::ComplainantPhone)} {form.error("complainant_phone")}
                        <input name="complainant_phone" type="tel" inputmode="tel" autocomplete="off"
                            prop:value=form.text(|d| &d.complainant_phone) on:input=form.set(|d, v| d.complainant_phone = v)/>
                    </label>
                </Show>
                <label>{move || ctx.t(K::ComplainantUnit)} {form.error("complainant_unit")}
                    <input name="complainant_unit" autocomplete="off" placeholder="3-1202"
                        prop:value=form.text(|d| &d.complainant_unit) on:input=form.set(|d, v| d.complainant_unit = v)/>
                </label>
                <label>{move || ctx.t(K::CustomerType)}
                    <select name="customer_type" prop:value=move || { let v = form.text(|d| &d.customer_type)(); if v.is_empty() { "owner".to_string() } else { v } }
                        on:change=form.set(|d, v| d.customer_type = v)>
                        {CustomerType::ALL.map(|t| view! { <option value=t.code()>{move || i18n::customer_type(t, ctx.lang.get())}</option> }).collect_view()}
                    </select>
                </label>
            </div>
        </fieldset>
    }
}

/// One open complaint at the same place and category.
#[derive(Clone, Debug, PartialEq)]
struct Dup {
    id: ComplaintId,
    number: String,
    status: Status,
    captured_at: Timestamp,
    description: String,
}

/// Open complaints at the same location and category, shown before saving.
#[component]
pub fn DuplicateHint(form: Form) -> impl IntoView {
    let ctx = use_ctx();
    let dups = Memo::new(move |_| {
        let (loc, cat) = form
            .draft
            .with(|d| (d.location.clone(), d.category.clone()));
        ctx.replica.with(|r| {
            let Some(r) = r else { return vec![] };
            possible_duplicates(&loc, &cat, r.complaints().values())
                .into_iter()
                .take(5)
                .map(|c| Dup {
                    id: c.id,
                    number: c.display_number().to_string(),
                    status: c.status,
                    captured_at: c.captured_at,
                    description: c.description.chars().take(60).collect(),
                })
                .collect::<Vec<_>>()
        })
    });
    view! {
        <Show when=move || !dups.with(Vec::is_empty)>
            <div class="dup-hint wide" data-testid="duplicate-hint" role="status">
                <b>{move || ctx.t(K::DuplicateTitle)}</b>
                <ul>
                    <For each=move || dups.get() key=|d| d.id children=move |d| {
                        let status = d.status;
                        view! {
                            <li>
                                <a data-testid="duplicate-item" data-id=d.id.to_string() href=format!("/complaints/{}", d.id)>
                                    <span class="number">{d.number.clone()}</span> " · "
                                    {move || i18n::status(status, ctx.lang.get())} " · "
                                    {d.captured_at.to_string()} " · " {d.description.clone()}
                                </a>
                            </li>
                        }
                    }/>
                </ul>
                <small class="muted">{move || ctx.t(K::DuplicateHint)}</small>
            </div>
        </Show>
    }
}
