//! Shared report links and fleet reports on every backend: a link by id and by token hash,
//! counting, revocation that keeps its first time, live counts; a tablet's report replaced
//! per device and user, listed by the user's sites.

use crate::store::{FleetStore, NewShare, NewUser, ShareRecord, ShareStore, SiteStore, UserStore};
use siteline_model::fleet::DeviceReport;
use siteline_model::report::Period;
use siteline_model::{DeviceId, Role, Timestamp};

const NOW: Timestamp = Timestamp(1_772_416_800_000);
const HOUR: i64 = 3_600_000;

async fn people<S: UserStore + SiteStore + ?Sized>(s: &S) -> (i64, i64) {
    s.create_site("SL", "一期", true, &[], NOW)
        .await
        .expect("site");
    s.create_site("B", "二期", false, &[], NOW)
        .await
        .expect("site");
    let mk = |name: &str, sites: &[&str]| NewUser {
        username: name.into(),
        display_name: name.into(),
        role: Role::Supervisor,
        department: None,
        password_hash: "h".into(),
        sites: sites.iter().map(|s| s.to_string()).collect(),
    };
    let a = s
        .create_user(mk("sup_a", &["SL"]), NOW)
        .await
        .expect("user");
    let b = s.create_user(mk("sup_b", &["B"]), NOW).await.expect("user");
    (a.id, b.id)
}

fn share(id: &str, by: i64, expires_at: Timestamp) -> NewShare {
    NewShare {
        record: ShareRecord {
            id: id.into(),
            created_by: by,
            created_by_name: String::new(),
            site: Some("SL".into()),
            scope_sites: Some(vec!["SL".into()]),
            from_month: 202601,
            to_month: 202607,
            period: Period::Half,
            label: "业委会".into(),
            created_at: NOW,
            expires_at,
            revoked_at: None,
            open_count: 0,
            last_opened_at: None,
        },
        token_hash: format!("hash-{id}"),
    }
}

async fn links<S: ShareStore + UserStore + SiteStore + ?Sized>(s: &S) {
    let (a, b) = people(s).await;
    let day = Timestamp(NOW.millis() + 24 * HOUR);
    s.create_share(&share("s1", a, day)).await.expect("share");
    s.create_share(&share("s2", a, Timestamp(NOW.millis() + HOUR)))
        .await
        .expect("share");
    s.create_share(&share("s3", b, day)).await.expect("share");
    let by_token = s
        .find_share_by_token("hash-s1")
        .await
        .expect("q")
        .expect("s1");
    assert_eq!(
        (by_token.id.as_str(), by_token.created_by_name.as_str()),
        ("s1", "sup_a")
    );
    assert_eq!(
        by_token.scope_sites.as_deref(),
        Some(&["SL".to_string()][..])
    );
    assert_eq!(
        (by_token.from_month, by_token.period),
        (202601, Period::Half)
    );
    assert!(
        s.find_share_by_token("s1").await.expect("q").is_none(),
        "ids are not tokens"
    );
    s.record_share_open("s1", NOW).await.expect("open");
    let later = Timestamp(NOW.millis() + 2 * HOUR);
    s.record_share_open("s1", later).await.expect("open");
    let s1 = s.get_share("s1").await.expect("q").expect("s1");
    assert_eq!((s1.open_count, s1.last_opened_at), (2, Some(later)));
    assert_eq!(s.list_shares(Some(a), 10).await.expect("list").len(), 2);
    assert_eq!(s.list_shares(None, 10).await.expect("list").len(), 3);
    assert_eq!(s.list_shares(None, 2).await.expect("list").len(), 2);
    assert_eq!(
        s.count_live_shares(a, later).await.expect("live"),
        1,
        "s2 expired"
    );
    assert!(s.revoke_share("s1", later).await.expect("revoke"));
    assert!(s.revoke_share("s1", day).await.expect("again"));
    assert_eq!(
        s.get_share("s1")
            .await
            .expect("q")
            .and_then(|x| x.revoked_at),
        Some(later),
        "the first revocation stands"
    );
    assert!(!s.revoke_share("nope", later).await.expect("revoke"));
    assert_eq!(s.count_live_shares(a, later).await.expect("live"), 0);
}

async fn fleet<S: FleetStore + UserStore + SiteStore + ?Sized>(s: &S) {
    let (a, b) = people(s).await;
    let device = DeviceId::new_v7(NOW.millis(), [5; 10]);
    let report = |pending: u32| DeviceReport {
        device_id: device,
        app_version: "0.1.0".into(),
        pending_records: pending,
        oldest_pending_at: Some(NOW),
        storage_used: Some(5_000_000_000),
        storage_quota: None,
        persisted: Some(true),
    };
    s.record_device_report(a, &report(3), NOW)
        .await
        .expect("report");
    let later = Timestamp(NOW.millis() + HOUR);
    s.record_device_report(a, &report(0), later)
        .await
        .expect("replaced");
    s.record_device_report(b, &report(7), NOW)
        .await
        .expect("another user");
    let all = s.fleet(None, 10).await.expect("fleet");
    assert_eq!(all.len(), 2, "one row per tablet and user");
    assert_eq!(
        (all[0].username.as_str(), all[0].last_seen),
        ("sup_a", later)
    );
    assert_eq!(all[0].report, report(0));
    let sl = s.fleet(Some(&["SL".to_string()]), 10).await.expect("fleet");
    assert_eq!(
        sl.iter().map(|r| r.username.as_str()).collect::<Vec<_>>(),
        ["sup_a"]
    );
    assert!(s.fleet(Some(&[]), 10).await.expect("fleet").is_empty());
}

super::on_both!(
    links => links,
    fleet => fleet,
);
