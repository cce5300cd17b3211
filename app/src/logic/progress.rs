//! The header's sync state in words, and the progress of a long sync: records sent of those
//! waiting when it started.

use crate::i18n::{Lang, K};

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
        (Phase::Syncing, Some((sent, of)), _) => t(K::SyncSendingOf)
            .replace("{sent}", &sent.to_string())
            .replace("{of}", &of.to_string()),
        (Phase::Syncing, None, _) => t(K::SyncReceiving).into(),
        (Phase::Offline, _, 0) => t(K::SyncOfflineNone).into(),
        (Phase::Offline, _, n) => t(K::SyncOfflineSome).replace("{n}", &n.to_string()),
        (Phase::Online, _, 0) => t(K::SyncAllDone).into(),
        (Phase::Online, _, n) => t(K::SyncWaiting).replace("{n}", &n.to_string()),
    }
}
