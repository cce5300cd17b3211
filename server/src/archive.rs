//! Reading an "unsynced records" export archive safely (entry count, sizes, zip bombs); blocking.
//!
//! The archive is a ZIP with `events.json` and `attachments/<sha256>` files. [`read`] runs on a
//! blocking thread and hands the entries one at a time to the async side through a channel,
//! `events.json` first, so memory stays bounded by one entry whatever the archive holds.
//! Uncompressed sizes are enforced on the bytes actually inflated, never on what headers claim.

use crate::attachments::is_sha256;
use crate::error::{Error, Result};
use std::io::{Read, Seek};
use tokio::sync::mpsc::Sender;
use zip::ZipArchive;

pub const EVENTS_FILE: &str = "events.json";
pub const ATTACHMENTS_DIR: &str = "attachments/";

/// What an archive may hold.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Entries in the central directory.
    pub max_entries: usize,
    /// Bytes inflated over the whole archive.
    pub max_unpacked: u64,
    /// Bytes of `events.json`.
    pub max_events: u64,
    /// Bytes of one attachment (larger ones are rejected one by one, `too_large`).
    pub max_attachment: u64,
}

/// One entry for the async side.
#[derive(Debug)]
pub enum Item {
    /// The bytes of `events.json` (always sent first).
    Events(Vec<u8>),
    Attachment {
        sha256: String,
        bytes: Vec<u8>,
    },
    /// An attachment entry not read: `bad_name` (not `attachments/<sha256>`) or `too_large`.
    Rejected {
        sha256: String,
        code: &'static str,
    },
}

fn bad(message: impl Into<String>) -> Error {
    Error::BadArchive(message.into())
}

/// Inflates at most `cap` bytes of an entry; `None` if it has more. Counts into `unpacked`.
fn read_capped(
    entry: &mut impl Read,
    cap: u64,
    unpacked: &mut u64,
    limits: &Limits,
) -> Result<Option<Vec<u8>>> {
    let mut buf = Vec::new();
    entry
        .by_ref()
        .take(cap.saturating_add(1))
        .read_to_end(&mut buf)
        .map_err(|e| bad(format!("the archive is damaged: {e}")))?;
    *unpacked = unpacked.saturating_add(buf.len() as u64);
    if *unpacked > limits.max_unpacked {
        return Err(bad(format!(
            "the archive unpacks to more than {} bytes",
            limits.max_unpacked
        )));
    }
    Ok((buf.len() as u64 <= cap).then_some(buf))
}

/// Reads the archive and sends its entries; stops quietly if the receiver goes away.
/// Fails with `bad_archive` for anything that is not a sound export archive.
pub fn read<R: Read + Seek>(reader: R, limits: Limits, tx: &Sender<Item>) -> Result<()> {
    let mut zip =
        ZipArchive::new(reader).map_err(|e| bad(format!("not a ZIP export archive: {e}")))?;
    if zip.len() > limits.max_entries {
        return Err(bad(format!(
            "the archive has {} entries, at most {} are accepted",
            zip.len(),
            limits.max_entries
        )));
    }
    let mut unpacked = 0u64;
    let events_at = zip
        .index_for_name(EVENTS_FILE)
        .ok_or_else(|| bad(format!("the archive has no {EVENTS_FILE}")))?;
    {
        let mut entry = zip
            .by_index(events_at)
            .map_err(|e| bad(format!("{EVENTS_FILE}: {e}")))?;
        let bytes = read_capped(&mut entry, limits.max_events, &mut unpacked, &limits)?
            .ok_or_else(|| {
                bad(format!(
                    "{EVENTS_FILE} is larger than {} bytes",
                    limits.max_events
                ))
            })?;
        if tx.blocking_send(Item::Events(bytes)).is_err() {
            return Ok(());
        }
    }
    for i in 0..zip.len() {
        if i == events_at {
            continue;
        }
        let mut entry = zip
            .by_index(i)
            .map_err(|e| bad(format!("entry {i}: {e}")))?;
        if entry.is_dir() {
            continue;
        }
        let name = entry
            .name()
            .map_err(|e| bad(format!("entry {i}: {e}")))?
            .into_owned();
        let Some(sha256) = name.strip_prefix(ATTACHMENTS_DIR) else {
            continue; // Anything else (a readme, OS metadata) is not ours to read.
        };
        let sha256 = sha256.to_string();
        let item = if !is_sha256(&sha256) {
            Item::Rejected {
                sha256,
                code: "bad_name",
            }
        } else if entry.size() > limits.max_attachment {
            Item::Rejected {
                sha256,
                code: "too_large",
            }
        } else {
            match read_capped(&mut entry, limits.max_attachment, &mut unpacked, &limits)? {
                Some(bytes) => Item::Attachment { sha256, bytes },
                None => Item::Rejected {
                    sha256,
                    code: "too_large",
                },
            }
        };
        if tx.blocking_send(item).is_err() {
            return Ok(());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Write};
    use zip::write::SimpleFileOptions;
    use zip::{CompressionMethod, ZipWriter};

    const LIMITS: Limits = Limits {
        max_entries: 10,
        max_unpacked: 100_000,
        max_events: 1000,
        max_attachment: 50_000,
    };

    fn archive(files: &[(&str, Vec<u8>)]) -> Vec<u8> {
        let mut w = ZipWriter::new(Cursor::new(Vec::new()));
        let opts = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
        for (name, bytes) in files {
            w.start_file(*name, opts).expect("start");
            w.write_all(bytes).expect("write");
        }
        w.finish().expect("finish").into_inner()
    }

    fn run(bytes: Vec<u8>) -> (Result<()>, Vec<Item>) {
        let (tx, mut rx) = tokio::sync::mpsc::channel(100);
        let res = read(Cursor::new(bytes), LIMITS, &tx);
        drop(tx);
        let mut items = Vec::new();
        while let Ok(i) = rx.try_recv() {
            items.push(i);
        }
        (res, items)
    }

    #[test]
    fn events_first_then_attachments_and_rejections() {
        let sha = "a".repeat(64);
        let (res, items) = run(archive(&[
            ("attachments/bad", vec![1]),
            (&format!("attachments/{sha}"), vec![2; 10]),
            ("README.txt", vec![3]),
            ("events.json", b"{}".to_vec()),
        ]));
        res.expect("reads");
        assert!(matches!(&items[0], Item::Events(b) if b == b"{}"));
        assert!(matches!(
            &items[1],
            Item::Rejected {
                code: "bad_name",
                ..
            }
        ));
        assert!(
            matches!(&items[2], Item::Attachment { sha256, bytes } if *sha256 == sha && bytes.len() == 10)
        );
        assert_eq!(items.len(), 3, "the readme is skipped");
    }

    #[test]
    fn garbage_missing_events_and_bombs_are_bad_archives() {
        let code = |r: Result<()>| r.err().map(|e| e.code());
        assert_eq!(
            code(run(b"not a zip at all".to_vec()).0),
            Some("bad_archive")
        );
        assert_eq!(code(run(archive(&[("x", vec![1])])).0), Some("bad_archive"));
        let many: Vec<(String, Vec<u8>)> = (0..11).map(|i| (format!("f{i}"), vec![])).collect();
        let many: Vec<(&str, Vec<u8>)> =
            many.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
        assert_eq!(
            code(run(archive(&many)).0),
            Some("bad_archive"),
            "too many entries"
        );
        // 3 × 40 000 zero bytes compress to almost nothing but unpack past the cap.
        let sha = |c: char| c.to_string().repeat(64);
        let bomb = archive(&[
            ("events.json", b"{}".to_vec()),
            (&format!("attachments/{}", sha('a')), vec![0; 40_000]),
            (&format!("attachments/{}", sha('b')), vec![0; 40_000]),
            (&format!("attachments/{}", sha('c')), vec![0; 40_000]),
        ]);
        assert!(bomb.len() < 2_000);
        assert_eq!(code(run(bomb).0), Some("bad_archive"));
        let (res, items) = run(archive(&[("events.json", vec![b' '; 1001])]));
        assert_eq!(code(res), Some("bad_archive"), "events.json too large");
        assert!(items.is_empty());
    }
}
