//! The report page's choice — whole months `[from, to)`, breakdown period, one site or all —
//! read from and written to the URL (so a report can be bookmarked), and the quick picks
//! (this month, last month, this quarter, a half-year, this or last year).

use siteline_model::report::Period;

/// A month as (year, month 1..=12).
pub type Month = (i32, u32);

/// What a report shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportChoice {
    pub from: Month,
    /// The month after the last one shown.
    pub to: Month,
    pub period: Period,
    /// `None`: all of my sites.
    pub site: Option<String>,
}

/// The quick picks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Preset {
    ThisMonth,
    LastMonth,
    ThisQuarter,
    FirstHalf,
    SecondHalf,
    ThisYear,
    LastYear,
}

pub const PRESETS: [Preset; 7] = [
    Preset::ThisMonth,
    Preset::LastMonth,
    Preset::ThisQuarter,
    Preset::FirstHalf,
    Preset::SecondHalf,
    Preset::ThisYear,
    Preset::LastYear,
];

/// `n` months after `m` (negative: before).
pub fn add_months((y, m): Month, n: i32) -> Month {
    let total = y * 12 + (m as i32 - 1) + n;
    (total.div_euclid(12), total.rem_euclid(12) as u32 + 1)
}

/// `yyyy-mm`.
pub fn month_text((y, m): Month) -> String {
    format!("{y:04}-{m:02}")
}

/// Reads `yyyy-mm` (also `yyyy-mm-dd`, the day ignored).
pub fn parse_month(s: &str) -> Option<Month> {
    let mut it = s.trim().splitn(3, '-');
    let y: i32 = it.next()?.parse().ok()?;
    let m: u32 = it.next()?.parse().ok()?;
    ((1970..=9999).contains(&y) && (1..=12).contains(&m)).then_some((y, m))
}

impl ReportChoice {
    /// A quick pick in `today`'s month, keeping the site.
    pub fn preset(p: Preset, today: Month, site: Option<String>) -> ReportChoice {
        let (y, m) = today;
        let (from, to, period) = match p {
            Preset::ThisMonth => (today, add_months(today, 1), Period::Month),
            Preset::LastMonth => (add_months(today, -1), today, Period::Month),
            Preset::ThisQuarter => {
                let first = (y, (m - 1) / 3 * 3 + 1);
                (first, add_months(first, 3), Period::Month)
            }
            Preset::FirstHalf => ((y, 1), (y, 7), Period::Month),
            Preset::SecondHalf => ((y, 7), (y + 1, 1), Period::Month),
            Preset::ThisYear => ((y, 1), (y + 1, 1), Period::Quarter),
            Preset::LastYear => ((y - 1, 1), (y, 1), Period::Quarter),
        };
        ReportChoice {
            from,
            to,
            period,
            site,
        }
    }

    /// The choice a URL holds (`from`, `to`, `period`, `site`); what is missing or wrong falls
    /// back to this half-year.
    pub fn from_query(get: impl Fn(&str) -> Option<String>, today: Month) -> ReportChoice {
        let half = if today.1 <= 6 {
            Preset::FirstHalf
        } else {
            Preset::SecondHalf
        };
        let site = get("site").filter(|s| !s.trim().is_empty());
        let mut c = ReportChoice::preset(half, today, site);
        let from = get("from").and_then(|s| parse_month(&s));
        let to = get("to").and_then(|s| parse_month(&s));
        if let (Some(f), Some(t)) = (from, to) {
            if f < t {
                c.from = f;
                c.to = t;
            }
        }
        if let Some(p) = get("period").and_then(|s| Period::parse(&s)) {
            c.period = p;
        }
        c
    }

    /// The query string of the report API and of the page's URL.
    pub fn query(&self) -> String {
        let mut q = format!(
            "from={}&to={}&period={}",
            month_text(self.from),
            month_text(self.to),
            self.period.code()
        );
        if let Some(s) = &self.site {
            q.push_str("&site=");
            q.push_str(&s.replace(['&', '=', '#', ' '], ""));
        }
        q
    }

    /// The last month shown (`to` is exclusive).
    pub fn last(&self) -> Month {
        add_months(self.to, -1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn months_wrap_across_years() {
        assert_eq!(add_months((2026, 12), 1), (2027, 1));
        assert_eq!(add_months((2026, 1), -1), (2025, 12));
        assert_eq!(add_months((2026, 3), -15), (2024, 12));
        assert_eq!(parse_month("2026-07"), Some((2026, 7)));
        assert_eq!(parse_month("2026-13"), None);
        assert_eq!(month_text((2026, 7)), "2026-07");
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn presets_cover_whole_months() {
        let today = (2026, 8);
        let q = |p| ReportChoice::preset(p, today, None);
        assert_eq!(
            (q(Preset::ThisMonth).from, q(Preset::ThisMonth).to),
            ((2026, 8), (2026, 9))
        );
        assert_eq!(
            (q(Preset::LastMonth).from, q(Preset::LastMonth).to),
            ((2026, 7), (2026, 8))
        );
        assert_eq!(
            (q(Preset::ThisQuarter).from, q(Preset::ThisQuarter).to),
            ((2026, 7), (2026, 10))
        );
        assert_eq!(
            (q(Preset::SecondHalf).from, q(Preset::SecondHalf).to),
            ((2026, 7), (2027, 1))
        );
        assert_eq!(q(Preset::LastYear).from, (2025, 1));
        assert_eq!(q(Preset::ThisYear).period, Period::Quarter);
        assert_eq!(q(Preset::ThisYear).last(), (2026, 12));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn the_url_round_trips_and_bad_values_fall_back() {
        let c = ReportChoice {
            from: (2026, 1),
            to: (2026, 4),
            period: Period::Quarter,
            site: Some("SL".into()),
        };
        let q = c.query();
        assert_eq!(q, "from=2026-01&to=2026-04&period=quarter&site=SL");
        let map: HashMap<String, String> = q
            .split('&')
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(
            ReportChoice::from_query(|k| map.get(k).cloned(), (2026, 9)),
            c
        );
        let bad = |k: &str| match k {
            "from" => Some("2026-05".to_string()),
            "to" => Some("2026-02".to_string()),
            "period" => Some("decade".to_string()),
            _ => None,
        };
        let fallback = ReportChoice::from_query(bad, (2026, 9));
        assert_eq!(
            (fallback.from, fallback.to, fallback.period),
            ((2026, 7), (2027, 1), Period::Month)
        );
    }
}
