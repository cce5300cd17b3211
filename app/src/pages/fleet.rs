//! `/fleet` (supervisors, admins; online): every tablet that syncs to my sites — user, app
//! version, last sync, records still unsynced and the oldest one's age, storage and persistence
//! as the tablet reported them; tablets silent for more than a shift while holding unsynced
//! records come first, marked.

use crate::api::Api;
use crate::ctx::{now, use_ctx};
use crate::i18n::K;
use crate::logic::time::duration_text;
use leptos::prelude::*;
use leptos::task::spawn_local;
use siteline_model::fleet::FleetResponse;
use siteline_model::time::CHINA_OFFSET_MINUTES;

#[component]
pub fn FleetPage() -> impl IntoView {
    let ctx = use_ctx();
    let fleet = RwSignal::new(None::<FleetResponse>);
    let error = RwSignal::new(None::<String>);
    let load = move || {
        spawn_local(async move {
            match Api::new(ctx.token()).fleet().await {
                Ok(f) => {
                    error.set(None);
                    fleet.set(Some(f));
                }
                Err(e) => error.set(Some(e.to_string())),
            }
        })
    };
    load();
    let mb = |b: Option<u64>| b.map_or("—".to_string(), |b| format!("{:.0}", b as f64 / 1e6));
    let rows = move || fleet.get().map(|f| f.devices).unwrap_or_default();
    view! {
        <section class="fleet-page" data-testid="fleet-page">
            <h2>{move || ctx.t(K::Fleet)}</h2>
            <p class="hint">{move || fleet.get().map(|f| format!("{} {} {}", ctx.t(K::FleetSilentRule), f.silent_after_hours, ctx.t(K::FleetHours)))}</p>
            <p class="form-msg" role="alert">{move || error.get()}</p>
            <button type="button" on:click=move |_| load()>{move || ctx.t(K::FleetRefresh)}</button>
            <table class="report-table">
                <thead><tr>
                    <th>{move || ctx.t(K::FleetUser)}</th><th>{move || ctx.t(K::FleetLastSync)}</th>
                    <th>{move || ctx.t(K::FleetUnsynced)}</th><th>{move || ctx.t(K::FleetOldest)}</th>
                    <th>{move || ctx.t(K::FleetStorage)}</th><th>{move || ctx.t(K::FleetPersisted)}</th>
                    <th>{move || ctx.t(K::FleetVersion)}</th>
                </tr></thead>
                <tbody>
                    <For each=rows key=|d| (d.device_id, d.username.clone(), d.last_seen) let:d>
                        {
                            let lang = ctx.lang;
                            let t = now();
                            let ago = move |at: siteline_model::Timestamp| duration_text((t.millis() - at.millis()).max(0), lang.get());
                            let seen = d.last_seen;
                            let oldest = d.oldest_pending_at;
                            view! {
                                <tr data-testid="fleet-row" class:overdue=d.silent>
                                    <td>{d.display_name.clone()} " (" {d.username.clone()} ")"
                                        {d.silent.then(|| view! { " " <b data-testid="fleet-silent">{move || ctx.t(K::FleetSilent)}</b> })}
                                        <br/><small>{d.device_id.to_string().chars().take(8).collect::<String>()}</small></td>
                                    <td>{seen.format_local(CHINA_OFFSET_MINUTES)} <br/><small>{move || ago(seen)}</small></td>
                                    <td>{d.pending_records}</td>
                                    <td>{move || oldest.map(ago).unwrap_or_default()}</td>
                                    <td>{format!("{} / {} MB", mb(d.storage_used), mb(d.storage_quota))}</td>
                                    <td>{move || match d.persisted { Some(true) => ctx.t(K::PersistOn), Some(false) => ctx.t(K::PersistOff), None => "—" }}</td>
                                    <td>{d.app_version.clone()}</td>
                                </tr>
                            }
                        }
                    </For>
                </tbody>
            </table>
        </section>
    }
}
