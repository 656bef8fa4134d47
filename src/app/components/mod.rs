//! Components shared by the pages. Each carries its accessibility contract with it.

mod dialog;
mod layout;
mod practice;

pub use dialog::ConfirmElectionDialog;
pub use layout::{AccountFrame, ErrorSummary, FieldError, InlineError, LoadError, Loading, PageHeading, RequireSignIn, Shell};
pub use practice::{EligibilityFacts, LowVolumePicture, StatusBadge, YearSelect};
