//! 常用答复 on the device: the templates a complaint's site offers for an action (from the site
//! data kept offline), what choosing one does to the field, and the management page's lists.

use siteline_model::api::SiteInfo;
use siteline_model::replies::{self, ReplyStep, ReplyTemplate};
use siteline_model::Complaint;

/// The site a complaint is held under among the device's sites (its own, else the default).
pub fn site_of<'a>(sites: &'a [SiteInfo], site: &str) -> Option<&'a SiteInfo> {
    sites
        .iter()
        .find(|s| s.code == site)
        .or_else(|| sites.first())
}

/// The templates offered on action `action` (`replied`, `followed_up`) of a complaint at `site`.
pub fn offered(sites: &[SiteInfo], site: &str, action: &str) -> Vec<ReplyTemplate> {
    let Some(step) = ReplyStep::of_action(action) else {
        return Vec::new();
    };
    site_of(sites, site)
        .map(|s| {
            s.replies
                .iter()
                .filter(|t| t.step == step)
                .cloned()
                .collect()
        })
        .unwrap_or_default()
}

/// The field after choosing `t` for complaint `c` (`category` its category's name as shown).
pub fn chosen(field: &str, t: &ReplyTemplate, c: &Complaint, category: &str) -> String {
    replies::insert(field, &replies::fill(&t.text, c, category))
}

/// A site's templates of one step, in stored order.
pub fn of_step(list: &[ReplyTemplate], step: ReplyStep) -> Vec<ReplyTemplate> {
    list.iter().filter(|t| t.step == step).cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use siteline_model::{fold_one, ComplaintId, DeviceId, Event, EventId, EventKind};
    use siteline_model::{NewComplaint, Timestamp};

    fn t(id: &str, step: ReplyStep, text: &str) -> ReplyTemplate {
        ReplyTemplate {
            id: id.into(),
            step,
            title: id.into(),
            text: text.into(),
        }
    }

    fn site(code: &str, replies: Vec<ReplyTemplate>) -> SiteInfo {
        SiteInfo {
            code: code.into(),
            name: code.into(),
            locations: vec![],
            policy: Default::default(),
            hours: Default::default(),
            days: vec![],
            categories: vec![],
            people: vec![],
            replies,
        }
    }

    #[test]
    fn a_complaint_is_offered_its_own_sites_templates_for_the_step() {
        let sites = [
            site("SL", vec![t("a", ReplyStep::Reply, "一期答复")]),
            site(
                "B",
                vec![
                    t("b", ReplyStep::Reply, "二期答复"),
                    t("c", ReplyStep::FollowUp, "二期回访"),
                ],
            ),
        ];
        let ids = |v: Vec<ReplyTemplate>| v.into_iter().map(|t| t.id).collect::<Vec<_>>();
        assert_eq!(ids(offered(&sites, "B", "replied")), ["b"]);
        assert_eq!(ids(offered(&sites, "B", "followed_up")), ["c"]);
        assert_eq!(ids(offered(&sites, "SL", "replied")), ["a"]);
        assert_eq!(ids(offered(&sites, "", "replied")), ["a"], "default site");
        assert!(offered(&sites, "B", "closed").is_empty());
        assert!(offered(&[], "B", "replied").is_empty());
    }

    #[test]
    fn choosing_fills_the_placeholders_and_keeps_the_typing() {
        let e = Event {
            id: EventId::new_v7(1, [1; 10]),
            complaint_id: ComplaintId::new_v7(1, [2; 10]),
            device_id: DeviceId::new_v7(1, [3; 10]),
            author: "s".into(),
            captured_at: Timestamp(1),
            lamport: 1,
            kind: EventKind::Created(Box::new(NewComplaint {
                provisional_number: "P-3".into(),
                description: "d".into(),
                location: "B2 停车场".into(),
                category: "facility.lift".into(),
                ..Default::default()
            })),
        };
        let c = fold_one([&e]).expect("folds");
        let tpl = t("a", ReplyStep::Reply, "{位置}的{类别}问题已处理（{编号}）");
        assert_eq!(
            chosen("", &tpl, &c, "电梯"),
            "B2 停车场的电梯问题已处理（P-3）"
        );
        assert_eq!(
            chosen("师傅已到场", &tpl, &c, "电梯"),
            "师傅已到场\nB2 停车场的电梯问题已处理（P-3）"
        );
        let list = [
            t("x", ReplyStep::FollowUp, "1"),
            t("y", ReplyStep::Reply, "2"),
            t("z", ReplyStep::FollowUp, "3"),
        ];
        let ids = |v: Vec<ReplyTemplate>| v.into_iter().map(|t| t.id).collect::<Vec<_>>();
        assert_eq!(ids(of_step(&list, ReplyStep::Reply)), ["y"]);
        assert_eq!(ids(of_step(&list, ReplyStep::FollowUp)), ["x", "z"]);
    }
}
