//! The election pages, written once for both kinds of entity: a practice reporting as a group
//! (TIN) and a clinician reporting as an individual (TIN/NPI). The routes differ; the pages,
//! the dialog and the rules are the same.

mod confirmed;
mod entity;
mod facts;
mod options;
mod overview;
mod pathway;

pub use confirmed::ElectionConfirmed;
pub use entity::InterplayNote;
pub use options::ReportingOptionsPage;
pub use overview::ReportingOverview;
pub use pathway::PathwayOptionsPage;
