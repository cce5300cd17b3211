//! The header's sync state in words, and the progress of a long sync: records sent of those
//! waiting when it started, photos' bytes uploaded of their total.

use crate::i18n::{fill, Lang, K};
use crate::logic::upload::UploadRecord;

/// What the connection is doing (mirrors the header's state).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Online,
    Offline,
    Syncing,
}

/// `(sent, of)` while a sync runs that started with records waiting; none otherwise.
pub fn progress(started_with: Option<usize>, pending_now: usize) -> Option<(usize, usize)> {
    let of = started_with.filter(|&n| n > 0)?;
    Some((of.saturating_sub(pending_now).min(of), of))
}

/// One line saying what is happening, e.g. "正在发送 12/40 条记录" or "离线：3 条记录已存本机，
/// 有网后自动发送". `pending` is `None` while the device's records are being read.
pub fn status_line(
    phase: Phase,
    pending: Option<usize>,
    progress: Option<(usize, usize)>,
    lang: Lang,
) -> String {
    let t = |k: K| k.get(lang);
    let Some(n) = pending else {
        return t(K::SyncReading).into();
    };
    match (phase, progress, n) {
        (Phase::Syncing, Some((sent, of)), _) => fill(
            K::SyncSendingOf,
            lang,
            &[("sent", &sent.to_string()), ("of", &of.to_string())],
        ),
        (Phase::Syncing, None, _) => t(K::SyncReceiving).into(),
        (Phase::Offline, _, 0) => t(K::SyncOfflineNone).into(),
        (Phase::Offline, _, n) => fill(K::SyncOfflineSome, lang, &[("n", &n.to_string())]),
        (Phase::Online, _, 0) => t(K::SyncAllDone).into(),
        (Phase::Online, _, n) => fill(K::SyncWaiting, lang, &[("n", &n.to_string())]),
    }
}

/// Photos taken on this device still to upload: how many, and the bytes the server has of them
/// out of their total (resumable uploads report what they hold).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Photos {
    pub files: usize,
    pub sent: u64,
    pub total: u64,
}

/// The pending uploads among `uploads`.
pub fn photos<'a>(uploads: impl IntoIterator<Item = &'a UploadRecord>) -> Photos {
    uploads
        .into_iter()
        .filter(|u| u.is_pending())
        .fold(Photos::default(), |p, u| Photos {
            files: p.files + 1,
            sent: p.sent + u.received.min(u.size),
            total: p.total + u.size,
        })
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / 1_048_576.0)
}

/// The header's whole line: the records' state (`status_line`), and the photos still to upload —
/// "正在上传照片：2 张，1.5/4.0 MB" while syncing, else "2 张照片待上传" (which replaces "已全部同步":
/// records synced but photos waiting is not everything).
pub fn sync_words(
    phase: Phase,
    pending: Option<usize>,
    progress: Option<(usize, usize)>,
    photos: Photos,
    lang: Lang,
) -> String {
    let records = status_line(phase, pending, progress, lang);
    if photos.files == 0 {
        return records;
    }
    let n = photos.files.to_string();
    let line = match phase {
        Phase::Syncing => fill(
            K::PhotosUploading,
            lang,
            &[
                ("n", &n),
                ("sent", &megabytes(photos.sent)),
                ("total", &megabytes(photos.total)),
            ],
        ),
        _ => fill(K::PhotosWaiting, lang, &[("n", &n)]),
    };
    if phase == Phase::Online && pending == Some(0) {
        line
    } else {
        format!("{records} · {line}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logic::upload::UploadState;

    fn up(size: u64, received: u64, state: UploadState) -> UploadRecord {
        UploadRecord {
            sha256: format!("{size}-{received}"),
            size,
            content_type: "image/jpeg".into(),
            owner: "s".into(),
            state,
            received,
        }
    }

    #[test]
    fn pending_photos_are_counted_with_their_bytes() {
        let list = [
            up(2_097_152, 1_048_576, UploadState::Pending),
            up(1_048_576, 0, UploadState::Pending),
            up(500, 500, UploadState::Uploaded),
            up(
                9,
                0,
                UploadState::Rejected {
                    code: "too_large".into(),
                    message: String::new(),
                },
            ),
        ];
        let p = photos(&list);
        assert_eq!(
            p,
            Photos {
                files: 2,
                sent: 1_048_576,
                total: 3_145_728
            }
        );
        assert_eq!(photos(&[]), Photos::default());
    }

    #[test]
    fn the_line_says_what_the_photos_are_doing() {
        let p = Photos {
            files: 2,
            sent: 1_572_864,
            total: 4_194_304,
        };
        let none = Photos::default();
        assert_eq!(
            sync_words(Phase::Syncing, Some(0), None, p, Lang::Zh),
            "正在接收更新… · 正在上传照片：2 张，1.5/4.0 MB"
        );
        assert_eq!(
            sync_words(Phase::Online, Some(0), None, p, Lang::Zh),
            "2 张照片待上传",
            "not 已全部同步 while photos wait"
        );
        assert_eq!(
            sync_words(Phase::Offline, Some(3), None, p, Lang::En),
            "Offline: 3 records on this device, sent when back online · 2 photos waiting to upload"
        );
        assert_eq!(
            sync_words(Phase::Online, Some(0), None, none, Lang::Zh),
            "已全部同步"
        );
    }
}
