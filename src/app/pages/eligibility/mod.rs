//! Eligibility & Reporting: the practices and organizations a user can act for, and Practice
//! Details.

mod details;
mod page;
mod practices;
mod tabs;

pub use details::PracticeDetails;
pub use page::EligibilityReporting;
