//! Stand-in server for the harness self-test: `/api/health` plus static files from `SITELINE_DIST`.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;

fn main() {
    let addr = std::env::var("SITELINE_ADDR").unwrap_or_else(|_| "127.0.0.1:8080".into());
    let dist = PathBuf::from(std::env::var("SITELINE_DIST").expect("SITELINE_DIST"));
    let listener = TcpListener::bind(&addr).expect("bind");
    println!("fake server on http://{addr}");
    for stream in listener.incoming().flatten() {
        let dist = dist.clone();
        std::thread::spawn(move || serve(stream, &dist));
    }
}

fn serve(mut stream: TcpStream, dist: &std::path::Path) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    let mut line = String::new();
    while reader.read_line(&mut line).map(|n| n > 2).unwrap_or(false) {
        line.clear();
    }
    let path = request_line.split_whitespace().nth(1).unwrap_or("/");
    let path = path.split('?').next().unwrap_or("/");
    let (status, kind, body) = if path == "/api/health" {
        (
            "200 OK",
            "application/json",
            b"{\"status\":\"ok\"}".to_vec(),
        )
    } else {
        let rel = path.trim_start_matches('/');
        let file = dist.join(if rel.is_empty() || rel.contains("..") {
            "index.html"
        } else {
            rel
        });
        match std::fs::read(&file) {
            Ok(bytes) => ("200 OK", mime(&file), bytes),
            Err(_) => ("404 Not Found", "text/plain", b"not found".to_vec()),
        }
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream
        .write_all(head.as_bytes())
        .and_then(|_| stream.write_all(&body));
}

fn mime(file: &std::path::Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript",
        Some("wasm") => "application/wasm",
        _ => "application/octet-stream",
    }
}
