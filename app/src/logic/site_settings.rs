//! The site settings form's rules (plain Rust): time-limit policy fields by name, working hours
//! as `HH:MM`, a calendar day's date, a site's own category from what was typed.

use siteline_model::api::CustomCategory;
use siteline_model::calendar::{parse_date, WorkingHours};
use siteline_model::category;
use siteline_model::time::civil_from_days;
use siteline_model::timelimit::Policy;

/// The largest value a policy field takes (the server checks the same bound).
pub const MAX_POLICY_VALUE: i64 = 10_000;

/// Every policy field, in the order the form shows them.
pub const POLICY_FIELDS: [&str; 10] = [
    "notice_minutes",
    "reply_verbal_working_days",
    "reply_max_working_days",
    "major_respond_hours",
    "major_answer_working_days",
    "major_close_working_days",
    "escalate_unresolved_days",
    "repeat_window_days",
    "due_soon_percent",
    "due_soon_minutes",
];

/// Why the settings cannot be sent yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SettingsProblem {
    /// A policy field that is not a whole number in range.
    PolicyValue(&'static str),
    /// Working hours that are not `HH:MM`, or end before they start.
    Hours,
    Date,
    CategorySlug,
    CategoryParent,
    CategoryName,
}

fn slot<'a>(p: &'a mut Policy, field: &str) -> Option<&'a mut i64> {
    Some(match field {
        "notice_minutes" => &mut p.notice_minutes,
        "reply_verbal_working_days" => &mut p.reply_verbal_working_days,
        "reply_max_working_days" => &mut p.reply_max_working_days,
        "major_respond_hours" => &mut p.major_respond_hours,
        "major_answer_working_days" => &mut p.major_answer_working_days,
        "major_close_working_days" => &mut p.major_close_working_days,
        "escalate_unresolved_days" => &mut p.escalate_unresolved_days,
        "repeat_window_days" => &mut p.repeat_window_days,
        "due_soon_percent" => &mut p.due_soon_percent,
        "due_soon_minutes" => &mut p.due_soon_minutes,
        _ => return None,
    })
}

/// A policy field's value.
pub fn policy_value(p: &Policy, field: &str) -> i64 {
    let mut copy = p.clone();
    slot(&mut copy, field).map_or(0, |v| *v)
}

/// `base` with the typed values (`(field, text)`), or the first field that is not valid.
pub fn policy_from(
    base: &Policy,
    typed: &[(&'static str, String)],
) -> Result<Policy, SettingsProblem> {
    let mut p = base.clone();
    for (field, text) in typed {
        let v: i64 = text
            .trim()
            .parse()
            .map_err(|_| SettingsProblem::PolicyValue(field))?;
        let bounds = if *field == "due_soon_percent" {
            1..=100
        } else {
            0..=MAX_POLICY_VALUE
        };
        if !bounds.contains(&v) {
            return Err(SettingsProblem::PolicyValue(field));
        }
        *slot(&mut p, field).ok_or(SettingsProblem::PolicyValue(field))? = v;
    }
    Ok(p)
}

/// Minutes after midnight as `HH:MM`.
pub fn hhmm(min: u32) -> String {
    format!("{:02}:{:02}", min / 60, min % 60)
}

fn parse_hhmm(s: &str) -> Option<u32> {
    let (h, m) = s.trim().split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60 && m.to_string().len() <= 2).then_some(h * 60 + m)
}

/// Working hours from `HH:MM` texts (the site's time zone is kept).
pub fn hours_from(
    base: &WorkingHours,
    start: &str,
    end: &str,
) -> Result<WorkingHours, SettingsProblem> {
    let (start_min, end_min) = parse_hhmm(start)
        .zip(parse_hhmm(end))
        .filter(|(s, e)| s < e)
        .ok_or(SettingsProblem::Hours)?;
    Ok(WorkingHours {
        start_min,
        end_min,
        offset_min: base.offset_min,
    })
}

/// A calendar day as the server wants it (`YYYY-MM-DD`, a real date).
pub fn day_date(typed: &str) -> Result<String, SettingsProblem> {
    let day = parse_date(typed.trim()).ok_or(SettingsProblem::Date)?;
    let (y, m, d) = civil_from_days(day);
    Ok(format!("{y:04}-{m:02}-{d:02}"))
}

/// A site's own category: `custom.<slug>` under a built-in top-level category.
pub fn category_from(
    parent: &str,
    slug: &str,
    zh: &str,
    en: &str,
) -> Result<CustomCategory, SettingsProblem> {
    let slug = slug.trim().to_lowercase();
    let ok_slug = (1..=32).contains(&slug.len())
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if !ok_slug {
        return Err(SettingsProblem::CategorySlug);
    }
    if category::find(parent).is_none_or(|c| c.parent.is_some()) {
        return Err(SettingsProblem::CategoryParent);
    }
    let (zh, en) = (zh.trim(), en.trim());
    if zh.is_empty() || zh.chars().count() > 50 || en.chars().count() > 50 {
        return Err(SettingsProblem::CategoryName);
    }
    Ok(CustomCategory {
        code: format!("custom.{slug}"),
        parent: parent.to_string(),
        zh: zh.to_string(),
        en: en.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn policy_fields_are_read_and_set_by_name_within_bounds() {
        let base = Policy::default();
        for f in POLICY_FIELDS {
            let v = policy_value(&base, f);
            let p = policy_from(&base, &[(f, (v + 1).to_string())]).expect(f);
            assert_eq!(policy_value(&p, f), v + 1, "{f}");
        }
        let p = policy_from(&base, &[("notice_minutes", " 45 ".into())]).expect("trimmed");
        assert_eq!(p.notice_minutes, 45);
        assert_eq!(p.reply_max_working_days, base.reply_max_working_days);
        for bad in ["", "x", "-1", "10001", "1.5"] {
            assert_eq!(
                policy_from(&base, &[("notice_minutes", bad.into())]),
                Err(SettingsProblem::PolicyValue("notice_minutes")),
                "{bad:?}"
            );
        }
        assert!(policy_from(&base, &[("due_soon_percent", "0".into())]).is_err());
        assert!(policy_from(&base, &[("due_soon_percent", "101".into())]).is_err());
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn hours_are_hh_mm_and_end_after_they_start() {
        let base = WorkingHours::default();
        let h = hours_from(&base, "08:00", "18:30").expect("valid");
        assert_eq!(
            (h.start_min, h.end_min, h.offset_min),
            (480, 1110, base.offset_min)
        );
        assert_eq!(hhmm(h.end_min), "18:30");
        for (s, e) in [
            ("18:00", "08:00"),
            ("9", "17:00"),
            ("24:00", "25:00"),
            ("08:60", "17:00"),
            ("08:00", "08:00"),
        ] {
            assert_eq!(
                hours_from(&base, s, e),
                Err(SettingsProblem::Hours),
                "{s}-{e}"
            );
        }
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn days_are_real_dates_and_categories_are_custom_under_a_top_level_one() {
        assert_eq!(day_date(" 2026-10-01 ").as_deref(), Ok("2026-10-01"));
        assert_eq!(day_date("2026-02-30"), Err(SettingsProblem::Date));
        let c = category_from("facility", " Gate_2 ", " 道闸 ", "Gate").expect("valid");
        assert_eq!((c.code.as_str(), c.zh.as_str()), ("custom.gate_2", "道闸"));
        assert_eq!(
            category_from("facility", "a-b", "x", ""),
            Err(SettingsProblem::CategorySlug)
        );
        assert_eq!(
            category_from("facility.lift", "gate", "x", ""),
            Err(SettingsProblem::CategoryParent)
        );
        assert_eq!(
            category_from("facility", "gate", " ", ""),
            Err(SettingsProblem::CategoryName)
        );
    }
}
