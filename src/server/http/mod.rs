//! HTTP itself: the one error type, extractors that fail in its shape, sessions and CSRF, and the
//! middleware every response passes through. Handlers in `routes` build on these.

pub mod body;
pub mod csp;
pub mod error;
pub mod extract;
pub mod middleware;
pub mod session;
