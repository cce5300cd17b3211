//! Validation of what staff type, with error codes the UI translates (never free-text messages).

use crate::category;
use crate::event::{ComplaintPatch, NewComplaint};
use serde::{Deserialize, Serialize};
use std::fmt;

pub const MAX_DESCRIPTION: usize = 2000;
pub const MAX_LOCATION: usize = 200;
pub const MAX_NAME: usize = 50;
pub const MAX_NOTE: usize = 2000;
pub const MAX_REASON: usize = 500;
pub const MAX_SHORT: usize = 500;
pub const MAX_UNIT: usize = 30;
pub const MAX_PATH_PART: usize = 50;
pub const MAX_PATH_DEPTH: usize = 6;
pub const MAX_ATTACHMENTS: usize = 20;
/// Photo types accepted (checked by content on the server).
pub const IMAGE_TYPES: [&str; 3] = ["image/jpeg", "image/png", "image/webp"];

/// One problem with one field: `{field, code}`; codes are stable identifiers (`required`, `too_long`…).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidationError {
    pub field: &'static str,
    pub code: &'static str,
}

/// All problems found at once, so the form can mark every field.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize)]
pub struct ValidationErrors(pub Vec<ValidationError>);

impl ValidationErrors {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn for_field(&self, field: &str) -> Option<&'static str> {
        self.0.iter().find(|e| e.field == field).map(|e| e.code)
    }
    fn push(&mut self, field: &'static str, code: &'static str) {
        self.0.push(ValidationError { field, code });
    }
    fn into_result(self) -> Result<(), ValidationErrors> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|e| format!("{}: {}", e.field, e.code))
            .collect();
        f.write_str(&parts.join(", "))
    }
}

impl std::error::Error for ValidationErrors {}

/// A Chinese phone number: mobile `1[3-9]xxxxxxxxx` or landline `0xx(x)-xxxxxxx(x)`,
/// optionally `+86`; spaces and dashes are accepted and normalised away (except the area-code dash).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Phone(String);

impl Phone {
    pub fn parse(input: &str) -> Result<Phone, &'static str> {
        let mut s: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        if let Some(rest) = s.strip_prefix("+86").or_else(|| s.strip_prefix("0086")) {
            s = rest.to_string();
        }
        if !s.chars().all(|c| c.is_ascii_digit()) {
            return Err("invalid_phone");
        }
        let b = s.as_bytes();
        let mobile = b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]);
        if mobile {
            return Ok(Phone(s));
        }
        // Landline: 0 + 2-3 digit area code + 7-8 digit number → 10 to 12 digits in all.
        let landline = b.first() == Some(&b'0') && (10..=12).contains(&b.len());
        if landline {
            let area = if matches!(b[1], b'1' | b'2') { 3 } else { 4 };
            return Ok(Phone(format!("{}-{}", &s[..area], &s[area..])));
        }
        Err("invalid_phone")
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn check_text(
    errs: &mut ValidationErrors,
    field: &'static str,
    v: &str,
    max: usize,
    required: bool,
) {
    if required && v.trim().is_empty() {
        errs.push(field, "required");
    } else if v.chars().count() > max {
        errs.push(field, "too_long");
    }
}

fn check_category(errs: &mut ValidationErrors, v: &str) {
    if v.trim().is_empty() {
        errs.push("category", "required");
    } else if category::find(v).is_none() && !is_custom_category_code(v) {
        errs.push("category", "unknown_category");
    }
}

/// Site-added categories are `custom.<slug>` (lowercase ascii, digits, `_`); the server checks the
/// site really has it.
pub fn is_custom_category_code(v: &str) -> bool {
    v.strip_prefix("custom.").is_some_and(|slug| {
        !slug.is_empty()
            && slug.len() <= 48
            && slug
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    })
}

fn check_phone(errs: &mut ValidationErrors, phone: &Option<String>) {
    if let Some(p) = phone.as_deref().filter(|p| !p.trim().is_empty()) {
        if Phone::parse(p).is_err() {
            errs.push("complainant_phone", "invalid_phone");
        }
    }
}

/// Validates a new complaint as typed at intake.
pub fn validate_new(c: &NewComplaint) -> Result<(), ValidationErrors> {
    let mut errs = ValidationErrors::default();
    check_text(
        &mut errs,
        "description",
        &c.description,
        MAX_DESCRIPTION,
        true,
    );
    check_text(&mut errs, "location", &c.location, MAX_LOCATION, true);
    check_category(&mut errs, &c.category);
    if let Some(n) = &c.complainant.name {
        check_text(&mut errs, "complainant_name", n, MAX_NAME, false);
    }
    check_phone(&mut errs, &c.complainant.phone);
    check_text(
        &mut errs,
        "provisional_number",
        &c.provisional_number,
        40,
        true,
    );
    if let Some(u) = &c.complainant.unit {
        check_text(&mut errs, "complainant_unit", u, MAX_UNIT, false);
    }
    check_text(&mut errs, "wants", &c.wants, MAX_SHORT, false);
    check_text(&mut errs, "against", &c.against, MAX_SHORT, false);
    check_text(&mut errs, "site", &c.site, 16, false);
    let bad_path = c.location_path.len() > MAX_PATH_DEPTH
        || c.location_path
            .iter()
            .any(|p| p.trim().is_empty() || p.chars().count() > MAX_PATH_PART);
    if bad_path {
        errs.push("location_path", "invalid");
    }
    check_attachments(&mut errs, &c.attachments);
    errs.into_result()
}

fn check_attachments(errs: &mut ValidationErrors, list: &[crate::complaint::AttachmentRef]) {
    let bad = list.len() > MAX_ATTACHMENTS
        || list.iter().any(|a| {
            a.sha256.len() != 64
                || !a
                    .sha256
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
                || a.size == 0
                || !IMAGE_TYPES.contains(&a.content_type.as_str())
        });
    if bad {
        errs.push("attachments", "invalid");
    }
}

/// Validates a correction: present fields follow the intake rules.
pub fn validate_patch(p: &ComplaintPatch) -> Result<(), ValidationErrors> {
    let mut errs = ValidationErrors::default();
    if let Some(v) = &p.description {
        check_text(&mut errs, "description", v, MAX_DESCRIPTION, true);
    }
    if let Some(v) = &p.location {
        check_text(&mut errs, "location", v, MAX_LOCATION, true);
    }
    if let Some(v) = &p.category {
        check_category(&mut errs, v);
    }
    if let Some(c) = &p.complainant {
        if let Some(n) = &c.name {
            check_text(&mut errs, "complainant_name", n, MAX_NAME, false);
        }
        check_phone(&mut errs, &c.phone);
    }
    errs.into_result()
}

/// Validates a note's text.
pub fn validate_note(text: &str) -> Result<(), ValidationErrors> {
    let mut errs = ValidationErrors::default();
    check_text(&mut errs, "text", text, MAX_NOTE, true);
    errs.into_result()
}

/// Validates any event's payload (the server runs this on every pushed event).
pub fn validate_event(kind: &crate::event::EventKind) -> Result<(), ValidationErrors> {
    use crate::event::EventKind as K;
    match kind {
        K::Created(c) => validate_new(c),
        K::Edited(p) => validate_patch(p),
        K::NoteAdded { text } => validate_note(text),
        K::StatusChanged { reason, .. } => {
            let mut errs = ValidationErrors::default();
            if let Some(r) = reason {
                check_text(&mut errs, "reason", r, MAX_REASON, false);
            }
            errs.into_result()
        }
        K::NumberAssigned { .. } | K::Escalated { .. } => {
            Err(ValidationErrors(vec![ValidationError {
                field: "type",
                code: "server_only",
            }]))
        }
        K::Accepted | K::Started | K::Merged { .. } => Ok(()),
        K::Dispatched {
            department,
            instructions,
        } => {
            let mut errs = ValidationErrors::default();
            check_department(&mut errs, department);
            check_text(&mut errs, "instructions", instructions, MAX_NOTE, false);
            errs.into_result()
        }
        K::Transferred { department, reason } => {
            let mut errs = ValidationErrors::default();
            check_department(&mut errs, department);
            check_text(&mut errs, "reason", reason, MAX_REASON, true);
            errs.into_result()
        }
        K::Handled {
            remedial,
            corrective,
        } => {
            let mut errs = ValidationErrors::default();
            check_text(&mut errs, "remedial", remedial, MAX_NOTE, true);
            check_text(&mut errs, "corrective", corrective, MAX_NOTE, false);
            errs.into_result()
        }
        K::Replied { content } => one("content", content, MAX_NOTE, true),
        K::FollowedUp { note, .. } => one("note", note, MAX_REASON, false),
        K::Closed { summary } => one("summary", summary, MAX_NOTE, false),
        K::Returned { reason } | K::Withdrawn { reason, .. } => {
            one("reason", reason, MAX_REASON, true)
        }
        K::AttachmentsAdded { attachments } => {
            let mut errs = ValidationErrors::default();
            if attachments.is_empty() {
                errs.push("attachments", "required");
            }
            check_attachments(&mut errs, attachments);
            errs.into_result()
        }
    }
}

fn one(field: &'static str, v: &str, max: usize, required: bool) -> Result<(), ValidationErrors> {
    let mut errs = ValidationErrors::default();
    check_text(&mut errs, field, v, max, required);
    errs.into_result()
}

fn check_department(errs: &mut ValidationErrors, code: &str) {
    if code.trim().is_empty() {
        errs.push("department", "required");
    } else if crate::department::find(code).is_none() {
        errs.push("department", "unknown_department");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::complaint::Complainant;

    fn new(desc: &str, loc: &str, cat: &str, phone: Option<&str>) -> NewComplaint {
        NewComplaint {
            provisional_number: "P-ABCD-1".into(),
            description: desc.into(),
            location: loc.into(),
            category: cat.into(),
            severity: Default::default(),
            channel: Default::default(),
            complainant: Complainant {
                name: Some("王女士".into()),
                phone: phone.map(Into::into),
                ..Default::default()
            },
            ..Default::default()
        }
    }

    #[test]
    fn phones() {
        assert_eq!(
            Phone::parse("138 0013 8000").unwrap().as_str(),
            "13800138000"
        );
        assert_eq!(
            Phone::parse("+86 13800138000").unwrap().as_str(),
            "13800138000"
        );
        assert_eq!(
            Phone::parse("021-62345678").unwrap().as_str(),
            "021-62345678"
        );
        assert_eq!(
            Phone::parse("0755 2345678").unwrap().as_str(),
            "0755-2345678"
        );
        for bad in ["12345", "12800138000", "abc", "1380013800a", "", "0211"] {
            assert_eq!(Phone::parse(bad), Err("invalid_phone"), "{bad}");
        }
    }

    #[test]
    fn intake_rules() {
        assert!(validate_new(&new(
            "漏水",
            "B2 车库",
            "facility.water",
            Some("13800138000")
        ))
        .is_ok());
        let e = validate_new(&new("  ", "", "nope", Some("123"))).unwrap_err();
        assert_eq!(e.for_field("description"), Some("required"));
        assert_eq!(e.for_field("location"), Some("required"));
        assert_eq!(e.for_field("category"), Some("unknown_category"));
        assert_eq!(e.for_field("complainant_phone"), Some("invalid_phone"));
        let long = "字".repeat(MAX_DESCRIPTION + 1);
        let e = validate_new(&new(&long, "x", "other", None)).unwrap_err();
        assert_eq!(
            e.0,
            vec![ValidationError {
                field: "description",
                code: "too_long"
            }]
        );
        // Exactly at the limit (counted in characters, not bytes) is fine.
        assert!(validate_new(&new(&"字".repeat(MAX_DESCRIPTION), "x", "other", None)).is_ok());
    }

    #[test]
    fn clients_cannot_assign_numbers() {
        let k = crate::event::EventKind::NumberAssigned { number: "X".into() };
        assert_eq!(validate_event(&k).unwrap_err().0[0].code, "server_only");
    }
}
