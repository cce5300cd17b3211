//! Read-only links to the report on screen: make one (label, days valid), copy its address,
//! see who opened it how often, revoke it.

use crate::api::Api;
use crate::ctx::use_ctx;
use crate::i18n::K;
use crate::logic::report_choice::{add_months, month_text, parse_month, ReportChoice};
use leptos::prelude::*;
use leptos::task::spawn_local;
use siteline_model::api::{CreateShareRequest, ShareInfo};
use siteline_model::time::CHINA_OFFSET_MINUTES;

/// `from – last month` (a link's `to` is the month after its last).
fn period_text(from: &str, to: &str) -> String {
    let last = parse_month(to).map(|m| month_text(add_months(m, -1)));
    format!("{from} – {}", last.unwrap_or_else(|| to.to_string()))
}

#[component]
pub fn Shares(choice: Memo<ReportChoice>) -> impl IntoView {
    let ctx = use_ctx();
    let list = RwSignal::new(Vec::<ShareInfo>::new());
    let made = RwSignal::new(None::<String>);
    let msg = RwSignal::new(None::<String>);
    let (label, days) = (
        RwSignal::new(String::new()),
        RwSignal::new("30".to_string()),
    );
    let reload = move || {
        spawn_local(async move {
            match Api::new(ctx.token()).shares().await {
                Ok(l) => list.set(l),
                Err(e) => msg.set(Some(e.to_string())),
            }
        })
    };
    reload();
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let c = choice.get_untracked();
        let Ok(expires) = days.get_untracked().trim().parse::<u32>() else {
            msg.set(Some(ctx.t(K::RepBadDays).to_string()));
            return;
        };
        let req = CreateShareRequest {
            site: c.site.clone(),
            from: month_text(c.from),
            to: month_text(c.to),
            period: c.period,
            label: Some(label.get_untracked()).filter(|l| !l.trim().is_empty()),
            expires_in_days: Some(expires),
        };
        spawn_local(async move {
            match Api::new(ctx.token()).create_share(&req).await {
                Ok(s) => {
                    made.set(Some(s.url));
                    msg.set(None);
                    reload();
                }
                Err(e) => msg.set(Some(e.to_string())),
            }
        });
    };
    let revoke = move |id: String| {
        spawn_local(async move {
            if let Err(e) = Api::new(ctx.token()).revoke_share(&id).await {
                msg.set(Some(e.to_string()));
            }
            reload();
        });
    };
    let day = |t: siteline_model::Timestamp| {
        t.format_local(CHINA_OFFSET_MINUTES)
            .chars()
            .take(10)
            .collect::<String>()
    };
    view! {
        <section class="report-section no-print" data-testid="report-shares">
            <h3>{move || ctx.t(K::RepShare)}</h3>
            <form class="admin-form" on:submit=create data-testid="share-form">
                <label>{move || ctx.t(K::RepShareLabel)}
                    <input name="share_label" prop:value=label on:input=move |ev| label.set(event_target_value(&ev))/></label>
                <label>{move || ctx.t(K::RepShareDays)}
                    <input name="share_days" inputmode="numeric" prop:value=days on:input=move |ev| days.set(event_target_value(&ev))/></label>
                <button type="submit">{move || ctx.t(K::RepShareCreate)}</button>
            </form>
            <p role="status" class="form-msg">{move || msg.get()}</p>
            {move || made.get().map(|url| view! {
                <p class="share-made">{move || ctx.t(K::RepShareMade)} " "
                    <a href=url.clone() data-testid="share-url" target="_blank" rel="noopener">{url.clone()}</a></p>
            })}
            <table class="report-table">
                <thead><tr>
                    <th>{move || ctx.t(K::RepShareLabel)}</th><th>{move || ctx.t(K::RepPeriod)}</th>
                    <th>{move || ctx.t(K::RepShareUntil)}</th><th>{move || ctx.t(K::RepShareOpened)}</th><th></th>
                </tr></thead>
                <tbody>
                    <For each=move || list.get() key=|s| (s.id.clone(), s.revoked_at.is_some(), s.open_count) let:s>
                        {
                            let id = s.id.clone();
                            let live = s.revoked_at.is_none();
                            view! {
                                <tr data-testid="share-row">
                                    <td>{s.label.clone()}</td>
                                    <td>{period_text(&s.from, &s.to)} " " {s.site.clone().unwrap_or_default()}</td>
                                    <td>{day(s.expires_at)}</td>
                                    <td>{s.open_count}</td>
                                    <td>{if live {
                                        let id = id.clone();
                                        view! { <button type="button" data-testid="share-revoke"
                                            on:click=move |_| revoke(id.clone())>{move || ctx.t(K::RepShareRevoke)}</button> }.into_any()
                                    } else {
                                        view! { <span>{move || ctx.t(K::RepShareRevoked)}</span> }.into_any()
                                    }}</td>
                                </tr>
                            }
                        }
                    </For>
                </tbody>
            </table>
        </section>
    }
}
