//! A round-robin TCP proxy in front of several server processes, as an L4 load balancer: each
//! connection goes to the next backend that accepts it; a killed backend's connections break.

use std::sync::atomic::{AtomicU16, AtomicUsize, Ordering::SeqCst};
use std::sync::Arc;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

pub struct Proxy {
    pub port: u16,
    /// Open connections per backend (the killer aims at a process with requests in flight).
    active: Arc<Vec<AtomicUsize>>,
    /// The backends' ports (a process whose first start found its port taken moves).
    backends: Arc<Vec<AtomicU16>>,
    task: JoinHandle<()>,
}

impl Proxy {
    /// Listens on a free port of 127.0.0.1 and forwards to the `backends` ports in turn.
    pub async fn start(backends: Vec<u16>) -> Result<Proxy, String> {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| format!("proxy: bind: {e}"))?;
        let port = listener
            .local_addr()
            .map_err(|e| format!("proxy: address: {e}"))?
            .port();
        let active: Arc<Vec<AtomicUsize>> =
            Arc::new(backends.iter().map(|_| AtomicUsize::new(0)).collect());
        let backends: Arc<Vec<AtomicU16>> =
            Arc::new(backends.into_iter().map(AtomicU16::new).collect());
        let ports = backends.clone();
        let next = Arc::new(AtomicUsize::new(0));
        let counts = active.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((client, _)) = listener.accept().await else {
                    continue;
                };
                let (backends, counts) = (backends.clone(), counts.clone());
                let first = next.fetch_add(1, SeqCst);
                tokio::spawn(forward(client, backends, counts, first));
            }
        });
        Ok(Proxy {
            port,
            active,
            backends: ports,
            task,
        })
    }

    /// Points backend `i` at `port` (after its process moved to another port).
    pub fn set_backend(&self, i: usize, port: u16) {
        if let Some(b) = self.backends.get(i) {
            b.store(port, SeqCst);
        }
    }

    /// Connections open to backend `i` now.
    pub fn active(&self, i: usize) -> usize {
        self.active.get(i).map_or(0, |c| c.load(SeqCst))
    }
}

/// Connects to the first backend from `first` (round robin) that accepts and copies both ways
/// until either side closes or breaks; with none accepting, the client's connection closes.
async fn forward(
    mut client: TcpStream,
    backends: Arc<Vec<AtomicU16>>,
    counts: Arc<Vec<AtomicUsize>>,
    first: usize,
) {
    let n = backends.len();
    for k in 0..n {
        let b = (first + k) % n;
        if let Ok(mut upstream) = TcpStream::connect(("127.0.0.1", backends[b].load(SeqCst))).await
        {
            let _ = upstream.set_nodelay(true);
            let _ = client.set_nodelay(true);
            counts[b].fetch_add(1, SeqCst);
            let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
            counts[b].fetch_sub(1, SeqCst);
            return;
        }
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}
