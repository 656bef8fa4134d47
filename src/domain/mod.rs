//! Pure rules and types of MIPS elections, shared by the browser and the server. No I/O here:
//! every rule takes what it needs (including "now") as an argument, so it can be tested plainly.

pub mod csv;
pub mod determination;
pub mod election;
pub mod entity;
pub mod format;
pub mod ids;
pub mod lookup;
pub mod lvt;
pub mod pathway;
pub mod registry;
pub mod sign_in;
pub mod status;
pub mod submitter;
pub mod time;
pub mod window;
pub mod year;

pub use determination::{Determination, Exclusion};
pub use election::{
    check_can_elect, check_confirmation, resolve_against_existing, Election, ElectionOutcome, ElectionRefusal,
    EntityKind,
};
pub use entity::EntityType;
pub use ids::{EntityId, Npi, Tin};
pub use lvt::{low_volume_threshold, LowVolumeAssessment, LowVolumeStatus, LowVolumeThreshold, VolumeFigures};
pub use pathway::{check_pathway, offered_pathways, ReportingPathway};
pub use status::{ParticipationStatus, SpecialStatus, SpecialStatusFlags};
pub use submitter::{EntityKey, ParticipantKey, Submitter};
pub use time::Timestamp;
pub use window::{ElectionWindow, WindowPhase, WindowSource};
pub use year::PerformanceYear;
