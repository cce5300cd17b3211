//! The board's filter — site, building, department, severity, category, channel, capture dates,
//! overdue only — read from and written to the URL so a filtered board can be bookmarked.

use super::board::Card;
use crate::logic::time::local_midnight;
use siteline_model::report::top_category;
use siteline_model::time::CHINA_OFFSET_MINUTES;
use siteline_model::{Channel, Severity, Timestamp};

const DAY_MS: i64 = 86_400_000;

/// What the filter bar selects. Empty strings mean "any".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    pub site: String,
    /// The first level of the location tree (a building), or empty.
    pub building: String,
    /// A department code, `none` for not dispatched, or empty.
    pub department: String,
    /// A severity code, or empty.
    pub severity: String,
    /// A top-level category code, or empty.
    pub category: String,
    /// A channel code, or empty.
    pub channel: String,
    /// Capture dates `yyyy-mm-dd` (China), both included, or empty.
    pub from: String,
    pub to: String,
    pub overdue_only: bool,
}

/// A capture date's start in China time.
fn day_start(s: &str) -> Option<Timestamp> {
    let mut it = s.trim().splitn(3, '-');
    let y: i32 = it.next()?.parse().ok()?;
    let m: u32 = it.next()?.parse().ok()?;
    let d: u32 = it.next()?.parse().ok()?;
    ((1..=12).contains(&m) && (1..=31).contains(&d))
        .then(|| local_midnight(y, m, d, CHINA_OFFSET_MINUTES))
}

/// The building of a complaint: the first level of its location path.
pub fn building_of(c: &siteline_model::Complaint) -> &str {
    c.location_path.first().map_or("", String::as_str)
}

impl Filter {
    pub fn matches(&self, card: &Card) -> bool {
        let c = &card.complaint;
        let eq = |want: &str, got: &str| want.is_empty() || want == got;
        let sev_ok = Severity::parse(&self.severity).is_none_or(|s| c.severity == s);
        let channel_ok = Channel::parse(&self.channel).is_none_or(|ch| c.channel == ch);
        let dept_ok = match self.department.as_str() {
            "" => true,
            "none" => c.department.is_none(),
            d => c.department.as_deref() == Some(d),
        };
        let from_ok = day_start(&self.from).is_none_or(|t| c.captured_at >= t);
        let to_ok =
            day_start(&self.to).is_none_or(|t| c.captured_at.millis() < t.millis() + DAY_MS);
        eq(&self.site, &c.site)
            && eq(&self.building, building_of(c))
            && eq(&self.category, top_category(&c.category))
            && sev_ok
            && channel_ok
            && dept_ok
            && from_ok
            && to_ok
            && (!self.overdue_only || card.overdue_now)
    }

    /// The filter a URL holds.
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> Filter {
        let text = |k: &str| get(k).map(|v| v.trim().to_string()).unwrap_or_default();
        Filter {
            site: text("site"),
            building: text("building"),
            department: text("department"),
            severity: text("severity"),
            category: text("category"),
            channel: text("channel"),
            from: text("from"),
            to: text("to"),
            overdue_only: matches!(text("overdue").as_str(), "1" | "true"),
        }
    }

    /// The query string holding this filter (empty fields left out).
    pub fn query(&self) -> String {
        let mut parts = Vec::new();
        for (k, v) in [
            ("site", &self.site),
            ("building", &self.building),
            ("department", &self.department),
            ("severity", &self.severity),
            ("category", &self.category),
            ("channel", &self.channel),
            ("from", &self.from),
            ("to", &self.to),
        ] {
            if !v.is_empty() {
                parts.push(format!("{k}={}", encode(v)));
            }
        }
        if self.overdue_only {
            parts.push("overdue=1".into());
        }
        parts.join("&")
    }
}

/// Percent-encodes a query value (building names are Chinese).
pub(crate) fn encode(v: &str) -> String {
    let mut out = String::new();
    for b in v.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use siteline_model::replica::{Replica, ReplicaMeta};
    use siteline_model::{DeviceId, NewComplaint};
    use std::collections::HashMap;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn card(site: &str, building: &str, channel: Channel, at: Timestamp) -> Card {
        let mut r = Replica::load(ReplicaMeta::new(DeviceId::new_v7(1, [1; 10])), vec![]);
        let ch = r.prepare_new(
            NewComplaint {
                description: "漏水".into(),
                location: format!("{building} › 3F"),
                location_path: vec![building.into(), "3F".into()],
                category: "facility.water".into(),
                channel,
                site: site.into(),
                ..Default::default()
            },
            "staff",
            at,
            [7; 10],
        );
        let id = ch.events[0].event.complaint_id;
        r.apply(ch);
        Card {
            complaint: r.complaint(&id).cloned().expect("complaint"),
            worst: None,
            overdue_now: false,
        }
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn every_field_narrows_and_dates_are_whole_china_days() {
        let noon = local_midnight(2026, 10, 8, CHINA_OFFSET_MINUTES).millis() + 12 * 3_600_000;
        let c = card("SL", "1栋", Channel::Phone, Timestamp(noon));
        let yes = |f: Filter| assert!(f.matches(&c), "{f:?}");
        let no = |f: Filter| assert!(!f.matches(&c), "{f:?}");
        yes(Filter::default());
        yes(Filter {
            site: "SL".into(),
            building: "1栋".into(),
            category: "facility".into(),
            channel: "phone".into(),
            ..Filter::default()
        });
        yes(Filter {
            from: "2026-10-08".into(),
            to: "2026-10-08".into(),
            ..Filter::default()
        });
        no(Filter {
            site: "B".into(),
            ..Filter::default()
        });
        no(Filter {
            building: "2栋".into(),
            ..Filter::default()
        });
        no(Filter {
            category: "service".into(),
            ..Filter::default()
        });
        no(Filter {
            channel: "visit".into(),
            ..Filter::default()
        });
        no(Filter {
            from: "2026-10-09".into(),
            ..Filter::default()
        });
        no(Filter {
            to: "2026-10-07".into(),
            ..Filter::default()
        });
        no(Filter {
            overdue_only: true,
            ..Filter::default()
        });
        no(Filter {
            department: "engineering".into(),
            ..Filter::default()
        });
        yes(Filter {
            department: "none".into(),
            ..Filter::default()
        });
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn the_url_round_trips() {
        let f = Filter {
            site: "SL".into(),
            building: "1栋".into(),
            severity: "major".into(),
            from: "2026-10-01".into(),
            overdue_only: true,
            ..Filter::default()
        };
        let q = f.query();
        assert_eq!(
            q,
            "site=SL&building=1%E6%A0%8B&severity=major&from=2026-10-01&overdue=1"
        );
        let decoded: HashMap<String, String> = form_pairs(&q);
        assert_eq!(Filter::from_query(|k| decoded.get(k).cloned()), f);
        assert_eq!(Filter::default().query(), "");
    }

    /// A minimal query decoder for the test (the router decodes in the app).
    fn form_pairs(q: &str) -> HashMap<String, String> {
        q.split('&')
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| {
                let mut bytes = Vec::new();
                let mut it = v.bytes();
                while let Some(b) = it.next() {
                    if b == b'%' {
                        let h: String = [it.next(), it.next()]
                            .iter()
                            .flatten()
                            .map(|b| *b as char)
                            .collect();
                        bytes.push(u8::from_str_radix(&h, 16).unwrap_or(0));
                    } else {
                        bytes.push(b);
                    }
                }
                (k.to_string(), String::from_utf8(bytes).unwrap_or_default())
            })
            .collect()
    }
}
