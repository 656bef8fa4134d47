//! The wire contract between the SPA and the backend: every endpoint (`endpoints`), the request
//! and response bodies, the one error shape, and the headers and limits. Shared by both sides so
//! that they cannot drift apart. Everything is re-exported here for callers outside `api`.

pub mod eligibility;
pub mod endpoints;
pub mod error;
pub mod limits;
pub mod session;
pub mod uploads;

pub use eligibility::*;
pub use error::*;
pub use limits::*;
pub use session::*;
pub use uploads::*;
