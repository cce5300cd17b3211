//! 常用答复: a site's reply templates for the reply (答复) and follow-up (回访) steps — their
//! shape, limits, who manages them, and how a template's placeholders are filled for a complaint.

use crate::api::UserInfo;
use crate::complaint::{Complaint, Role};
use serde::{Deserialize, Serialize};

/// Most templates a site keeps; the longest title (a chip's label) and text.
pub const MAX_TEMPLATES: usize = 60;
pub const MAX_TITLE: usize = 16;
pub const MAX_TEXT: usize = 500;

/// The lifecycle step a template is offered on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReplyStep {
    /// 答复: the reply's content.
    Reply,
    /// 回访: the follow-up's note.
    FollowUp,
}

impl ReplyStep {
    pub const ALL: [ReplyStep; 2] = [ReplyStep::Reply, ReplyStep::FollowUp];

    pub fn code(self) -> &'static str {
        match self {
            ReplyStep::Reply => "reply",
            ReplyStep::FollowUp => "follow_up",
        }
    }

    pub fn parse(code: &str) -> Option<ReplyStep> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The step of a lifecycle action's code (`replied`, `followed_up`), if it has templates.
    pub fn of_action(action: &str) -> Option<ReplyStep> {
        match action {
            "replied" => Some(ReplyStep::Reply),
            "followed_up" => Some(ReplyStep::FollowUp),
            _ => None,
        }
    }
}

/// A stored template: the server gives its id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyTemplate {
    pub id: String,
    pub step: ReplyStep,
    pub title: String,
    pub text: String,
}

/// What a supervisor writes (`POST /api/v1/sites/{code}/replies`, `PUT …/replies/{id}`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyTemplateInput {
    pub step: ReplyStep,
    pub title: String,
    pub text: String,
}

/// Why a template cannot be stored; `field` and `code` as in validation errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TemplateProblem {
    pub field: &'static str,
    pub code: &'static str,
}

impl ReplyTemplateInput {
    /// Trimmed, with a title (the text's start when none was given) and both within limits.
    pub fn normalized(&self) -> Result<ReplyTemplateInput, TemplateProblem> {
        let text = self.text.trim();
        if text.is_empty() {
            return Err(TemplateProblem {
                field: "text",
                code: "required",
            });
        }
        if text.chars().count() > MAX_TEXT {
            return Err(TemplateProblem {
                field: "text",
                code: "too_long",
            });
        }
        let title = match self.title.trim() {
            "" => text.chars().take(MAX_TITLE).collect::<String>(),
            t => t.to_string(),
        };
        if title.chars().count() > MAX_TITLE {
            return Err(TemplateProblem {
                field: "title",
                code: "too_long",
            });
        }
        if title.chars().any(char::is_control) {
            return Err(TemplateProblem {
                field: "title",
                code: "invalid",
            });
        }
        Ok(ReplyTemplateInput {
            step: self.step,
            title,
            text: text.to_string(),
        })
    }
}

/// One change to a site's templates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReplyEdit {
    Add(ReplyTemplate),
    /// Replaces the template of the same id, in its place.
    Replace(ReplyTemplate),
    /// Deletes the template of this id.
    Delete(String),
}

/// Why an edit cannot be applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EditProblem {
    /// The site has `MAX_TEMPLATES` already.
    Full,
    /// No template of that id (replace, delete), or one already (add).
    NoSuchTemplate,
    DuplicateId,
}

/// Applies an edit to a site's list (new templates go last).
pub fn apply(list: &mut Vec<ReplyTemplate>, edit: &ReplyEdit) -> Result<(), EditProblem> {
    let at = |id: &str| list.iter().position(|t| t.id == id);
    match edit {
        ReplyEdit::Add(t) => {
            if at(&t.id).is_some() {
                return Err(EditProblem::DuplicateId);
            }
            if list.len() >= MAX_TEMPLATES {
                return Err(EditProblem::Full);
            }
            list.push(t.clone());
        }
        ReplyEdit::Replace(t) => {
            let i = at(&t.id).ok_or(EditProblem::NoSuchTemplate)?;
            list[i] = t.clone();
        }
        ReplyEdit::Delete(id) => {
            let i = at(id).ok_or(EditProblem::NoSuchTemplate)?;
            list.remove(i);
        }
    }
    Ok(())
}

/// Whether `user` may add, edit and delete the templates of `site`: admins anywhere, supervisors
/// at their own sites.
pub fn may_manage(user: &UserInfo, site: &str) -> bool {
    !user.disabled
        && match user.role {
            Role::Admin => true,
            Role::Supervisor => user.sites.iter().any(|s| s == site),
            Role::Staff | Role::Handler => false,
        }
}

/// The placeholders a template may hold, each with its English alias.
pub const PLACEHOLDERS: [(&str, &str); 3] = [
    ("{编号}", "{number}"),
    ("{位置}", "{location}"),
    ("{类别}", "{category}"),
];

/// The template's text for a complaint: `{编号}`/`{number}` its number, `{位置}`/`{location}` its
/// place, `{类别}`/`{category}` the category's name as given (`category_name`).
pub fn fill(text: &str, c: &Complaint, category_name: &str) -> String {
    let values = [c.display_number(), c.location.as_str(), category_name];
    let mut out = text.to_string();
    for ((zh, en), value) in PLACEHOLDERS.iter().zip(values) {
        out = out.replace(zh, value).replace(en, value);
    }
    out
}

/// Where a chosen template goes in a field: the field becomes the text if it was empty, else the
/// text is added on a new line (what was typed is kept).
pub fn insert(field: &str, text: &str) -> String {
    let typed = field.trim_end();
    if typed.is_empty() {
        text.to_string()
    } else if typed.ends_with(text) {
        typed.to_string()
    } else {
        format!("{typed}\n{text}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(title: &str, text: &str) -> ReplyTemplateInput {
        ReplyTemplateInput {
            step: ReplyStep::Reply,
            title: title.into(),
            text: text.into(),
        }
    }

    #[test]
    fn templates_are_trimmed_titled_and_bounded() {
        let t = input("  ", "  您好，已安排维修师傅上门处理。 ").normalized();
        let t = t.expect("valid");
        assert_eq!(t.text, "您好，已安排维修师傅上门处理。");
        assert_eq!(t.title, "您好，已安排维修师傅上门处理。");
        let long = "很".repeat(MAX_TEXT + 1);
        assert_eq!(input("", &long).normalized().unwrap_err().code, "too_long");
        assert_eq!(input("标题", " ").normalized().unwrap_err().field, "text");
        let title = "题".repeat(MAX_TITLE + 1);
        assert_eq!(input(&title, "x").normalized().unwrap_err().field, "title");
        assert_eq!(input("a\nb", "x").normalized().unwrap_err().code, "invalid");
        let auto = input("", &"长".repeat(40)).normalized().expect("valid");
        assert_eq!(auto.title.chars().count(), MAX_TITLE);
    }

    #[test]
    fn steps_round_trip_and_map_from_actions() {
        for s in ReplyStep::ALL {
            assert_eq!(ReplyStep::parse(s.code()), Some(s));
            let json = serde_json::to_string(&s).expect("json");
            assert_eq!(json, format!("\"{}\"", s.code()));
        }
        assert_eq!(ReplyStep::of_action("replied"), Some(ReplyStep::Reply));
        assert_eq!(
            ReplyStep::of_action("followed_up"),
            Some(ReplyStep::FollowUp)
        );
        assert_eq!(ReplyStep::of_action("closed"), None);
    }

    #[test]
    fn placeholders_are_filled_in_both_spellings() {
        use crate::event::{Event, EventKind, NewComplaint};
        use crate::fold::fold_one;
        use crate::ids::{ComplaintId, DeviceId, EventId};
        use crate::time::Timestamp;
        let e = Event {
            id: EventId::new_v7(1, [1; 10]),
            complaint_id: ComplaintId::new_v7(1, [2; 10]),
            device_id: DeviceId::new_v7(1, [3; 10]),
            author: "s".into(),
            captured_at: Timestamp(1),
            lamport: 1,
            kind: EventKind::Created(Box::new(NewComplaint {
                provisional_number: "P-7".into(),
                description: "d".into(),
                location: "1栋 › 大堂".into(),
                category: "facility.lift".into(),
                ..Default::default()
            })),
        };
        let c = fold_one([&e]).expect("created folds");
        let text = "您反映的{位置}{类别}问题（{编号}）已处理; {number} at {location}: {category}";
        assert_eq!(
            fill(text, &c, "电梯"),
            "您反映的1栋 › 大堂电梯问题（P-7）已处理; P-7 at 1栋 › 大堂: 电梯"
        );
        assert_eq!(fill("无占位", &c, "电梯"), "无占位");
    }

    #[test]
    fn admins_anywhere_supervisors_at_their_sites() {
        let user = |role, sites: &[&str], disabled| UserInfo {
            username: "u".into(),
            display_name: "u".into(),
            role,
            department: None,
            sites: sites.iter().map(|s| s.to_string()).collect(),
            disabled,
        };
        assert!(may_manage(&user(Role::Admin, &[], false), "B"));
        assert!(may_manage(&user(Role::Supervisor, &["A", "B"], false), "B"));
        assert!(!may_manage(&user(Role::Supervisor, &["A"], false), "B"));
        assert!(!may_manage(&user(Role::Supervisor, &["B"], true), "B"));
        assert!(!may_manage(&user(Role::Staff, &["B"], false), "B"));
        assert!(!may_manage(&user(Role::Handler, &["B"], false), "B"));
    }

    #[test]
    fn edits_add_last_replace_in_place_delete_and_stop_at_the_limit() {
        let t = |id: &str, text: &str| ReplyTemplate {
            id: id.into(),
            step: ReplyStep::Reply,
            title: text.into(),
            text: text.into(),
        };
        let mut list = vec![];
        apply(&mut list, &ReplyEdit::Add(t("a", "一"))).expect("add");
        apply(&mut list, &ReplyEdit::Add(t("b", "二"))).expect("add");
        let dup = apply(&mut list, &ReplyEdit::Add(t("a", "x")));
        assert_eq!(dup, Err(EditProblem::DuplicateId));
        apply(&mut list, &ReplyEdit::Replace(t("a", "改"))).expect("replace");
        assert_eq!(list, vec![t("a", "改"), t("b", "二")]);
        let gone = apply(&mut list, &ReplyEdit::Replace(t("z", "x")));
        assert_eq!(gone, Err(EditProblem::NoSuchTemplate));
        apply(&mut list, &ReplyEdit::Delete("a".into())).expect("delete");
        assert_eq!(list, vec![t("b", "二")]);
        let again = apply(&mut list, &ReplyEdit::Delete("a".into()));
        assert_eq!(again, Err(EditProblem::NoSuchTemplate));
        for i in 1..MAX_TEMPLATES {
            apply(&mut list, &ReplyEdit::Add(t(&i.to_string(), "x"))).expect("room");
        }
        let full = apply(&mut list, &ReplyEdit::Add(t("last", "x")));
        assert_eq!(full, Err(EditProblem::Full));
    }

    #[test]
    fn insert_keeps_what_was_typed() {
        assert_eq!(insert("", "已处理"), "已处理");
        assert_eq!(insert("  \n", "已处理"), "已处理");
        assert_eq!(insert("师傅明早到", "已处理"), "师傅明早到\n已处理");
        assert_eq!(insert("已处理\n", "已处理"), "已处理");
    }
}
