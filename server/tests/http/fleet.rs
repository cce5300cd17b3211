//! Fleet sync health: tablets report themselves; supervisors see the tablets of their sites'
//! users, the silent ones holding unsynced records first; staff see none; bad reports refused.

use crate::common::*;
use reqwest::{Method, StatusCode};
use serde_json::json;
use siteline_model::fleet::FleetResponse;

#[tokio::test]
async fn supervisors_see_their_sites_tablets_silent_ones_first() {
    let s = start().await;
    let admin = s.admin().await;
    s.site("B", "二期").await;
    let a1 = s.user_at("staff_a1", "staff", None, &["SL"]).await;
    let a2 = s.user_at("staff_a2", "staff", None, &["SL"]).await;
    let b1 = s.user_at("staff_b1", "staff", None, &["B"]).await;
    let sup = s.user_at("sup_a", "supervisor", None, &["SL"]).await;
    let report = |device: siteline_model::DeviceId, pending: u32| {
        json!({"device_id": device, "app_version": "0.1.0", "pending_records": pending,
               "oldest_pending_at": 1_700_000_000_000i64, "storage_used": 2_000_000,
               "storage_quota": 50_000_000, "persisted": true})
    };
    let (d1, d2, d3) = (device(), device(), device());
    // a1's tablet reports 3 unsynced records, then goes quiet for 13 hours.
    let (st, body) = s
        .send(
            Method::POST,
            &a1,
            "/api/v1/devices/report",
            Some(&report(d1, 3)),
        )
        .await;
    assert_eq!(st, StatusCode::NO_CONTENT, "{body}");
    s.state.clock.advance(13 * 3_600_000);
    for (token, d, n) in [(&a2, d2, 0), (&b1, d3, 5)] {
        let (st, _) = s
            .send(
                Method::POST,
                token,
                "/api/v1/devices/report",
                Some(&report(d, n)),
            )
            .await;
        assert_eq!(st, StatusCode::NO_CONTENT);
    }
    let (st, body) = s.get(&sup, "/api/v1/fleet").await;
    assert_eq!(st, StatusCode::OK, "{body}");
    let fleet: FleetResponse = serde_json::from_value(body).expect("fleet");
    assert_eq!(fleet.silent_after_hours, 12);
    let users: Vec<(&str, bool)> = fleet
        .devices
        .iter()
        .map(|d| (d.username.as_str(), d.silent))
        .collect();
    assert_eq!(
        users,
        [("staff_a1", true), ("staff_a2", false)],
        "site B's tablet is not theirs"
    );
    assert_eq!(fleet.devices[0].pending_records, 3);
    assert_eq!(fleet.devices[0].persisted, Some(true));
    let (_, all) = s.get(&admin, "/api/v1/fleet").await;
    assert_eq!(
        all["devices"].as_array().map(Vec::len),
        Some(3),
        "admins see every tablet"
    );
    let (st, _) = s.get(&a1, "/api/v1/fleet").await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    // A new report brings it back.
    let (st, _) = s
        .send(
            Method::POST,
            &a1,
            "/api/v1/devices/report",
            Some(&report(d1, 0)),
        )
        .await;
    assert_eq!(st, StatusCode::NO_CONTENT);
    let (_, body) = s.get(&sup, "/api/v1/fleet").await;
    assert!(body["devices"]
        .as_array()
        .is_some_and(|d| d.iter().all(|x| x["silent"] == false)));
    for bad in [
        json!({"device_id": "00000000-0000-0000-0000-000000000000", "app_version": "1", "pending_records": 0}),
        json!({"device_id": device(), "app_version": "", "pending_records": 0}),
        json!({"device_id": device(), "app_version": "1", "pending_records": -1}),
        json!({"device_id": device(), "app_version": "1", "pending_records": 0, "name": "张三"}),
    ] {
        let (st, body) = s
            .send(Method::POST, &a1, "/api/v1/devices/report", Some(&bad))
            .await;
        assert!(st.is_client_error(), "{bad} → {st} {body}");
    }
}
