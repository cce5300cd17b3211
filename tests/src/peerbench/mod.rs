//! Peer comparison of issue 14: PouchDB (IndexedDB in headless Chromium) replicating to
//! pouchdb-server on loopback, with documents of the device bench's shape.
//!
//! Run with `cargo run --release -p siteline-e2e --bin bench_peer -- [--complaints N]
//! [--pull-events N] [--batch-size N] [--only push|pull] [--out FILE] [--pouchdb-js FILE]
//! [--pouchdb-server BIN]`; it needs npm `pouchdb` and `pouchdb-server` (`cargo xtask bench
//! --only peer` installs them into `.tools/npm`), Chromium and chromedriver.
//!
//! The design is the classic PouchDB one: a document per event (`_id` = the event id, the body the
//! event's JSON as Siteline stores and sends it), written once and never updated.

mod couch;
mod page;
mod replicate;

use crate::devbench::{histories, Report};
use serde_json::{json, Value};
use std::path::PathBuf;

pub use couch::PouchServer;

/// What to run, and where the programs are.
#[derive(Clone, Debug)]
pub struct Options {
    /// Complaints (×5 events, a document each) the tablet pushes.
    pub complaints: usize,
    /// Documents on the server that a fresh browser database pulls.
    pub pull_events: usize,
    /// `batch_size` of `PouchDB.replicate` (PouchDB's default is 100).
    pub batch_size: usize,
    pub push: bool,
    pub pull: bool,
    pub out: Option<PathBuf>,
    pub pouchdb_js: PathBuf,
    pub pouchdb_server: PathBuf,
}

pub const USAGE: &str = "usage: bench_peer [--complaints N] [--pull-events N] [--batch-size N] \
[--only push|pull] [--out FILE] [--pouchdb-js FILE] [--pouchdb-server BIN]";

impl Options {
    /// Parses the command line (without the program name).
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Options, String> {
        let npm = crate::repo_root().join(".tools/npm/node_modules");
        let mut o = Options {
            complaints: 10_000,
            pull_events: 100_000,
            batch_size: 100,
            push: true,
            pull: true,
            out: None,
            pouchdb_js: npm.join("pouchdb/dist/pouchdb.min.js"),
            pouchdb_server: npm.join(".bin/pouchdb-server"),
        };
        let mut it = args.into_iter();
        while let Some(flag) = it.next() {
            let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
            let number = |v: String| {
                v.replace('_', "")
                    .parse::<usize>()
                    .map_err(|e| format!("{flag} {v}: {e}"))
            };
            match flag.as_str() {
                "--complaints" => o.complaints = number(value()?)?,
                "--pull-events" => o.pull_events = number(value()?)?,
                "--batch-size" => o.batch_size = number(value()?)?.max(1),
                "--out" => o.out = Some(PathBuf::from(value()?)),
                "--pouchdb-js" => o.pouchdb_js = PathBuf::from(value()?),
                "--pouchdb-server" => o.pouchdb_server = PathBuf::from(value()?),
                "--only" => match value()?.as_str() {
                    "push" => o.pull = false,
                    "pull" => o.push = false,
                    other => return Err(format!("--only push|pull, not {other}")),
                },
                "-h" | "--help" => return Err(USAGE.to_string()),
                other => return Err(format!("unknown argument {other}\n{USAGE}")),
            }
        }
        for (path, what) in [
            (&o.pouchdb_js, "pouchdb.min.js"),
            (&o.pouchdb_server, "pouchdb-server"),
        ] {
            if !path.is_file() {
                return Err(format!(
                    "no {what} at {} (cargo xtask bench --only peer installs it)",
                    path.display()
                ));
            }
        }
        Ok(o)
    }
}

/// Database on the server that holds the bench page and pouchdb.min.js.
const ASSETS: &str = "peer-assets";

/// Starts pouchdb-server, stores the page on it, and runs the selected replications.
pub async fn run(o: &Options) -> Result<Report, String> {
    let mut r = Report::default();
    let server = PouchServer::launch(&o.pouchdb_server).await?;
    let page_url = store_page(&server, o).await?;
    r.note(
        "options",
        json!({ "complaints": o.complaints, "pull_events": o.pull_events,
                "batch_size": o.batch_size, "design": "a document per event",
                "server": server.version().await?, "store": "pouchdb-server --in-memory" }),
    );
    if o.push {
        replicate::push(o, &server, &page_url, &mut r).await?;
    }
    if o.pull {
        replicate::pull(o, &server, &page_url, &mut r).await?;
    }
    Ok(r)
}

/// Stores the page and pouchdb.min.js on the server; answers the page's URL.
async fn store_page(server: &PouchServer, o: &Options) -> Result<String, String> {
    let js =
        std::fs::read(&o.pouchdb_js).map_err(|e| format!("{}: {e}", o.pouchdb_js.display()))?;
    server.create_db(ASSETS).await?;
    let rev = server
        .put_attachment(
            ASSETS,
            "page",
            None,
            "index.html",
            "text/html; charset=utf-8",
            page::HTML.as_bytes().to_vec(),
        )
        .await?;
    server
        .put_attachment(
            ASSETS,
            "page",
            Some(&rev),
            "pouchdb.min.js",
            "application/javascript",
            js,
        )
        .await?;
    Ok(server.url(&format!("/{ASSETS}/page/index.html")))
}

/// `complaints` × `per` events by `author` as PouchDB documents: each event's JSON plus `_id`.
pub fn documents(author: &str, seed: u8, complaints: usize, per: usize) -> Vec<Value> {
    histories(author, seed, complaints, per, crate::devbench::now_ms())
        .into_iter()
        .map(|s| {
            let mut doc = serde_json::to_value(&s.event).expect("event json");
            if let Value::Object(map) = &mut doc {
                map.insert("_id".into(), json!(s.event.id.to_string()));
            }
            doc
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_are_events_with_their_id() {
        let docs = documents("s", 3, 4, 5);
        assert_eq!(docs.len(), 20);
        for d in &docs {
            assert_eq!(d["_id"], d["id"]);
            assert!(
                d["type"].is_string() && d["complaint_id"].is_string(),
                "{d}"
            );
            let fields = d.as_object().expect("object");
            assert!(fields.keys().all(|k| k == "_id" || !k.starts_with('_')));
        }
        assert_eq!(docs[0]["type"], "created");
    }

    #[test]
    fn options_parse_sizes_and_parts() {
        let args = [
            "--complaints",
            "1_000",
            "--only",
            "pull",
            "--batch-size",
            "0",
        ];
        match Options::parse(args.map(String::from)) {
            Ok(o) => {
                assert_eq!(
                    (o.complaints, o.batch_size, o.push, o.pull),
                    (1000, 1, false, true)
                );
            }
            // Without the npm packages installed the paths are missing; the error says so.
            Err(e) => assert!(e.contains("cargo xtask bench --only peer"), "{e}"),
        }
        assert!(Options::parse(["--only", "sideways"].map(String::from)).is_err());
    }
}
