//! What every page may need: who is signed in, and the performance years with their windows.

use super::client::ClientError;
use crate::api::{PerformanceYearsResponse, SessionInfo};
use leptos::prelude::*;

/// What every page may need: who is signed in, and the performance years with their windows.
#[derive(Clone, Copy)]
pub struct AppContext {
    pub session: RwSignal<Option<SessionInfo>>,
    pub years: LocalResource<Result<PerformanceYearsResponse, ClientError>>,
}

pub fn use_app() -> AppContext {
    use_context::<AppContext>().expect("AppContext is provided by App")
}
