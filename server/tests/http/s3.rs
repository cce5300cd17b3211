//! Attachments in an S3-compatible object store: moto's S3 server (installed by
//! `cargo xtask setup` into `.tools/python`, named by `SITELINE_S3_STANDIN_PYTHONPATH`) run
//! for the test; without it the test fails, it never skips.

use crate::common::*;
use reqwest::StatusCode;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running S3 stand-in with one empty bucket; stopped when dropped.
pub struct S3StandIn {
    child: Child,
    pub endpoint: String,
    pub bucket: String,
}

impl Drop for S3StandIn {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl S3StandIn {
    pub async fn start() -> S3StandIn {
        let pythonpath = std::env::var_os("SITELINE_S3_STANDIN_PYTHONPATH")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| {
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../.tools/python")
            });
        assert!(
            pythonpath.join("moto").is_dir(),
            "the S3 tests need moto in {} (run `cargo xtask setup`)",
            pythonpath.display()
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new("python3")
            .env("PYTHONPATH", &pythonpath)
            .args([
                "-m",
                "moto.server",
                "-H",
                "127.0.0.1",
                "-p",
                &port.to_string(),
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start moto");
        let standin = S3StandIn {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
            bucket: format!("siteline-{}", std::process::id()),
        };
        // Ready when it answers; then make the bucket.
        let http = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(30);
        let bucket_url = format!("{}/{}", standin.endpoint, standin.bucket);
        loop {
            match http.put(&bucket_url).send().await {
                Ok(r) if r.status().is_success() => break,
                Ok(r) => panic!("creating the bucket: {}", r.status()),
                Err(e) if Instant::now() > deadline => panic!("moto did not start: {e}"),
                Err(_) => tokio::task::yield_now().await,
            }
        }
        standin
    }

    /// `SITELINE_OBJECT_STORE_URL` and its `AWS_*` settings for objects under `prefix`.
    pub fn config(&self, prefix: &str) -> (String, Vec<(String, String)>) {
        let opts = [
            ("aws_endpoint", self.endpoint.as_str()),
            ("aws_allow_http", "true"),
            ("aws_region", "us-east-1"),
            ("aws_access_key_id", "test"),
            ("aws_secret_access_key", "test"),
        ];
        (
            format!("s3://{}/{prefix}", self.bucket),
            opts.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    /// The keys in the bucket (ListObjectsV2 as XML, keys picked out).
    pub async fn keys(&self) -> Vec<String> {
        let url = format!("{}/{}?list-type=2", self.endpoint, self.bucket);
        let xml = reqwest::get(url)
            .await
            .expect("list")
            .text()
            .await
            .expect("list body");
        xml.split("<Key>")
            .skip(1)
            .filter_map(|s| s.split("</Key>").next())
            .map(str::to_string)
            .collect()
    }
}

#[tokio::test]
async fn attachments_live_in_an_s3_compatible_store() {
    let s3 = S3StandIn::start().await;
    let (url, opts) = s3.config("photos");
    let s = start_with(move |c| {
        c.object_store_url = Some(url);
        c.object_store_options = opts;
    })
    .await;
    let token = s.user("zhang", "staff").await;
    let photo = jpeg(12, 6000);
    let sha = sha256_hex(&photo);
    assert_eq!(
        s.put_attachment(&token, &sha, &photo).await.status,
        StatusCode::CREATED
    );
    assert_eq!(
        s3.keys().await,
        [format!("photos/{}/{sha}", &sha[..2])],
        "one object under the prefix, fanned out by hash"
    );
    assert!(
        s.stored_files().is_empty(),
        "nothing under DATA/attachments"
    );
    let c = created_with("zhang", device(), t2026(), |n| {
        n.attachments = vec![attachment_ref(&photo, "image/jpeg")]
    });
    s.push(&token, std::slice::from_ref(&c)).await;
    let r = s.get_attachment(&token, &sha).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.bytes, photo, "served from S3");
    assert_eq!(
        s.put_attachment(&token, &sha, &photo).await.status,
        StatusCode::OK,
        "the store knows it has it"
    );
}
