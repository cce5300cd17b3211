//! The weekly 重大 report on the report page: open major complaints this device holds.

use crate::components::tick::use_now;
use crate::ctx::use_ctx;
use crate::i18n::{self, K};
use crate::logic::majors::open_majors;
use leptos::prelude::*;
use leptos_router::components::A;
use siteline_model::time::CHINA_OFFSET_MINUTES;
use std::time::Duration;

#[component]
pub fn Majors() -> impl IntoView {
    let ctx = use_ctx();
    let now = use_now(Duration::from_secs(60));
    let rows = Memo::new(move |_| {
        let t = now.get();
        ctx.replica.with(|r| {
            r.as_ref()
                .map(|r| ctx.clock.with(|k| open_majors(r, k, t)))
                .unwrap_or_default()
        })
    });
    let local = |t: siteline_model::Timestamp| t.format_local(CHINA_OFFSET_MINUTES);
    view! {
        <section class="report-section" data-testid="report-majors">
            <h3>{move || ctx.t(K::RepWeeklyMajors)}</h3>
            <p class="hint">{move || format!("{} {}", rows.with(Vec::len), ctx.t(K::RepOpenMajors))}</p>
            <table class="report-table">
                <thead><tr>
                    <th>{move || ctx.t(K::RepNumber)}</th><th>{move || ctx.t(K::RepPlace)}</th>
                    <th>{move || ctx.t(K::RepAgeDays)}</th><th>{move || ctx.t(K::RepNextDue)}</th>
                    <th>{move || ctx.t(K::RepLastAction)}</th>
                </tr></thead>
                <tbody>
                    <For each=move || rows.get() key=|r| (r.id, r.age_days, r.summary.overdue_now) let:r>
                        {
                            let lang = ctx.lang;
                            let last = r.last.clone();
                            view! {
                                <tr data-testid="major-row" class:overdue=r.summary.overdue_now>
                                    <td><A href=format!("/complaints/{}", r.id)>{r.number.clone()}</A></td>
                                    <td>{format!("{} {}", r.site, r.location)}</td>
                                    <td>{r.age_days}</td>
                                    <td>{r.next_due.map(local).unwrap_or_default()}
                                        {r.summary.overdue_now.then(|| view! { " " <b>{move || ctx.t(K::RepOverdueMark)}</b> })}</td>
                                    <td>{move || last.as_ref().map(|(k, at)| format!("{} · {}", i18n::event_line(k, lang.get()), local(*at))).unwrap_or_default()}</td>
                                </tr>
                            }
                        }
                    </For>
                </tbody>
            </table>
        </section>
    }
}
