//! The header's sync state in words, and the progress of a long sync: records sent of those
//! waiting when it started.

use crate::i18n::Lang;

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
    let zh = lang == Lang::Zh;
    let Some(n) = pending else {
        return if zh {
            "正在读取本机记录…"
        } else {
            "Reading this device's records…"
        }
        .into();
    };
    match (phase, progress, n) {
        (Phase::Syncing, Some((sent, of)), _) => {
            if zh {
                format!("正在发送 {sent}/{of} 条记录")
            } else {
                format!("Sending records: {sent} of {of}")
            }
        }
        (Phase::Syncing, None, _) => if zh {
            "正在接收更新…"
        } else {
            "Receiving updates…"
        }
        .into(),
        (Phase::Offline, _, 0) => if zh {
            "离线：记录会存在本机"
        } else {
            "Offline: records are kept on this device"
        }
        .into(),
        (Phase::Offline, _, n) => {
            if zh {
                format!("离线：{n} 条记录已存本机，有网后自动发送")
            } else {
                format!("Offline: {n} records on this device, sent when back online")
            }
        }
        (Phase::Online, _, 0) => if zh {
            "已全部同步"
        } else {
            "Everything is synced"
        }
        .into(),
        (Phase::Online, _, n) => {
            if zh {
                format!("{n} 条记录待发送")
            } else {
                format!("{n} records waiting to be sent")
            }
        }
    }
}
