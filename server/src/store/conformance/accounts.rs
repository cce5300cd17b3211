//! Users, sessions, device keys and sites on every backend: creation and conflicts, the site
//! tree and settings as listed, edits that revoke sessions, expiry and purging.

use crate::store::error::StoreError;
use crate::store::{LocationNode, NewUser, SiteStore, UserStore, UserUpdate};
use siteline_model::api::{CustomCategory, SiteDay};
use siteline_model::calendar::DayKind;
use siteline_model::replies::{ReplyEdit, ReplyStep, ReplyTemplate};
use siteline_model::timelimit::Policy;
use siteline_model::{DeviceId, Role, Timestamp};

const NOW: Timestamp = Timestamp(1_772_416_800_000);

fn user(name: &str, role: Role, department: Option<&str>, sites: &[&str]) -> NewUser {
    NewUser {
        username: name.into(),
        display_name: format!("{name} 姓名"),
        role,
        department: department.map(String::from),
        password_hash: format!("hash-of-{name}"),
        sites: sites.iter().map(|s| s.to_string()).collect(),
    }
}

async fn sites_as_listed<S: SiteStore + ?Sized>(s: &S) {
    assert_eq!(s.default_site_code().await.expect("default"), None);
    let tree = vec![
        LocationNode::branch(
            "1栋",
            vec![LocationNode::leaf("大堂"), LocationNode::leaf("3F")],
        ),
        LocationNode::leaf("地下车库"),
    ];
    s.create_site("SL", "一期", true, &tree, NOW)
        .await
        .expect("site");
    s.create_site("B", "二期", false, &[], NOW)
        .await
        .expect("site");
    assert!(
        s.create_site("B", "重复", false, &[], NOW).await.is_err(),
        "codes are unique"
    );
    assert_eq!(s.count_sites().await.expect("count"), 2);
    assert_eq!(
        s.default_site_code().await.expect("default").as_deref(),
        Some("SL")
    );
    let listed = s.list_sites().await.expect("list");
    let codes: Vec<&str> = listed.iter().map(|x| x.code.as_str()).collect();
    assert_eq!(codes, ["SL", "B"], "the default first");
    assert_eq!(
        listed[0].locations,
        ["1栋", "1栋 › 大堂", "1栋 › 3F", "地下车库"],
        "depth-first in sibling order"
    );
    let policy = Policy {
        notice_minutes: 45,
        ..Policy::default()
    };
    s.set_site_policy("B", Some(&policy), None)
        .await
        .expect("policy");
    let day = |date: &str, kind| SiteDay {
        date: date.into(),
        kind,
    };
    s.set_site_day("B", &day("2026-10-08", DayKind::Off))
        .await
        .expect("day");
    s.set_site_day("B", &day("2026-10-08", DayKind::Work))
        .await
        .expect("replaced");
    s.set_site_day("B", &day("2026-10-11", DayKind::Work))
        .await
        .expect("day");
    s.delete_site_day("B", "2026-10-11").await.expect("deleted");
    assert!(matches!(
        s.delete_site_day("B", "2026-10-11").await,
        Err(StoreError::NotFound(_))
    ));
    let cat = CustomCategory {
        code: "custom.pets".into(),
        parent: "environment".into(),
        zh: "宠物".into(),
        en: "Pets".into(),
    };
    s.add_site_category("B", &cat).await.expect("category");
    assert!(matches!(
        s.add_site_category("B", &cat).await,
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        s.set_site_policy("NOPE", Some(&policy), None).await,
        Err(StoreError::NotFound(_))
    ));
    let b = s.get_site("B").await.expect("get").expect("B");
    assert_eq!(b.policy.notice_minutes, 45);
    assert_eq!(b.days, [day("2026-10-08", DayKind::Work)]);
    assert_eq!(b.categories, [cat]);
    assert!(s.get_site("NOPE").await.expect("get").is_none());
}

async fn users_sessions_and_keys<S: UserStore + SiteStore + ?Sized>(s: &S) {
    s.create_site("SL", "一期", true, &[], NOW)
        .await
        .expect("site");
    s.create_site("B", "二期", false, &[], NOW)
        .await
        .expect("site");
    let zhang = s
        .create_user(user("zhang", Role::Staff, None, &["SL", "B"]), NOW)
        .await
        .expect("user");
    assert_eq!(zhang.info.sites, ["B", "SL"], "sites in code order");
    assert!(matches!(
        s.create_user(user("zhang", Role::Staff, None, &[]), NOW)
            .await,
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        s.create_user(user("wang", Role::Staff, None, &["NOPE"]), NOW)
            .await,
        Err(StoreError::Invalid(_))
    ));
    assert!(
        s.find_user("wang").await.expect("find").is_none(),
        "nothing half-made"
    );
    s.create_user(user("li", Role::Handler, Some("engineering"), &["SL"]), NOW)
        .await
        .expect("handler");
    assert_eq!(s.count_users().await.expect("count"), 2);
    let names: Vec<String> = s
        .list_users()
        .await
        .expect("list")
        .into_iter()
        .map(|u| u.username)
        .collect();
    assert_eq!(names, ["li", "zhang"]);

    let later = Timestamp(NOW.millis() + 3_600_000);
    s.create_session("t1", zhang.id, NOW, later)
        .await
        .expect("session");
    s.create_session("t2", zhang.id, NOW, later)
        .await
        .expect("session");
    let found = s.find_session("t1").await.expect("find").expect("t1");
    assert_eq!((found.user.id, found.expires_at), (zhang.id, later));
    let device = DeviceId::new_v7(NOW.millis(), [3; 10]);
    s.create_device_key("k1", zhang.id, device, NOW, later)
        .await
        .expect("key");
    let other = DeviceId::new_v7(NOW.millis(), [4; 10]);
    assert!(s
        .find_device_key("k1", other, NOW)
        .await
        .expect("q")
        .is_none());
    assert!(
        s.find_device_key("k1", device, later)
            .await
            .expect("q")
            .is_none(),
        "expired"
    );
    assert_eq!(
        s.find_device_key("k1", device, NOW)
            .await
            .expect("q")
            .map(|u| u.id),
        Some(zhang.id)
    );

    // A handler needs a department; an unknown user is None.
    let bad = UserUpdate {
        department: Some(None),
        ..UserUpdate::default()
    };
    assert!(matches!(
        s.update_user("li", &bad, None).await,
        Err(StoreError::Invalid(_))
    ));
    assert!(s
        .update_user("nobody", &UserUpdate::default(), None)
        .await
        .expect("q")
        .is_none());
    // A new password keeps only the session it came from and drops device keys.
    let new_password = UserUpdate {
        password_hash: Some("new-hash".into()),
        sites: Some(vec!["SL".into()]),
        ..UserUpdate::default()
    };
    let after = s
        .update_user("zhang", &new_password, Some("t2"))
        .await
        .expect("update")
        .expect("zhang");
    assert_eq!(
        (after.password_hash.as_str(), after.info.sites.clone()),
        ("new-hash", vec!["SL".to_string()])
    );
    assert!(s.find_session("t1").await.expect("q").is_none());
    assert!(s.find_session("t2").await.expect("q").is_some());
    assert!(s
        .find_device_key("k1", device, NOW)
        .await
        .expect("q")
        .is_none());
    // Disabled: no session answers.
    let disable = UserUpdate {
        disabled: Some(true),
        ..UserUpdate::default()
    };
    s.update_user("zhang", &disable, Some("t2"))
        .await
        .expect("disable");
    assert!(s.find_session("t2").await.expect("q").is_none(), "disabled");
    // Expired sessions are purged.
    let li = s.find_user("li").await.expect("q").expect("li");
    s.create_session("old", li.id, NOW, NOW)
        .await
        .expect("session");
    assert_eq!(s.purge_sessions(later).await.expect("purge"), 1);
    s.delete_session("t2").await.expect("delete");
}

fn template(id: &str, step: ReplyStep, text: &str) -> ReplyTemplate {
    ReplyTemplate {
        id: id.into(),
        step,
        title: text.chars().take(4).collect(),
        text: text.into(),
    }
}

async fn reply_templates_edited<S: SiteStore + ?Sized>(s: &S) {
    s.create_site("SL", "一期", true, &[], NOW)
        .await
        .expect("site");
    assert!(s
        .get_site("SL")
        .await
        .expect("get")
        .expect("SL")
        .replies
        .is_empty());
    let a = template("a", ReplyStep::Reply, "您好，已安排师傅上门");
    let b = template("b", ReplyStep::FollowUp, "回访：业主表示满意");
    s.edit_site_replies("SL", &ReplyEdit::Add(a.clone()))
        .await
        .expect("add");
    let list = s
        .edit_site_replies("SL", &ReplyEdit::Add(b.clone()))
        .await
        .expect("add");
    assert_eq!(list, [a.clone(), b.clone()]);
    let a2 = template("a", ReplyStep::Reply, "您好，维修已完成");
    s.edit_site_replies("SL", &ReplyEdit::Replace(a2.clone()))
        .await
        .expect("replace");
    let listed = s.list_sites().await.expect("list");
    assert_eq!(listed[0].replies, [a2, b.clone()], "listed with the site");
    s.edit_site_replies("SL", &ReplyEdit::Delete("a".into()))
        .await
        .expect("delete");
    assert!(matches!(
        s.edit_site_replies("SL", &ReplyEdit::Delete("a".into()))
            .await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        s.edit_site_replies("NOPE", &ReplyEdit::Add(a)).await,
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(
        s.get_site("SL").await.expect("get").expect("SL").replies,
        [b]
    );
}

/// Concurrent adds are read-modify-writes that must not lose one another.
async fn reply_template_adds_race<S: SiteStore + ?Sized + 'static>(s: std::sync::Arc<S>) {
    s.create_site("SL", "一期", true, &[], NOW)
        .await
        .expect("site");
    let tasks: Vec<_> = (0..16)
        .map(|i| {
            let s = s.clone();
            tokio::spawn(async move {
                let t = template(&format!("t{i}"), ReplyStep::Reply, "已处理");
                s.edit_site_replies("SL", &ReplyEdit::Add(t)).await
            })
        })
        .collect();
    for t in tasks {
        t.await.expect("task").expect("add");
    }
    let replies = s.get_site("SL").await.expect("get").expect("SL").replies;
    assert_eq!(replies.len(), 16, "no add lost: {replies:?}");
}

/// Renaming and merging places: existing nodes are reused, new ones go after their siblings.
async fn sites_renamed_and_places_merged<S: SiteStore + ?Sized>(s: &S) {
    let tree = vec![LocationNode::branch(
        "1栋",
        vec![LocationNode::leaf("大堂")],
    )];
    s.create_site("SL", "默认项目", true, &tree, NOW)
        .await
        .expect("site");
    let add = vec![
        LocationNode::branch(
            "1栋",
            vec![LocationNode::leaf("大堂"), LocationNode::leaf("B2 停车场")],
        ),
        LocationNode::leaf("2栋"),
    ];
    s.update_site("SL", Some("阳光花园"), &add)
        .await
        .expect("update");
    s.update_site("SL", None, &add).await.expect("again: no-op");
    let site = s.get_site("SL").await.expect("get").expect("SL");
    assert_eq!(site.name, "阳光花园");
    let labels: Vec<&str> = site.locations.iter().map(String::as_str).collect();
    assert!(
        labels.contains(&"1栋 › 大堂")
            && labels.contains(&"1栋 › B2 停车场")
            && labels.contains(&"2栋"),
        "{labels:?}"
    );
    let dups = labels.iter().filter(|l| **l == "1栋 › 大堂").count();
    assert_eq!(dups, 1, "merged, not repeated: {labels:?}");
    let pos = |l: &str| labels.iter().position(|x| *x == l);
    assert!(
        pos("1栋 › 大堂") < pos("1栋 › B2 停车场"),
        "new after old: {labels:?}"
    );
    assert!(matches!(
        s.update_site("NOPE", Some("x"), &[]).await,
        Err(StoreError::NotFound(_))
    ));
}

super::on_both!(
    sites_renamed_and_places_merged => sites_renamed_and_places_merged,
    reply_templates_edited => reply_templates_edited,
    reply_template_adds_race => reply_template_adds_race(arc),
    sites_as_listed => sites_as_listed,
    users_sessions_and_keys => users_sessions_and_keys,
);
