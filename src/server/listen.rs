//! The HTTP listener. `axum::serve` keeps any connection open for as long as the client likes;
//! here a connection over the cap is answered 503 at once, a request's headers must arrive
//! within `HEADER_READ_TIMEOUT`, and shutdown lets requests in flight finish.

use axum::extract::connect_info::ConnectInfo;
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

/// Open connections at most; more are answered 503 and closed. The listener raises its soft
/// file-descriptor limit to the hard one and, if that is still lower, keeps the cap under it.
pub const MAX_CONNECTIONS: usize = 4096;
/// Descriptors kept for the database, files and the answer to a connection over the cap.
const SPARE_DESCRIPTORS: usize = 128;

/// The connection cap this process can honour (see `MAX_CONNECTIONS`).
fn connection_cap() -> usize {
    let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit and setrlimit only read and write the struct passed to them.
    let soft = unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
            return MAX_CONNECTIONS.min(1024 - SPARE_DESCRIPTORS);
        }
        if limit.rlim_cur < limit.rlim_max {
            let raised = libc::rlimit { rlim_cur: limit.rlim_max, rlim_max: limit.rlim_max };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                limit.rlim_cur = limit.rlim_max;
            }
        }
        limit.rlim_cur
    };
    MAX_CONNECTIONS.min((soft as usize).saturating_sub(SPARE_DESCRIPTORS)).max(1)
}
/// From a connection's first byte (or the end of the previous request) to the end of the headers.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// How long shutdown waits for requests in flight.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(20);

/// The whole answer to a connection over the cap, written before its request is read.
fn over_capacity() -> Vec<u8> {
    let body = r#"{"error":{"type":"ServiceBusy","message":"Too many connections right now. Please try again in a few seconds.","details":[]}}"#;
    format!(
        "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 2\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

pub async fn serve(listener: TcpListener, router: Router, shutdown: impl std::future::Future<Output = ()>) {
    let cap = connection_cap();
    tracing::debug!(cap, "connection cap");
    let open = Arc::new(Semaphore::new(cap));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let (mut stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file descriptors and the like: wait a moment rather than spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Ok(permit) = open.clone().try_acquire_owned() else {
            tokio::spawn(async move {
                let _ = stream.write_all(&over_capacity()).await;
                let _ = stream.shutdown().await;
            });
            continue;
        };
        // The peer's address feeds the sign-in counters (`http::extract::ClientAddress`).
        let router = router.clone();
        let service = hyper::service::service_fn(move |mut req: hyper::Request<hyper::body::Incoming>| {
            req.extensions_mut().insert(ConnectInfo::<SocketAddr>(peer));
            tower::ServiceExt::oneshot(router.clone(), req)
        });
        let connection = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(HEADER_READ_TIMEOUT)
            .serve_connection(TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            let _permit = permit;
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, %peer, "connection ended with an error");
            }
        });
    }
    drop(listener);
    if tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown()).await.is_err() {
        tracing::warn!("requests still running after the shutdown grace period were cut off");
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_over_capacity_answer_is_well_formed() {
        let answer = super::over_capacity();
        let text = std::str::from_utf8(&answer).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        assert!(head.contains(&format!("Content-Length: {}", body.len())), "{head}");
        let v: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(v["error"]["type"], "ServiceBusy");
    }
}
