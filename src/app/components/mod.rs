//! Components shared by the pages. Each carries its accessibility contract with it and has its
//! own test in `tests/wasm_components.rs`.

pub mod alert;
pub mod confirm_word;
pub mod dialog;
pub mod download;
pub mod file_drop;
pub mod layout;
pub mod modal;
pub mod pager;
pub mod practice;

pub use alert::{Alert, AlertKind, ProblemList};
pub use confirm_word::ConfirmWord;
pub use dialog::ConfirmElectionDialog;
pub use download::download;
pub use file_drop::FileDrop;
pub use layout::{
    AccountFrame, ErrorSummary, FieldError, InlineError, LoadError, Loading, PageHeading, RequireSignIn, Shell,
    SignedInPage,
};
pub use modal::{focus_id, focus_later, Modal};
pub use pager::Pager;
pub use practice::{EligibilityFacts, LowVolumePicture, StatusBadge, YearSelect, NOT_PROVIDED};
