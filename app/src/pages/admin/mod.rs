//! `/admin` (admins only, online): users — create, role, department, sites, disable, reset the
//! password — and sites — create with their location tree; each site's settings are in
//! `site_settings`. Form rules are in `logic::admin`.

mod site_settings;

use crate::api::{Api, ApiError};
use crate::ctx::{use_ctx, AppCtx};
use crate::i18n::{self, K};
use crate::logic::admin::{self, FormProblem, UserForm};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use siteline_model::api::{SiteInfo, UpdateUserRequest, UserInfo};
use siteline_model::department::DEPARTMENTS;
use siteline_model::Role;

/// What the page shows after an action: done, or why not.
fn say(ctx: AppCtx, msg: RwSignal<Option<String>>, r: Result<(), ApiError>) {
    msg.set(Some(match r {
        Ok(()) => ctx.t(K::Saved).to_string(),
        Err(ApiError::Server { message, .. }) => message,
        Err(e) => e.to_string(),
    }));
}

fn problem_text(ctx: AppCtx, p: FormProblem) -> &'static str {
    ctx.t(match p {
        FormProblem::Username => K::AdminBadUsername,
        FormProblem::Password => K::AdminBadPassword,
        FormProblem::NeedsSite => K::AdminNeedsSite,
        FormProblem::NeedsDepartment => K::AdminNeedsDepartment,
        FormProblem::SiteCode => K::AdminBadSiteCode,
        FormProblem::SiteName => K::AdminNeedsName,
    })
}

#[component]
pub fn AdminPage() -> impl IntoView {
    let ctx = use_ctx();
    let is_admin = move || {
        ctx.session
            .with(|s| s.as_ref().is_some_and(|s| s.user.role == Role::Admin))
    };
    let users = RwSignal::new(Vec::<UserInfo>::new());
    let sites = RwSignal::new(Vec::<SiteInfo>::new());
    let msg = RwSignal::new(None::<String>);
    let reload = move || {
        spawn_local(async move {
            let api = Api::new(ctx.token());
            match (api.users().await, api.sites().await) {
                (Ok(u), Ok(s)) => {
                    users.set(u);
                    sites.set(s);
                }
                (Err(e), _) | (_, Err(e)) => msg.set(Some(e.to_string())),
            }
        })
    };
    reload();
    view! {
        <Show when=is_admin fallback=move || view! { <p>{move || ctx.t(K::AdminOnly)}</p> }>
            <section class="admin-page" data-testid="admin-page">
                <h2>{move || ctx.t(K::Admin)}</h2>
                <p><A href="/setup" attr:data-testid="open-setup">{move || ctx.t(K::SetupOpen)}</A></p>
                <p class="form-msg" role="status">{move || msg.get()}</p>
                <UserList users sites msg reload/>
                <NewUser sites msg reload/>
                <SiteList sites/>
                <NewSite msg reload/>
                <site_settings::SiteSettings sites msg reload/>
            </section>
        </Show>
    }
}

#[component]
fn UserList(
    users: RwSignal<Vec<UserInfo>>,
    sites: RwSignal<Vec<SiteInfo>>,
    msg: RwSignal<Option<String>>,
    reload: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let ctx = use_ctx();
    let _ = sites;
    let reset_for = RwSignal::new(None::<String>);
    let new_pw = RwSignal::new(String::new());
    let update = move |username: String, req: UpdateUserRequest| {
        spawn_local(async move {
            let r = Api::new(ctx.token()).update_user(&username, &req).await;
            say(ctx, msg, r.map(|_| ()));
            reload();
        })
    };
    let reset = move |_| {
        if let Some(u) = reset_for.get_untracked() {
            let req = UpdateUserRequest {
                password: Some(new_pw.get_untracked()),
                ..Default::default()
            };
            update(u, req);
            reset_for.set(None);
            new_pw.set(String::new());
        }
    };
    view! {
        <h3>{move || ctx.t(K::AdminUsers)}</h3>
        <table class="admin-users">
            <thead><tr>
                <th>{move || ctx.t(K::Username)}</th><th>{move || ctx.t(K::AdminName)}</th>
                <th>{move || ctx.t(K::AdminRole)}</th><th>{move || ctx.t(K::AdminDepartment)}</th>
                <th>{move || ctx.t(K::AdminSites)}</th><th></th>
            </tr></thead>
            <tbody>
                <For each=move || users.get() key=|u| (u.username.clone(), u.disabled, u.sites.clone()) let:u>
                    {
                        let name = u.username.clone();
                        let (n1, n2) = (name.clone(), name.clone());
                        let disabled = u.disabled;
                        view! {
                            <tr data-testid="admin-user" data-username=name.clone() class:disabled=disabled>
                                <td>{name.clone()}</td>
                                <td>{u.display_name.clone()}</td>
                                <td>{move || i18n::role(u.role, ctx.lang.get())}</td>
                                <td>{u.department.clone().map(|d| i18n::department_name(&d, ctx.lang.get_untracked())).unwrap_or_default()}</td>
                                <td>{if u.sites.is_empty() { "*".to_string() } else { u.sites.join(", ") }}</td>
                                <td>
                                    <button type="button" data-testid="toggle-disabled" on:click=move |_| {
                                        update(n1.clone(), UpdateUserRequest { disabled: Some(!disabled), ..Default::default() })
                                    }>{move || ctx.t(if disabled { K::AdminEnable } else { K::AdminDisable })}</button>
                                    " "
                                    <button type="button" on:click=move |_| reset_for.set(Some(n2.clone()))>
                                        {move || ctx.t(K::AdminResetPassword)}
                                    </button>
                                </td>
                            </tr>
                        }
                    }
                </For>
            </tbody>
        </table>
        <Show when=move || reset_for.with(Option::is_some)>
            <p class="admin-reset">
                {move || reset_for.get().unwrap_or_default()} ": "
                <input type="password" name="new_password" autocomplete="new-password"
                    prop:value=new_pw on:input=move |ev| new_pw.set(event_target_value(&ev))/>
                <button type="button" on:click=reset>{move || ctx.t(K::AdminResetPassword)}</button>
            </p>
        </Show>
    }
}

#[component]
pub(crate) fn NewUser(
    sites: RwSignal<Vec<SiteInfo>>,
    msg: RwSignal<Option<String>>,
    reload: impl Fn() + Copy + Send + Sync + 'static,
    /// Sites ticked when the form opens (and after each user made).
    #[prop(optional)]
    preset_sites: Vec<String>,
) -> impl IntoView {
    let ctx = use_ctx();
    let blank = StoredValue::new(UserForm {
        role: "staff".into(),
        sites: preset_sites,
        ..Default::default()
    });
    let form = RwSignal::new(blank.get_value());
    let field = move |set: fn(&mut UserForm, String)| {
        move |ev: leptos::ev::Event| form.update(|f| set(f, event_target_value(&ev)))
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match admin::user_request(&form.get_untracked()) {
            Err(p) => msg.set(Some(problem_text(ctx, p).to_string())),
            Ok(req) => spawn_local(async move {
                let r = Api::new(ctx.token()).create_user(&req).await;
                if r.is_ok() {
                    form.set(blank.get_value());
                }
                say(ctx, msg, r.map(|_| ()));
                reload();
            }),
        }
    };
    view! {
        <h3>{move || ctx.t(K::AdminNewUser)}</h3>
        <form class="admin-form" on:submit=submit data-testid="new-user">
            <label>{move || ctx.t(K::Username)}
                <input name="new_username" prop:value=move || form.with(|f| f.username.clone()) on:input=field(|f, v| f.username = v)/></label>
            <label>{move || ctx.t(K::AdminName)}
                <input name="new_display_name" prop:value=move || form.with(|f| f.display_name.clone()) on:input=field(|f, v| f.display_name = v)/></label>
            <label>{move || ctx.t(K::Password)}
                <input type="password" name="new_password_user" autocomplete="new-password"
                    prop:value=move || form.with(|f| f.password.clone()) on:input=field(|f, v| f.password = v)/></label>
            <label>{move || ctx.t(K::AdminRole)}
                <select name="new_role" on:change=field(|f, v| f.role = v)>
                    {[Role::Staff, Role::Handler, Role::Supervisor, Role::Admin].into_iter().map(|r| view! {
                        <option value=r.code() selected=move || form.with(|f| f.role == r.code())>{move || i18n::role(r, ctx.lang.get())}</option>
                    }).collect_view()}
                </select></label>
            <label>{move || ctx.t(K::AdminDepartment)}
                <select name="new_department" on:change=field(|f, v| f.department = v)>
                    <option value="">"—"</option>
                    {DEPARTMENTS.iter().map(|d| view! {
                        <option value=d.code>{move || if ctx.lang.get() == i18n::Lang::Zh { d.zh } else { d.en }}</option>
                    }).collect_view()}
                </select></label>
            <fieldset><legend>{move || ctx.t(K::AdminSites)}</legend>
                <For each=move || sites.get() key=|s| s.code.clone() let:s>
                    {
                        let code = s.code.clone();
                        let c2 = code.clone();
                        view! {
                            <label class="check"><input type="checkbox" name="new_site" value=code.clone()
                                prop:checked=move || form.with(|f| f.sites.contains(&c2))
                                on:change=move |_| form.update(|f| admin::toggle_site(&mut f.sites, &code))/>
                                {format!("{} {}", s.code, s.name)}</label>
                        }
                    }
                </For>
            </fieldset>
            <button type="submit">{move || ctx.t(K::AdminCreate)}</button>
        </form>
    }
}

#[component]
fn SiteList(sites: RwSignal<Vec<SiteInfo>>) -> impl IntoView {
    let ctx = use_ctx();
    view! {
        <h3>{move || ctx.t(K::AdminSites)}</h3>
        <ul class="admin-sites">
            <For each=move || sites.get() key=|s| (s.code.clone(), s.locations.len()) let:s>
                <li data-testid="admin-site">
                    <b>{s.code.clone()}</b> " " {s.name.clone()} " · "
                    {move || format!("{} {}", s.locations.len(), ctx.t(K::AdminLocations))}
                </li>
            </For>
        </ul>
    }
}

#[component]
fn NewSite(
    msg: RwSignal<Option<String>>,
    reload: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let ctx = use_ctx();
    let (code, name, locations) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let req = admin::site_request(
            &code.get_untracked(),
            &name.get_untracked(),
            &locations.get_untracked(),
        );
        match req {
            Err(p) => msg.set(Some(problem_text(ctx, p).to_string())),
            Ok(req) => spawn_local(async move {
                let r = Api::new(ctx.token()).create_site(&req).await;
                if r.is_ok() {
                    code.set(String::new());
                    name.set(String::new());
                    locations.set(String::new());
                }
                say(ctx, msg, r.map(|_| ()));
                reload();
            }),
        }
    };
    view! {
        <h3>{move || ctx.t(K::AdminNewSite)}</h3>
        <form class="admin-form" on:submit=submit data-testid="new-site">
            <label>{move || ctx.t(K::AdminSiteCode)}
                <input name="site_code" prop:value=code on:input=move |ev| code.set(event_target_value(&ev))/></label>
            <label>{move || ctx.t(K::AdminName)}
                <input name="site_name" prop:value=name on:input=move |ev| name.set(event_target_value(&ev))/></label>
            <label>{move || ctx.t(K::AdminLocationLines)}
                <textarea name="site_locations" rows="5" prop:value=locations
                    on:input=move |ev| locations.set(event_target_value(&ev))></textarea></label>
            <button type="submit">{move || ctx.t(K::AdminCreate)}</button>
        </form>
    }
}
