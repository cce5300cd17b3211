//! `/setup`: the first run of a new server, guided — ① the site (its name and its places, building
//! › floor › area, one per line), ② the first users, ③ done. An admin lands here after logging in
//! while the server says setup is needed; it can be left and taken up again from `/admin`.

use super::admin::NewUser;
use crate::api::{Api, ApiError};
use crate::ctx::{use_ctx, AppCtx};
use crate::i18n::{self, K};
use crate::logic::setup::{place_count, places};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use siteline_model::api::{SiteInfo, SiteUpdate, UserInfo};
use siteline_model::Role;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    Site,
    People,
    Done,
}

fn error_text(ctx: AppCtx, e: ApiError) -> String {
    match e {
        ApiError::Network(_) => ctx.t(K::SetupNeedsNetwork).to_string(),
        ApiError::Server { message, .. } => message,
        e => e.to_string(),
    }
}

#[component]
pub fn SetupPage() -> impl IntoView {
    let ctx = use_ctx();
    let is_admin = move || ctx.role() == Some(Role::Admin);
    let step = RwSignal::new(Step::Site);
    let sites = RwSignal::new(Vec::<SiteInfo>::new());
    let users = RwSignal::new(Vec::<UserInfo>::new());
    let msg = RwSignal::new(None::<String>);
    let reload = move || {
        spawn_local(async move {
            let api = Api::new(ctx.token());
            match (api.sites().await, api.users().await) {
                (Ok(s), Ok(u)) => {
                    ctx.set_sites(s.clone());
                    sites.set(s);
                    users.set(u);
                }
                (Err(e), _) | (_, Err(e)) => msg.set(Some(error_text(ctx, e))),
            }
        })
    };
    reload();
    let step_class = move |s: Step| move || if step.get() == s { "step on" } else { "step" };
    let current = move |s: Step| move || (step.get() == s).then_some("step");
    view! {
        <Show when=is_admin fallback=move || view! { <p>{move || ctx.t(K::AdminOnly)}</p> }>
            <section class="setup-page" data-testid="setup-page">
                <h2>{move || ctx.t(K::SetupTitle)}</h2>
                <ol class="steps" aria-label=move || ctx.t(K::SetupTitle)>
                    <li class=step_class(Step::Site) aria-current=current(Step::Site)>{move || ctx.t(K::SetupStepSite)}</li>
                    <li class=step_class(Step::People) aria-current=current(Step::People)>{move || ctx.t(K::SetupStepPeople)}</li>
                    <li class=step_class(Step::Done) aria-current=current(Step::Done)>{move || ctx.t(K::SetupStepDone)}</li>
                </ol>
                <p class="form-msg" role="status" data-testid="setup-msg">{move || msg.get()}</p>
                {move || match step.get() {
                    Step::Site => sites.with(|s| s.first().cloned()).map(|site| {
                        view! { <SiteStep site step msg reload/> }.into_any()
                    }).unwrap_or_else(|| ().into_any()),
                    Step::People => view! { <PeopleStep sites users step msg reload/> }.into_any(),
                    Step::Done => view! { <DoneStep sites users/> }.into_any(),
                }}
                <p><A href="/">{move || ctx.t(K::SetupLater)}</A></p>
            </section>
        </Show>
    }
}

/// ① The default site: a name for it and its places.
#[component]
fn SiteStep(
    site: SiteInfo,
    step: RwSignal<Step>,
    msg: RwSignal<Option<String>>,
    reload: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let ctx = use_ctx();
    let name = RwSignal::new(site.name.clone());
    let typed = RwSignal::new(site.locations.join("\n"));
    let problem = RwSignal::new(None::<K>);
    let code = site.code.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = typed.get_untracked();
        if name.get_untracked().trim().is_empty() {
            return problem.set(Some(K::AdminNeedsName));
        }
        if place_count(&text) == 0 {
            return problem.set(Some(K::SetupNeedsPlaces));
        }
        problem.set(None);
        let req = SiteUpdate {
            name: Some(name.get_untracked().trim().to_string()),
            add_locations: places(&text),
        };
        let code = code.clone();
        spawn_local(async move {
            match Api::new(ctx.token()).update_site(&code, &req).await {
                Ok(_) => {
                    msg.set(None);
                    reload();
                    step.set(Step::People);
                }
                Err(e) => msg.set(Some(error_text(ctx, e))),
            }
        });
    };
    view! {
        <form class="setup-form" data-testid="setup-site" on:submit=submit>
            <p class="hint">{move || ctx.t(K::SetupSiteHint)}</p>
            <label>{move || ctx.t(K::AdminName)} " *"
                <input name="site_name" prop:value=move || name.get()
                    on:input=move |ev| name.set(event_target_value(&ev))/>
            </label>
            <p class="hint">{move || ctx.t(K::SetupSiteCode)} " " <code>{site.code.clone()}</code></p>
            <label>{move || ctx.t(K::SetupPlaces)} " *"
                <textarea name="site_places" rows="8" aria-describedby="site_places-error"
                    placeholder="1栋 › 大堂\n1栋 › B2 停车场\n2栋 › 3F › 电梯厅"
                    prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev))></textarea>
            </label>
            <small class="hint">{move || ctx.t(K::SetupPlaceHint)} " "
                {move || format!("{}{}", ctx.t(K::SetupPlaceCount), place_count(&typed.get()))}</small>
            <span class="field-error" id="site_places-error" role="alert">{move || problem.get().map(|k| ctx.t(k))}</span>
            <button type="submit" class="primary" data-testid="setup-next">{move || ctx.t(K::SetupNext)}</button>
        </form>
    }
}

/// ② The first users, made with the admin page's form (the site ticked).
#[component]
fn PeopleStep(
    sites: RwSignal<Vec<SiteInfo>>,
    users: RwSignal<Vec<UserInfo>>,
    step: RwSignal<Step>,
    msg: RwSignal<Option<String>>,
    reload: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let ctx = use_ctx();
    let preset: Vec<String> =
        sites.with_untracked(|s| s.iter().take(1).map(|s| s.code.clone()).collect());
    view! {
        <p class="hint">{move || ctx.t(K::SetupPeopleHint)}</p>
        <ul class="setup-users" data-testid="setup-users">
            <For each=move || users.get() key=|u| u.username.clone() let:u>
                <li>{format!("{} · {} · ", u.display_name, u.username)}{move || i18n::role(u.role, ctx.lang.get())}</li>
            </For>
        </ul>
        <NewUser sites msg reload preset_sites=preset/>
        <button type="button" class="primary" data-testid="setup-finish" on:click=move |_| step.set(Step::Done)>
            {move || ctx.t(K::SetupNext)}
        </button>
    }
}

/// ③ What was set up, and where to go next.
#[component]
fn DoneStep(sites: RwSignal<Vec<SiteInfo>>, users: RwSignal<Vec<UserInfo>>) -> impl IntoView {
    let ctx = use_ctx();
    let summary = move || {
        let (name, places) = sites.with(|s| {
            s.first()
                .map(|s| (s.name.clone(), s.locations.len()))
                .unwrap_or_default()
        });
        format!(
            "{name} · {} {places} · {} {}",
            ctx.t(K::SetupPlaces),
            ctx.t(K::SetupStepPeople),
            users.with(Vec::len)
        )
    };
    view! {
        <div data-testid="setup-done">
            <p><strong>{summary}</strong></p>
            <p>{move || ctx.t(K::SetupDoneText)}</p>
            <p><A href="/admin">{move || ctx.t(K::Admin)}</A></p>
        </div>
    }
}
