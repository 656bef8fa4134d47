//! Collects findings and works out their columns cheaply.

use super::super::json::Pos;
use super::report::{Diagnostic, Evidence, Severity, MAX_LISTED};

/// Collects findings; works out columns cheaply (see `column`).
pub(super) struct Sink<'s> {
    pub(super) src: &'s [u8],
    pub(super) list: Vec<Diagnostic>,
    pub(super) errors: usize,
    pub(super) warnings: usize,
    pub(super) unlisted: usize,
    /// (line start, offset, column) of the last column computed: findings come in file order,
    /// so the next one on the same line counts on from there. Counting from the line start each
    /// time would be quadratic on a minified one-line file.
    pub(super) last_column: (usize, usize, u32),
}

impl<'s> Sink<'s> {
    pub(super) fn new(src: &'s [u8]) -> Sink<'s> {
        Sink { src, list: vec![], errors: 0, warnings: 0, unlisted: 0, last_column: (usize::MAX, 0, 1) }
    }

    pub(super) fn column(&mut self, pos: Pos) -> u32 {
        let (ls, off, col) = self.last_column;
        let column = if ls == pos.line_start && off <= pos.offset {
            let span = self.src.get(off..pos.offset.min(self.src.len())).unwrap_or(&[]);
            col + span.iter().filter(|b| (**b & 0xC0) != 0x80).count() as u32
        } else {
            pos.column(self.src)
        };
        self.last_column = (pos.line_start, pos.offset, column);
        column
    }

    pub(super) fn push(&mut self, d: Diagnostic) {
        match d.severity {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
        }
        if self.list.len() < MAX_LISTED {
            self.list.push(d);
        } else {
            self.unlisted += 1;
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn emit(
        &mut self, severity: Severity, code: &str, pos: Pos, path: &str, submission: Option<usize>,
        measure: Option<&str>, message: String, api: Option<String>, hint: Option<String>, evidence: Evidence,
    ) {
        if self.list.len() >= MAX_LISTED {
            // Counted, not listed: skip the column work.
            match severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
            }
            self.unlisted += 1;
            return;
        }
        let column = self.column(pos);
        self.push(Diagnostic {
            severity,
            code: code.into(),
            message,
            api_message: api,
            path: path.into(),
            line: pos.line,
            column,
            offset: pos.offset,
            measure_id: measure.map(str::to_owned),
            hint,
            submission,
            evidence,
        });
    }
}
