//! `/admin` site settings: a site's time limits and working hours, its holidays and make-up
//! working days, and its own categories. Form rules are in `logic::site_settings`.

use super::say;
use crate::api::{Api, ApiError};
use crate::ctx::{use_ctx, AppCtx};
use crate::i18n::{self, K};
use crate::logic::site_settings::{self as rules, SettingsProblem, POLICY_FIELDS};
use leptos::prelude::*;
use leptos::task::spawn_local;
use siteline_model::api::{DayUpdate, PolicyUpdate, SiteInfo};
use siteline_model::calendar::DayKind;
use siteline_model::category;

fn field_label(field: &str) -> K {
    match field {
        "notice_minutes" => K::PolNotice,
        "reply_verbal_working_days" => K::PolReplyVerbal,
        "reply_max_working_days" => K::PolReplyMax,
        "major_respond_hours" => K::PolMajorRespond,
        "major_answer_working_days" => K::PolMajorAnswer,
        "major_close_working_days" => K::PolMajorClose,
        "escalate_unresolved_days" => K::PolEscalate,
        "repeat_window_days" => K::PolRepeat,
        "due_soon_percent" => K::PolDueSoonPercent,
        _ => K::PolDueSoonMinutes,
    }
}

fn problem_text(ctx: AppCtx, p: &SettingsProblem) -> String {
    match p {
        SettingsProblem::PolicyValue(f) => {
            format!("{}{}", ctx.t(K::AdminBadPolicy), ctx.t(field_label(f)))
        }
        SettingsProblem::Hours => ctx.t(K::AdminBadHours).into(),
        SettingsProblem::Date => ctx.t(K::AdminBadDate).into(),
        SettingsProblem::CategorySlug => ctx.t(K::AdminBadSlug).into(),
        SettingsProblem::CategoryParent => ctx.t(K::AdminBadParent).into(),
        SettingsProblem::CategoryName => ctx.t(K::AdminNeedsZh).into(),
    }
}

/// Runs an admin call, says how it went, reloads the page's data.
fn send<T: 'static>(
    ctx: AppCtx,
    msg: RwSignal<Option<String>>,
    reload: impl Fn() + Copy + Send + Sync + 'static,
    call: impl std::future::Future<Output = Result<T, ApiError>> + 'static,
) {
    spawn_local(async move {
        let r = call.await;
        say(ctx, msg, r.map(|_| ()));
        reload();
    });
}

#[component]
pub fn SiteSettings(
    sites: RwSignal<Vec<SiteInfo>>,
    msg: RwSignal<Option<String>>,
    reload: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let ctx = use_ctx();
    let chosen = RwSignal::new(String::new());
    let site = Memo::new(move |_| {
        let code = chosen.get();
        sites.with(|all| {
            all.iter()
                .find(|s| s.code == code)
                .or_else(|| all.first())
                .cloned()
        })
    });
    view! {
        <h3>{move || ctx.t(K::AdminSiteSettings)}</h3>
        <label>{move || ctx.t(K::AdminSites)}
            <select name="settings_site" data-testid="settings-site"
                on:change=move |ev| chosen.set(event_target_value(&ev))>
                <For each=move || sites.get() key=|s| s.code.clone() let:s>
                    <option value=s.code.clone()>{format!("{} {}", s.code, s.name)}</option>
                </For>
            </select>
        </label>
        {move || site.get().map(|s| view! {
            <PolicyForm site=s.clone() msg reload/>
            <DaysForm site=s.clone() msg reload/>
            <CategoriesForm site=s msg reload/>
        })}
    }
}

#[component]
fn PolicyForm(
    site: SiteInfo,
    msg: RwSignal<Option<String>>,
    reload: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let ctx = use_ctx();
    let values: Vec<(&'static str, RwSignal<String>)> = POLICY_FIELDS
        .iter()
        .map(|f| {
            (
                *f,
                RwSignal::new(rules::policy_value(&site.policy, f).to_string()),
            )
        })
        .collect();
    let start = RwSignal::new(rules::hhmm(site.hours.start_min));
    let end = RwSignal::new(rules::hhmm(site.hours.end_min));
    let (code, policy, hours) = (site.code.clone(), site.policy.clone(), site.hours);
    let typed = values.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let texts: Vec<(&'static str, String)> =
            typed.iter().map(|(f, v)| (*f, v.get_untracked())).collect();
        let req = rules::policy_from(&policy, &texts).and_then(|p| {
            rules::hours_from(&hours, &start.get_untracked(), &end.get_untracked()).map(|h| {
                PolicyUpdate {
                    policy: Some(p),
                    hours: Some(h),
                }
            })
        });
        match req {
            Err(p) => msg.set(Some(problem_text(ctx, &p))),
            Ok(req) => {
                let code = code.clone();
                send(ctx, msg, reload, async move {
                    Api::new(ctx.token()).set_site_policy(&code, &req).await
                })
            }
        }
    };
    view! {
        <form class="admin-form" on:submit=submit data-testid="site-policy">
            <h4>{move || ctx.t(K::AdminPolicy)}</h4>
            {values.into_iter().map(|(f, v)| view! {
                <label>{move || ctx.t(field_label(f))}
                    <input name=f inputmode="numeric" prop:value=v
                        on:input=move |ev| v.set(event_target_value(&ev))/></label>
            }).collect_view()}
            <h4>{move || ctx.t(K::AdminHours)}</h4>
            <label>{move || ctx.t(K::AdminHoursStart)}
                <input name="hours_start" type="time" prop:value=start
                    on:input=move |ev| start.set(event_target_value(&ev))/></label>
            <label>{move || ctx.t(K::AdminHoursEnd)}
                <input name="hours_end" type="time" prop:value=end
                    on:input=move |ev| end.set(event_target_value(&ev))/></label>
            <button type="submit">{move || ctx.t(K::AdminSave)}</button>
        </form>
    }
}

#[component]
fn DaysForm(
    site: SiteInfo,
    msg: RwSignal<Option<String>>,
    reload: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let ctx = use_ctx();
    let (date, work) = (RwSignal::new(String::new()), RwSignal::new(false));
    let code = StoredValue::new(site.code.clone());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match rules::day_date(&date.get_untracked()) {
            Err(p) => msg.set(Some(problem_text(ctx, &p))),
            Ok(day) => {
                let kind = if work.get_untracked() {
                    DayKind::Work
                } else {
                    DayKind::Off
                };
                let code = code.get_value();
                send(ctx, msg, reload, async move {
                    Api::new(ctx.token())
                        .set_site_day(&code, &day, &DayUpdate { kind })
                        .await
                })
            }
        }
    };
    let kind_text = move |k: DayKind| {
        ctx.t(match k {
            DayKind::Off => K::AdminDayOff,
            DayKind::Work => K::AdminDayWork,
        })
    };
    let days = site.days.clone();
    view! {
        <form class="admin-form" on:submit=submit data-testid="site-days">
            <h4>{move || ctx.t(K::AdminDays)}</h4>
            <ul class="admin-days">
                {days.into_iter().map(|d| {
                    let day = d.date.clone();
                    let remove = move |_| {
                        let (code, day) = (code.get_value(), day.clone());
                        send(ctx, msg, reload, async move {
                            Api::new(ctx.token()).delete_site_day(&code, &day).await
                        })
                    };
                    view! {
                        <li data-testid="site-day">
                            {d.date.clone()} " · " {move || kind_text(d.kind)} " "
                            <button type="button" on:click=remove>{move || ctx.t(K::AdminRemove)}</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <label>{move || ctx.t(K::AdminDate)}
                <input name="day_date" type="date" prop:value=date
                    on:input=move |ev| date.set(event_target_value(&ev))/></label>
            <label>
                <select name="day_kind" aria-label=move || ctx.t(K::AdminDays)
                    prop:value=move || if work.get() { "work" } else { "off" }
                    on:change=move |ev| work.set(event_target_value(&ev) == "work")>
                    <option value="off">{move || ctx.t(K::AdminDayOff)}</option>
                    <option value="work">{move || ctx.t(K::AdminDayWork)}</option>
                </select>
            </label>
            <button type="submit">{move || ctx.t(K::AdminAdd)}</button>
        </form>
    }
}

#[component]
fn CategoriesForm(
    site: SiteInfo,
    msg: RwSignal<Option<String>>,
    reload: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let ctx = use_ctx();
    let parent = RwSignal::new(
        category::top_level()
            .next()
            .map(|c| c.code.to_string())
            .unwrap_or_default(),
    );
    let (slug, zh, en) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let code = StoredValue::new(site.code.clone());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let req = rules::category_from(
            &parent.get_untracked(),
            &slug.get_untracked(),
            &zh.get_untracked(),
            &en.get_untracked(),
        );
        match req {
            Err(p) => msg.set(Some(problem_text(ctx, &p))),
            Ok(req) => {
                let code = code.get_value();
                send(ctx, msg, reload, async move {
                    Api::new(ctx.token()).add_site_category(&code, &req).await
                })
            }
        }
    };
    let lang = move || ctx.lang.get();
    let categories = site.categories.clone();
    view! {
        <form class="admin-form" on:submit=submit data-testid="site-categories">
            <h4>{move || ctx.t(K::AdminCategories)}</h4>
            <ul>
                {categories.into_iter().map(|c| view! {
                    <li data-testid="site-category">
                        {move || i18n::category_name(&c.parent, lang())} " › "
                        {c.zh.clone()} " / " {c.en.clone()} " (" {c.code.clone()} ")"
                    </li>
                }).collect_view()}
            </ul>
            <label>{move || ctx.t(K::AdminCategoryParent)}
                <select name="category_parent" prop:value=parent
                    on:change=move |ev| parent.set(event_target_value(&ev))>
                    {category::top_level().map(|c| view! {
                        <option value=c.code>{move || i18n::category_name(c.code, lang())}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>{move || ctx.t(K::AdminCategorySlug)}
                <input name="category_slug" prop:value=slug on:input=move |ev| slug.set(event_target_value(&ev))/></label>
            <label>{move || ctx.t(K::AdminCategoryZh)}
                <input name="category_zh" prop:value=zh on:input=move |ev| zh.set(event_target_value(&ev))/></label>
            <label>{move || ctx.t(K::AdminCategoryEn)}
                <input name="category_en" prop:value=en on:input=move |ev| en.set(event_target_value(&ev))/></label>
            <button type="submit">{move || ctx.t(K::AdminAdd)}</button>
        </form>
    }
}
