//! One chosen file and how far its check has come.

use crate::qpp::rules::Report;
use leptos::prelude::*;
use std::sync::Arc;

#[derive(Clone, Debug, PartialEq)]
pub enum JobState {
    Waiting,
    Reading { done: f64, total: f64 },
    Checking { done: f64, total: f64, submissions: usize },
    Done(Arc<Report>),
    Failed(String),
    Cancelled,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Job {
    pub id: u32,
    pub name: String,
    pub size: f64,
    pub state: JobState,
}

impl Job {
    pub fn running(&self) -> bool {
        matches!(self.state, JobState::Reading { .. } | JobState::Checking { .. })
    }
}

/// The chosen files by job id: a `File` is a handle, not the content. Kept to show a finding's
/// place in the file (browser handles are not `Send`: kept out of reactive state).
pub type Files = StoredValue<Vec<(u32, web_sys::File)>, LocalStorage>;
