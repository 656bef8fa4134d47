//! One module per screen of the guides' workflows.

mod account;
mod election;
mod eligibility;
mod params;
mod participation;
mod registry;
mod sign_in;
mod validate;

pub use account::{AccountHome, NotFound};
pub use election::{ElectionConfirmed, PathwayOptionsPage, ReportingOptionsPage, ReportingOverview};
pub use eligibility::{EligibilityReporting, PracticeDetails};
pub use participation::ParticipationStatus;
pub use registry::RegistrySubmissionDetails;
pub use sign_in::{Register, SignIn};
pub use validate::ValidateFile;
