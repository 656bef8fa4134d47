//! What every handler shares: the store, the clock, the configuration and the limits on
//! CPU-bound work.

use super::store::Store;
use crate::domain::Timestamp;
use std::sync::Arc;
use tokio::sync::Semaphore;

/// At most this many argon2 verifications run at once, so sign-in floods can't starve the server.
pub const CONCURRENT_PASSWORD_CHECKS: usize = 4;
/// At most this many QPP JSON validations (CPU-bound, up to 64 MB each) run at once.
pub const CONCURRENT_VALIDATIONS: usize = 2;
/// Bytes of request bodies all requests together may hold at once (`http::body`). A body counts
/// from before it is read: its declared length, or the largest upload when it declares none.
pub const BODY_BUDGET_BYTES: usize = 320 * 1024 * 1024;
/// The budget's unit: a permit is a KiB.
pub const BODY_BUDGET_UNIT: usize = 1024;

/// The server's notion of "now". Injected so that tests can stand inside or outside a window.
pub type Clock = Arc<dyn Fn() -> Timestamp + Send + Sync>;

pub fn system_clock() -> Clock {
    Arc::new(|| {
        let ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0);
        Timestamp(ms)
    })
}

#[derive(Clone, Debug, Default)]
pub struct Config {
    /// Mark cookies Secure even without X-Forwarded-Proto (set COOKIE_SECURE=1 behind TLS).
    pub force_secure_cookies: bool,
    /// Fault injection for the API tests: an upload fails after storing this many measurement
    /// sets, proving its transaction leaves nothing behind. Never set outside tests.
    pub fail_upload_after_sets: Option<usize>,
    /// Behind a proxy or CDN (TRUSTED_PROXY=1): the client's address is the last one the proxy
    /// appended to `X-Forwarded-For`, not the connection's peer (which is the proxy).
    pub trusted_proxy: bool,
}

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub clock: Clock,
    pub config: Arc<Config>,
    pub hashing: Arc<Semaphore>,
    pub validating: Arc<Semaphore>,
    /// Bytes of request bodies in flight, in KiB (`http::body`).
    pub body_budget: Arc<Semaphore>,
    /// The key of the sign-in counters' buckets, read from the database once.
    pub sign_in_key: Arc<tokio::sync::OnceCell<String>>,
}

impl AppState {
    pub fn new(store: Store, clock: Clock, config: Config) -> AppState {
        AppState {
            store,
            clock,
            config: Arc::new(config),
            hashing: Arc::new(Semaphore::new(CONCURRENT_PASSWORD_CHECKS)),
            validating: Arc::new(Semaphore::new(CONCURRENT_VALIDATIONS)),
            body_budget: Arc::new(Semaphore::new(BODY_BUDGET_BYTES / BODY_BUDGET_UNIT)),
            sign_in_key: Arc::default(),
        }
    }

    pub fn now(&self) -> Timestamp {
        (self.clock)()
    }
}
