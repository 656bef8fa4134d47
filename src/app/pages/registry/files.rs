//! The files of an upload as the browser checked them, and the participants they hold.

use crate::domain::entity::category_label;
use crate::domain::PerformanceYear;
use crate::qpp::participants::{participants, qrda_participant, FileParticipant};
use crate::qpp::qrda::QrdaSummary;
use crate::qpp::results::too_large;
use crate::qpp::rules::{plural, Report, Severity};
use std::collections::HashSet;
use std::sync::Arc;

/// How far the browser's check of one file has come.
#[derive(Clone, Debug, PartialEq)]
pub enum Check {
    Waiting,
    Working { fraction: f64, what: &'static str },
    Qpp(Arc<Report>),
    Qrda(Arc<QrdaSummary>),
    Failed(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct FileItem {
    pub id: u32,
    pub name: String,
    pub size: f64,
    pub check: Check,
}

/// What can be said of a chosen file before it is read: too large, or not JSON or XML.
pub fn first_check(name: &str, size: f64) -> Check {
    let lower = name.to_lowercase();
    if let Some(m) = too_large(size) {
        Check::Failed(m)
    } else if !(lower.ends_with(".json") || lower.ends_with(".xml")) {
        Check::Failed("Only QPP JSON (.json) and QRDA III (.xml) files are accepted.".into())
    } else {
        Check::Waiting
    }
}

fn year_text(year: Option<i64>) -> String {
    year.map(|v| v.to_string()).unwrap_or_else(|| "undated".into())
}

impl FileItem {
    pub fn busy(&self) -> bool {
        matches!(self.check, Check::Waiting | Check::Working { .. })
    }

    /// What stops the file from being uploaded, in sentences (at most a few findings).
    pub fn problems(&self, year: PerformanceYear) -> Vec<String> {
        let y = year.get() as i64;
        match &self.check {
            Check::Failed(m) => vec![m.clone()],
            Check::Qpp(r) if r.errors > 0 => {
                let mut out = vec![format!("{} found: the file can't be uploaded until they are fixed.", plural(r.errors, "error"))];
                let errors = r.diagnostics.iter().filter(|d| d.severity == Severity::Error);
                out.extend(errors.take(5).map(|d| format!("Line {}: {}", d.line, d.message)));
                out
            }
            Check::Qpp(r) => r
                .submissions
                .iter()
                .find(|s| s.performance_year != Some(y))
                .map(|s| vec![format!("The file holds {} data; you are uploading for performance year {year}. Choose that year on the page, or upload a {year} file.", year_text(s.performance_year))])
                .unwrap_or_default(),
            Check::Qrda(q) if !q.problems.is_empty() => q
                .problems
                .iter()
                .map(|p| format!("{}{} ({})", p.line.map(|l| format!("Line {l}: ")).unwrap_or_default(), p.message, p.code))
                .collect(),
            Check::Qrda(q) if q.performance_year != Some(y) => {
                vec![format!("The file holds {} data; you are uploading for performance year {year}.", year_text(q.performance_year))]
            }
            _ => vec![],
        }
    }

    pub fn summary(&self) -> String {
        match &self.check {
            Check::Waiting => "Waiting to be checked".into(),
            Check::Working { fraction, what } => format!("{what} {:.0}%", fraction * 100.0),
            Check::Qpp(r) => format!(
                "QPP JSON · {} · {} · {}",
                plural(r.submissions.len(), "participant"),
                plural(r.errors, "error"),
                plural(r.warnings, "warning")
            ),
            Check::Qrda(q) => format!(
                "QRDA III · {} · {}",
                qrda_participant(q).label(),
                q.sections
                    .iter()
                    .map(|s| format!("{} ({})", category_label(&s.category), plural(s.measures, "measure")))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Check::Failed(_) => "Could not be checked".into(),
        }
    }
}

/// Every participant the files hold, each once, in file order (the same list the server reads).
pub fn participants_in(items: &[FileItem]) -> Vec<FileParticipant> {
    let mut seen = HashSet::new();
    let mut out = vec![];
    for it in items {
        let list = match &it.check {
            Check::Qpp(r) => participants(r),
            Check::Qrda(q) => vec![qrda_participant(q)],
            _ => vec![],
        };
        for mut p in list {
            // The byte range differs per file; who it is does not.
            (p.start, p.end) = (0, 0);
            if seen.insert(p.clone()) {
                out.push(p);
            }
        }
    }
    out
}
