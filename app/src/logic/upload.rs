//! Photo uploads: the per-blob record kept in IndexedDB (pending / uploaded / rejected with the
//! server's reason), and the chunk planner (whole PUT up to 1 MiB, else resumable 1 MiB chunks
//! that resume from what the server says it has).

use serde::{Deserialize, Serialize};
use siteline_model::AttachmentRef;

/// Files up to this size go in one `PUT`.
pub const WHOLE_MAX: u64 = 1024 * 1024;
/// Chunk size of a resumable upload (the server takes up to 2 MiB).
pub const CHUNK: u64 = 1024 * 1024;
/// Restarts of one upload in one sync before giving up until the next sync.
pub const MAX_RESTARTS: u32 = 3;

/// Where a photo taken on this device stands with the server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum UploadState {
    Pending,
    Uploaded,
    /// The server refused the file (`too_large`, `unsupported_type`, `hash_mismatch`…).
    Rejected {
        code: String,
        message: String,
    },
}

/// One photo taken on this device, keyed by its hash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadRecord {
    pub sha256: String,
    pub size: u64,
    pub content_type: String,
    /// Who took it: their login uploads it.
    pub owner: String,
    pub state: UploadState,
    /// Bytes the server had at the last answer (progress of a resumable upload).
    #[serde(default)]
    pub received: u64,
}

impl UploadRecord {
    pub fn new(a: &AttachmentRef, owner: &str) -> Self {
        Self {
            sha256: a.sha256.clone(),
            size: a.size,
            content_type: a.content_type.clone(),
            owner: owner.to_string(),
            state: UploadState::Pending,
            received: 0,
        }
    }

    pub fn is_pending(&self) -> bool {
        self.state == UploadState::Pending
    }
}

/// How to send a file of `size` bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Plan {
    Whole,
    Chunked,
}

pub fn plan(size: u64) -> Plan {
    if size <= WHOLE_MAX {
        Plan::Whole
    } else {
        Plan::Chunked
    }
}

/// The byte range `[start, end)` to send next, once the server has `received` of `size`.
pub fn next_chunk(size: u64, received: u64) -> Option<(u64, u64)> {
    (received < size).then(|| (received, size.min(received + CHUNK)))
}

/// What the server answered to a chunk (or to starting/resuming the upload).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// The upload stands at `received` bytes.
    Progress(u64),
    /// The server holds the whole file.
    Done,
    /// 409 `offset_mismatch`: the server has `received` bytes; continue from there.
    Mismatch(u64),
    /// 404: the upload is gone (expired or finished elsewhere): start it again.
    Gone,
}

/// What to do next in a resumable upload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// Send `[start, end)`.
    Send(u64, u64),
    /// Start (or resume) the upload again with `POST …/upload`.
    Restart,
    Finished,
    /// Too many restarts: leave it pending for the next sync.
    GiveUp,
}

/// The state of one resumable upload between requests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chunked {
    pub size: u64,
    pub received: u64,
    restarts: u32,
}

impl Chunked {
    pub fn new(size: u64) -> Self {
        Self {
            size,
            received: 0,
            restarts: 0,
        }
    }

    /// Takes the server's answer and tells what to send next.
    pub fn on_answer(&mut self, a: Answer) -> Step {
        match a {
            Answer::Done => {
                self.received = self.size;
                Step::Finished
            }
            Answer::Progress(r) | Answer::Mismatch(r) => {
                if r > self.size {
                    // The server counts more than the file has: something is off; start over.
                    return self.restart();
                }
                self.received = r;
                match next_chunk(self.size, r) {
                    Some((s, e)) => Step::Send(s, e),
                    // All bytes sent but no attachment answered: ask again where it stands.
                    None => self.restart(),
                }
            }
            Answer::Gone => self.restart(),
        }
    }

    fn restart(&mut self) -> Step {
        self.restarts += 1;
        if self.restarts > MAX_RESTARTS {
            Step::GiveUp
        } else {
            Step::Restart
        }
    }
}

/// How the uploader treats an error answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ErrorClass {
    /// The file itself is refused: mark it rejected, go on with the others.
    Reject,
    /// Network or server trouble: stop uploading until the next sync.
    Transient,
    /// The login is not valid any more.
    Auth,
    /// The schema/app is too old.
    UpdateRequired,
}

pub fn classify(status: u16, code: &str) -> ErrorClass {
    match (status, code) {
        (401, _) => ErrorClass::Auth,
        (426, _) | (_, "update_required") => ErrorClass::UpdateRequired,
        (413 | 415 | 422, _) | (_, "too_large" | "unsupported_type" | "hash_mismatch") => {
            ErrorClass::Reject
        }
        (s, _) if s >= 500 || s == 429 || s == 408 => ErrorClass::Transient,
        // Other client errors (400, 403, 404 outside an upload) are the file's problem too: do
        // not retry them forever, show them on the record.
        _ => ErrorClass::Reject,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    const MIB: u64 = 1024 * 1024;

    #[wasm_bindgen_test(unsupported = test)]
    fn small_files_go_whole_large_ones_in_chunks() {
        assert_eq!(plan(1), Plan::Whole);
        assert_eq!(plan(MIB), Plan::Whole);
        assert_eq!(plan(MIB + 1), Plan::Chunked);
        assert_eq!(next_chunk(3 * MIB + 5, 0), Some((0, MIB)));
        assert_eq!(
            next_chunk(3 * MIB + 5, 3 * MIB),
            Some((3 * MIB, 3 * MIB + 5))
        );
        assert_eq!(next_chunk(3 * MIB + 5, 3 * MIB + 5), None);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn a_chunked_upload_walks_through_the_file() {
        let size = 2 * MIB + 10;
        let mut u = Chunked::new(size);
        assert_eq!(u.on_answer(Answer::Progress(0)), Step::Send(0, MIB));
        assert_eq!(u.on_answer(Answer::Progress(MIB)), Step::Send(MIB, 2 * MIB));
        assert_eq!(
            u.on_answer(Answer::Progress(2 * MIB)),
            Step::Send(2 * MIB, size)
        );
        assert_eq!(u.on_answer(Answer::Done), Step::Finished);
        assert_eq!(u.received, size);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn a_cut_connection_resumes_from_what_the_server_has() {
        let size = 3 * MIB;
        let mut u = Chunked::new(size);
        // Starting again after a cut: the server already holds 1.5 MiB.
        assert_eq!(
            u.on_answer(Answer::Progress(MIB + MIB / 2)),
            Step::Send(MIB + MIB / 2, 2 * MIB + MIB / 2)
        );
        // A chunk sent at a stale offset: the server says where it stands.
        assert_eq!(
            u.on_answer(Answer::Mismatch(2 * MIB)),
            Step::Send(2 * MIB, 3 * MIB)
        );
        assert_eq!(u.received, 2 * MIB);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn a_vanished_upload_restarts_a_few_times_then_waits() {
        let mut u = Chunked::new(2 * MIB);
        for _ in 0..MAX_RESTARTS {
            assert_eq!(u.on_answer(Answer::Gone), Step::Restart);
        }
        assert_eq!(u.on_answer(Answer::Gone), Step::GiveUp);
        let mut v = Chunked::new(2 * MIB);
        assert_eq!(v.on_answer(Answer::Progress(3 * MIB)), Step::Restart);
        assert_eq!(
            v.on_answer(Answer::Progress(2 * MIB)),
            Step::Restart,
            "complete but no ref"
        );
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn errors_are_classified() {
        assert_eq!(classify(413, "too_large"), ErrorClass::Reject);
        assert_eq!(classify(415, "unsupported_type"), ErrorClass::Reject);
        assert_eq!(classify(422, "hash_mismatch"), ErrorClass::Reject);
        assert_eq!(classify(400, "bad_request"), ErrorClass::Reject);
        assert_eq!(classify(401, "unauthorized"), ErrorClass::Auth);
        assert_eq!(classify(426, "update_required"), ErrorClass::UpdateRequired);
        assert_eq!(classify(503, "unavailable"), ErrorClass::Transient);
        assert_eq!(classify(502, "http_502"), ErrorClass::Transient);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn records_serialise_with_their_state() {
        let a = AttachmentRef {
            sha256: "ab".repeat(32),
            size: 10,
            content_type: "image/jpeg".into(),
        };
        let mut r = UploadRecord::new(&a, "staff1");
        assert!(r.is_pending());
        r.state = UploadState::Rejected {
            code: "too_large".into(),
            message: "m".into(),
        };
        let json = serde_json::to_string(&r).unwrap();
        assert!(json.contains("\"state\":\"rejected\""));
        assert_eq!(serde_json::from_str::<UploadRecord>(&json).unwrap(), r);
    }
}
