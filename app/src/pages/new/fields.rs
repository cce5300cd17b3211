//! Pieces of the intake form: text bindings to the draft with their errors, code chips (severity,
//! channel, customer type), the complainant block and the duplicate hint.

use crate::ctx::use_ctx;
use crate::i18n::{self, Lang, K};
use crate::logic::intake;
use crate::store::prefs::Draft;
use leptos::prelude::*;
use siteline_model::timelimit::possible_duplicates;
use siteline_model::validation::ValidationErrors;
use siteline_model::{ComplaintId, CustomerType, Status, Timestamp};

/// One field of every complaint on this device, with its capture time (reactive): what the
/// intake learns usual categories, recent places and units from.
pub fn on_device(
    ctx: crate::ctx::AppCtx,
    field: impl Fn(&siteline_model::Complaint) -> Option<String>,
) -> Vec<(Timestamp, String)> {
    ctx.replica.with(|r| {
        r.as_ref()
            .map(|r| {
                r.complaints()
                    .filter_map(|c| field(c).map(|v| (c.captured_at, v)))
                    .collect()
            })
            .unwrap_or_default()
    })
}

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

    /// The translated error of a field, if the last save attempt found one; its id is
    /// `<field>-error` (the control's `aria-describedby`), announced when it appears.
    pub fn error(self, field: &'static str) -> impl Fn() -> Option<AnyView> + Send + Sync {
        let ctx = use_ctx();
        move || {
            self.errors.with(|e| e.for_field(field)).map(|code| {
                view! {
                    <span class="field-error" id=format!("{field}-error") data-field=field role="alert">
                        {ctx.t(i18n::validation(code))}
                    </span>
                }
                .into_any()
            })
        }
    }

    /// `aria-invalid` of a field's control.
    pub fn invalid(self, field: &'static str) -> impl Fn() -> &'static str + Copy + Send + Sync {
        move || {
            if self.errors.with(|e| e.for_field(field).is_some()) {
                "true"
            } else {
                "false"
            }
        }
    }
}

/// A code field as one group of chips (radio buttons to assistive technology), `default`
/// chosen until another is tapped.
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
                <button type="button" class="chip" class:on=move || value() == code role="radio"
                    aria-checked=move || (value() == code).to_string() data-code=code
                    on:click=move |_| form.draft.update(|d| set(d, code.to_string()))>
                    {move || label(code, ctx.lang.get())}
                </button>
            }
        })
        .collect_view();
    let label_id = format!("{name}-label");
    view! {
        <div class="field" data-field=name>
            <span class="label" id=label_id.clone()>{move || ctx.t(title)}</span>
            {form.error(name)}
            <div class="chips" role="radiogroup" aria-labelledby=label_id
                aria-describedby=format!("{name}-error")>{chips}</div>
        </div>
    }
}

fn customer_type_label(code: &str, lang: Lang) -> &'static str {
    CustomerType::parse(code).map_or("", |t| i18n::customer_type(t, lang))
}

/// 投诉人: anonymous switch (hides and clears name, phone and customer type), name, phone, unit
/// (suggested from earlier complaints), customer type.
#[component]
pub fn ComplainantFields(form: Form) -> impl IntoView {
    let ctx = use_ctx();
    let anonymous = move || form.draft.with(|d| d.anonymous);
    // Units of earlier complaints on this device, newest first.
    let units =
        Memo::new(move |_| intake::most_recent(on_device(ctx, |c| c.complainant.unit.clone()), 50));
    let toggle = move |ev: leptos::ev::Event| {
        let on = event_target_checked(&ev);
        form.draft.update(|d| {
            d.anonymous = on;
            if on {
                d.complainant_name.clear();
                d.complainant_phone.clear();
                d.customer_type.clear();
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
                            aria-describedby="complainant_name-error" aria-invalid=form.invalid("complainant_name")
                            prop:value=form.text(|d| &d.complainant_name) on:input=form.set(|d, v| d.complainant_name = v)/>
                    </label>
                    <label>{move || ctx.t(K::ComplainantPhone)} {form.error("complainant_phone")}
                        <input name="complainant_phone" type="tel" inputmode="tel" autocomplete="off"
                            aria-describedby="complainant_phone-error" aria-invalid=form.invalid("complainant_phone")
                            prop:value=form.text(|d| &d.complainant_phone) on:input=form.set(|d, v| d.complainant_phone = v)/>
                    </label>
                </Show>
                <label>{move || ctx.t(K::ComplainantUnit)} {form.error("complainant_unit")}
                    <input name="complainant_unit" autocomplete="off" placeholder="3-1202" list="unit-suggestions"
                        aria-describedby="complainant_unit-error" aria-invalid=form.invalid("complainant_unit")
                        prop:value=form.text(|d| &d.complainant_unit) on:input=form.set(|d, v| d.complainant_unit = v)/>
                    <datalist id="unit-suggestions">
                        <For each=move || units.get() key=|u| u.clone() children=|u| view! { <option value=u/> }/>
                    </datalist>
                </label>
            </div>
            // 客户类型 belongs to a known complainant: none is kept for an anonymous one.
            <Show when=move || !anonymous()>
                <CodeChips form=form name="customer_type" title=K::CustomerType
                    codes=CustomerType::ALL.iter().map(|t| t.code()).collect()
                    label=customer_type_label get=|d| &d.customer_type set=|d, v| d.customer_type = v
                    default="owner"/>
            </Show>
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
            possible_duplicates(&loc, &cat, r.complaints())
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
