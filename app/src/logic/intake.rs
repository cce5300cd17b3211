//! Intake logic: the typed draft → a checked `NewComplaint`, location suggestions and the location
//! path, and the category tree (built-in plus the site's own categories) for the chips.

use crate::i18n::Lang;
use crate::logic::time::parse_local;
use crate::store::prefs::Draft;
use siteline_model::api::CustomCategory;
use siteline_model::time::CHINA_OFFSET_MINUTES;
use siteline_model::validation::{
    validate_new, ValidationError, ValidationErrors, MAX_PATH_DEPTH, MAX_PATH_PART,
};
use siteline_model::{
    category, Channel, Complainant, CustomerType, Nature, NewComplaint, Phone, Severity,
};

/// Separator of location labels from the server (`1栋 › 3F › 电梯厅`).
pub const PATH_SEP: &str = " › ";

/// Builds the record from the form and checks it. The phone is normalised when valid; an anonymous
/// complainant has no name or phone. `site` is the device's default site code (may be empty).
pub fn to_new(
    d: &Draft,
    site: &str,
    site_labels: &[String],
) -> Result<NewComplaint, ValidationErrors> {
    let opt = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let phone = opt(&d.complainant_phone).map(|p| {
        Phone::parse(&p)
            .map(|p| p.as_str().to_string())
            .unwrap_or(p)
    });
    let promised = opt(&d.promised_reply_at).map(|s| parse_local(&s, CHINA_OFFSET_MINUTES));
    let location = d.location.trim().to_string();
    let fields = NewComplaint {
        provisional_number: "P-pending".into(),
        description: d.description.trim().to_string(),
        location_path: location_path(&location, site_labels),
        location,
        category: d.category.clone(),
        severity: Severity::parse(&d.severity).unwrap_or_default(),
        channel: Channel::parse(&d.channel).unwrap_or_default(),
        complainant: Complainant {
            name: if d.anonymous {
                None
            } else {
                opt(&d.complainant_name)
            },
            phone: if d.anonymous { None } else { phone },
            unit: opt(&d.complainant_unit),
            // 客户类型 belongs to a known complainant.
            customer_type: if d.anonymous {
                None
            } else {
                Some(CustomerType::parse(&d.customer_type).unwrap_or_default())
            },
            anonymous: d.anonymous,
        },
        site: site.to_string(),
        wants: d.wants.trim().to_string(),
        against: d.against.trim().to_string(),
        nature: Nature::parse(&d.nature).unwrap_or_default(),
        promised_reply_at: promised.flatten(),
        attachments: d.photos.clone(),
        ..Default::default()
    };
    let mut errs = validate_new(&fields).err().unwrap_or_default();
    if promised == Some(None) {
        errs.0.push(ValidationError {
            field: "promised_reply_at",
            code: "invalid_time",
        });
    }
    if errs.is_empty() {
        Ok(fields)
    } else {
        Err(errs)
    }
}

/// The intake form filled from a recorded complaint (to correct a record the server refused).
pub fn draft_from(n: &NewComplaint) -> Draft {
    let c = &n.complainant;
    Draft {
        description: n.description.clone(),
        location: n.location.clone(),
        category: n.category.clone(),
        severity: n.severity.code().to_string(),
        channel: n.channel.code().to_string(),
        complainant_name: c.name.clone().unwrap_or_default(),
        complainant_phone: c.phone.clone().unwrap_or_default(),
        complainant_unit: c.unit.clone().unwrap_or_default(),
        customer_type: c
            .customer_type
            .map(|t| t.code().to_string())
            .unwrap_or_default(),
        anonymous: c.anonymous,
        wants: n.wants.clone(),
        against: n.against.clone(),
        nature: n.nature.code().to_string(),
        promised_reply_at: n
            .promised_reply_at
            .map(|t| crate::logic::time::to_local_input(t, CHINA_OFFSET_MINUTES))
            .unwrap_or_default(),
        photos: n.attachments.clone(),
    }
}

/// The location path (site › building › floor › area) when the location is one of the site's
/// labels; empty for free text.
pub fn location_path(location: &str, site_labels: &[String]) -> Vec<String> {
    let loc = location.trim();
    if !site_labels.iter().any(|l| l.trim() == loc) {
        return vec![];
    }
    let parts: Vec<String> = loc.split(PATH_SEP).map(|p| p.trim().to_string()).collect();
    let ok = parts.len() <= MAX_PATH_DEPTH
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().count() <= MAX_PATH_PART);
    if ok {
        parts
    } else {
        vec![]
    }
}

/// Locations to suggest: recent ones first (newest first, at most `max_recent`), then the site's.
pub fn suggestions(recent: &[String], site_labels: &[String], max_recent: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for l in recent.iter().take(max_recent).chain(site_labels) {
        let l = l.trim();
        if !l.is_empty() && !out.iter().any(|o| o == l) {
            out.push(l.to_string());
        }
    }
    out
}

/// One chip of the category picker.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CategoryChip {
    pub code: String,
    pub zh: String,
    pub en: String,
}

impl CategoryChip {
    pub fn name(&self, lang: Lang) -> &str {
        if lang == Lang::Zh {
            &self.zh
        } else {
            &self.en
        }
    }
}

/// The top-level categories.
pub fn top_chips() -> Vec<CategoryChip> {
    category::top_level()
        .map(|c| CategoryChip {
            code: c.code.into(),
            zh: c.zh.into(),
            en: c.en.into(),
        })
        .collect()
}

/// The sub-categories of a top-level code: built-in ones, then the site's own.
pub fn sub_chips(top: &str, custom: &[CustomCategory]) -> Vec<CategoryChip> {
    let builtin = category::children(top).map(|c| CategoryChip {
        code: c.code.into(),
        zh: c.zh.into(),
        en: c.en.into(),
    });
    let own = custom
        .iter()
        .filter(|c| c.parent == top)
        .map(|c| CategoryChip {
            code: c.code.clone(),
            zh: c.zh.clone(),
            en: c.en.clone(),
        });
    builtin.chain(own).collect()
}

/// The top-level code a category belongs to (itself for a top-level one).
pub fn top_of(code: &str, custom: &[CustomCategory]) -> Option<String> {
    if let Some(c) = custom.iter().find(|c| c.code == code) {
        return Some(c.parent.clone());
    }
    let c = category::find(code)?;
    Some(c.parent.unwrap_or(c.code).to_string())
}

/// The `n` values used most (ties: the most recent first), from `(when, value)` pairs; empty
/// values are skipped. Learns the site's usual categories from the complaints on the device.
pub fn most_used<I>(items: I, n: usize) -> Vec<String>
where
    I: IntoIterator<Item = (siteline_model::Timestamp, String)>,
{
    let mut seen: Vec<(String, usize, siteline_model::Timestamp)> = Vec::new();
    for (at, v) in items {
        let v = v.trim();
        if v.is_empty() {
            continue;
        }
        match seen.iter_mut().find(|(s, _, _)| s == v) {
            Some((_, count, last)) => {
                *count += 1;
                *last = (*last).max(at);
            }
            None => seen.push((v.to_string(), 1, at)),
        }
    }
    seen.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.cmp(&a.2)).then(a.0.cmp(&b.0)));
    seen.into_iter().take(n).map(|(v, _, _)| v).collect()
}

/// The `n` most recent distinct values, newest first (recent places, units).
pub fn most_recent<I>(items: I, n: usize) -> Vec<String>
where
    I: IntoIterator<Item = (siteline_model::Timestamp, String)>,
{
    let mut all: Vec<(siteline_model::Timestamp, String)> = items
        .into_iter()
        .map(|(t, v)| (t, v.trim().to_string()))
        .filter(|(_, v)| !v.is_empty())
        .collect();
    all.sort_by_key(|b| std::cmp::Reverse(b.0));
    let mut out: Vec<String> = Vec::new();
    for (_, v) in all {
        if out.len() == n {
            break;
        }
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

/// One step down the site's location tree (site › building › floor › area): the next parts
/// under `current` (the top level when `current` is not a node of the tree), each with the
/// full label it leads to. Empty at a leaf.
pub fn tree_step(site_labels: &[String], current: &str) -> Vec<(String, String)> {
    let current = current.trim();
    let is_node = !current.is_empty()
        && site_labels
            .iter()
            .any(|l| l.trim() == current || l.starts_with(&format!("{current}{PATH_SEP}")));
    let prefix = if is_node {
        format!("{current}{PATH_SEP}")
    } else {
        String::new()
    };
    let mut out: Vec<(String, String)> = Vec::new();
    for l in site_labels {
        let Some(rest) = l.trim().strip_prefix(prefix.as_str()) else {
            continue;
        };
        let part = rest.split(PATH_SEP).next().unwrap_or("").trim();
        if part.is_empty() || out.iter().any(|(_, p)| p == part) {
            continue;
        }
        out.push((format!("{prefix}{part}"), part.to_string()));
    }
    out
}

/// The parents of a tree label, outermost first, each with its full label (breadcrumbs).
pub fn tree_path(current: &str) -> Vec<(String, String)> {
    let mut full = String::new();
    let mut out = Vec::new();
    for part in current
        .split(PATH_SEP)
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        if !full.is_empty() {
            full.push_str(PATH_SEP);
        }
        full.push_str(part);
        out.push((full.clone(), part.to_string()));
    }
    out
}

/// The reply time to tell the complainant on saving: the time promised at intake, else the
/// site's reply deadline.
pub fn reply_to_tell(
    deadlines: &[siteline_model::timelimit::Deadline],
) -> Option<siteline_model::Timestamp> {
    use siteline_model::timelimit::DeadlineKind;
    let of = |k: DeadlineKind| deadlines.iter().find(|d| d.kind == k).map(|d| d.due_at);
    of(DeadlineKind::Promised).or_else(|| of(DeadlineKind::Reply))
}
