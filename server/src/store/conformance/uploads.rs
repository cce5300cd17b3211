//! Resumable uploads on every backend: one per user and file, chunks appended only where the
//! upload stands (of racing appends of one chunk exactly one is stored), bytes in order, gone
//! with their upload.

use crate::store::error::StoreError;
use crate::store::{Appended, UploadRecord, UploadStore};
use siteline_model::Timestamp;
use std::sync::Arc;

const NOW: Timestamp = Timestamp(1_772_416_800_000);

fn upload(id: char, user_id: i64, size: u64, created_at: Timestamp) -> UploadRecord {
    UploadRecord {
        id: std::iter::repeat_n(id, 32).collect(),
        user_id,
        sha256: std::iter::repeat_n('a', 64).collect(),
        size,
        received: 0,
        created_at,
    }
}

async fn uploads<S: UploadStore + ?Sized + 'static>(s: Arc<S>) {
    let up = upload('1', 7, 10, NOW);
    s.create_upload(&up).await.expect("create");
    let again = s.create_upload(&upload('2', 7, 10, NOW)).await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    assert_eq!(s.uploads_of(7).await.expect("of"), (1, 10));
    assert_eq!(
        s.find_upload(7, &up.sha256).await.expect("find"),
        Some(up.clone())
    );

    assert_eq!(
        s.append_upload(&up.id, 0, b"abc").await.expect("append"),
        Appended::To(3)
    );
    // The same chunk again (a retry whose answer was lost) and a wrong offset store nothing.
    assert_eq!(
        s.append_upload(&up.id, 0, b"abc").await.expect("append"),
        Appended::Mismatch { received: 3 }
    );
    assert_eq!(
        s.append_upload(&up.id, 5, b"x").await.expect("append"),
        Appended::Mismatch { received: 3 }
    );
    // Past the declared size: refused.
    assert_eq!(
        s.append_upload(&up.id, 3, b"12345678")
            .await
            .expect("append"),
        Appended::Mismatch { received: 3 }
    );

    // Racing appends of one chunk (as from two server processes): exactly one is stored.
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let s = s.clone();
            let id = up.id.clone();
            tokio::spawn(async move { s.append_upload(&id, 3, b"defg").await })
        })
        .collect();
    let mut stored = 0;
    for t in tasks {
        match t.await.expect("task").expect("append") {
            Appended::To(7) => stored += 1,
            Appended::Mismatch { received: 7 } => {}
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(stored, 1);
    assert_eq!(
        s.append_upload(&up.id, 7, b"hij").await.expect("append"),
        Appended::To(10)
    );
    assert_eq!(
        s.upload_bytes(&up.id).await.expect("bytes"),
        b"abcdefghij".to_vec()
    );
    let got = s.get_upload(&up.id).await.expect("get").expect("there");
    assert_eq!(got.received, 10);

    s.delete_upload(&up.id).await.expect("delete");
    assert_eq!(s.get_upload(&up.id).await.expect("get"), None);
    assert!(s.upload_bytes(&up.id).await.expect("bytes").is_empty());
    assert_eq!(
        s.append_upload(&up.id, 10, b"k").await.expect("append"),
        Appended::Gone
    );
    s.delete_upload(&up.id).await.expect("delete twice");

    let old = upload('3', 8, 5, Timestamp(NOW.millis() - 1));
    s.create_upload(&old).await.expect("create");
    s.create_upload(&upload('4', 9, 5, NOW))
        .await
        .expect("create");
    let before = s.uploads_created_before(NOW).await.expect("before");
    assert_eq!(before.iter().map(|u| &u.id).collect::<Vec<_>>(), [&old.id]);
}

super::on_both!(uploads => uploads(arc));
