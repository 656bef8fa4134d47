//! The state of one upload, from the chosen files to the server's answer, as one `Copy` value
//! the steps share. Files are checked in this browser first (the validator's Web Worker), the
//! participants they name are looked up on the server, and the files and elections are sent in
//! one request — the server stores them in one transaction or not at all.

use super::files::{first_check, participants_in, Check, FileItem};
use crate::api::endpoints;
use crate::api::{
    EntityRow, FoundParticipant, ParticipantChoice, ParticipantRow, ParticipantsLookupRequest, UploadManifest,
    UploadResponse, IDEMPOTENCY_KEY_HEADER,
};
use crate::app::client::{self, ClientError};
use crate::app::components::focus_later;
use crate::app::validator::{ValidatorSlot, WorkerEvent};
use crate::domain::election::check_confirmation;
use crate::domain::registry::{entity_type_refusal, ElectionChoice, ParticipantStanding, Submitter};
use crate::domain::{Election, PerformanceYear};
use crate::qpp::rules::plural;
use leptos::prelude::*;
use std::sync::Arc;
use wasm_bindgen::JsValue;

/// The steps of the guide's upload, in order.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    Files,
    Elections,
    AreYouSure,
    Confirmed(Arc<UploadResponse>),
    Success(Arc<UploadResponse>),
}

impl Step {
    pub fn heading(&self) -> &'static str {
        match self {
            Step::Files => "Upload Data",
            Step::Elections => "Election Selection for Eligible Participants",
            Step::AreYouSure => "Are You Sure?",
            Step::Confirmed(_) => "Participation Selections Confirmed",
            Step::Success(_) => "Upload Successful",
        }
    }
}

#[derive(Clone, Copy)]
pub struct Upload {
    registry_id: StoredValue<String>,
    pub year: PerformanceYear,
    pub step: RwSignal<Step>,
    pub items: RwSignal<Vec<FileItem>>,
    /// The chosen files (browser handles: not `Send`, kept out of reactive state).
    files: StoredValue<Vec<(u32, web_sys::File)>, LocalStorage>,
    validator: ValidatorSlot,
    next_id: StoredValue<u32>,
    pub errors: RwSignal<Vec<String>>,
    pub busy: RwSignal<bool>,
    /// The server's answer for each participant found.
    pub rows: RwSignal<Arc<Vec<ParticipantRow>>>,
    /// The server's answer for each APM Entity, virtual group or subgroup found.
    pub entity_rows: RwSignal<Arc<Vec<EntityRow>>>,
    /// Participants the browser already knows can't be submitted: (label, reason).
    pub local_cannot: RwSignal<Arc<Vec<(String, String)>>>,
    /// The rows that need an election, by index in `rows`; `choices` is parallel to it.
    pub needs: Memo<Arc<Vec<usize>>>,
    pub choices: RwSignal<Vec<ElectionChoice>>,
    pub typed: RwSignal<String>,
    pub confirm_error: RwSignal<Option<String>>,
    idempotency_key: StoredValue<String>,
    pub announce: RwSignal<String>,
    on_done: Callback<()>,
}

fn random_key() -> String {
    (0..4).map(|_| format!("{:08x}", (js_sys::Math::random() * 4_294_967_295.0) as u32)).collect()
}

impl Upload {
    pub fn new(registry_id: String, year: PerformanceYear, on_done: Callback<()>) -> Upload {
        let rows: RwSignal<Arc<Vec<ParticipantRow>>> = RwSignal::new(Arc::new(vec![]));
        let needs = Memo::new(move |_| {
            Arc::new(rows.with(|r| {
                r.iter()
                    .enumerate()
                    .filter(|(_, r)| r.standing == ParticipantStanding::NeedsElection)
                    .map(|(i, _)| i)
                    .collect()
            }))
        });
        Upload {
            registry_id: StoredValue::new(registry_id),
            year,
            step: RwSignal::new(Step::Files),
            items: RwSignal::new(vec![]),
            files: StoredValue::new_local(vec![]),
            validator: ValidatorSlot::default(),
            next_id: StoredValue::new(1),
            errors: RwSignal::new(vec![]),
            busy: RwSignal::new(false),
            rows,
            entity_rows: RwSignal::new(Arc::new(vec![])),
            local_cannot: RwSignal::new(Arc::new(vec![])),
            needs,
            choices: RwSignal::new(vec![]),
            typed: RwSignal::new(String::new()),
            confirm_error: RwSignal::new(None),
            idempotency_key: StoredValue::new(String::new()),
            announce: RwSignal::new(String::new()),
            on_done,
        }
    }

    /// Stops the worker: every check in progress ends.
    pub fn stop_checks(self) {
        self.validator.stop();
    }

    /// Everything back to the start: nothing of this upload is kept.
    pub fn reset(self) {
        self.stop_checks();
        self.files.update_value(|f| f.clear());
        self.items.set(vec![]);
        self.rows.set(Arc::new(vec![]));
        self.entity_rows.set(Arc::new(vec![]));
        self.choices.set(vec![]);
        self.typed.set(String::new());
        self.errors.set(vec![]);
        self.confirm_error.set(None);
        self.busy.set(false);
        self.step.set(Step::Files);
    }

    fn set_check(self, id: u32, check: Check) {
        self.items.update(|v| {
            if let Some(i) = v.iter_mut().find(|i| i.id == id) {
                i.check = check;
            }
        })
    }

    fn on_event(self, event: WorkerEvent) {
        let (id, check) = match event {
            WorkerEvent::Reading { id, done, total } | WorkerEvent::Checking { id, done, total, .. } => {
                let what = if matches!(event, WorkerEvent::Reading { .. }) { "Reading" } else { "Checking" };
                let fraction = if total > 0.0 { done / total } else { 0.0 };
                self.set_check(id, Check::Working { fraction, what });
                return;
            }
            WorkerEvent::Report { id, report } => (id, Check::Qpp(report)),
            WorkerEvent::Qrda { id, summary } => (id, Check::Qrda(summary)),
            WorkerEvent::Failed { id, message } => (id, Check::Failed(message)),
            WorkerEvent::Crashed => {
                self.stop_checks();
                let msg = "The checker stopped unexpectedly (the browser may be out of memory).";
                self.items.update(|v| {
                    for it in v.iter_mut().filter(|i| matches!(i.check, Check::Working { .. })) {
                        it.check = Check::Failed(msg.into());
                    }
                });
                return self.run_next();
            }
        };
        self.set_check(id, check);
        self.run_next();
    }

    /// Starts the worker if none runs. False when this browser can't check files.
    fn ensure_validator(self) -> bool {
        self.validator.ensure(move |e| self.on_event(e)).map_err(|m| self.errors.set(vec![m])).is_ok()
    }

    /// Sends the next waiting file to the worker, one at a time.
    fn run_next(self) {
        if self.items.with_untracked(|v| v.iter().any(|i| matches!(i.check, Check::Working { .. }))) {
            return;
        }
        let Some(id) = self.items.with_untracked(|v| v.iter().find(|i| i.check == Check::Waiting).map(|i| i.id)) else {
            let n = self.items.with_untracked(|v| v.len());
            if n > 0 {
                self.announce.set(format!("{} checked.", plural(n, "file")));
            }
            return;
        };
        if !self.ensure_validator() {
            return;
        }
        let posted = self
            .files
            .with_value(|fs| fs.iter().find(|(i, _)| *i == id).is_some_and(|(_, f)| self.validator.check(id, f)));
        let check = if posted {
            Check::Working { fraction: 0.0, what: "Reading" }
        } else {
            Check::Failed("The file could not be checked in this browser.".into())
        };
        self.set_check(id, check);
    }

    pub fn add_files(self, list: web_sys::FileList) {
        self.errors.set(vec![]);
        for i in 0..list.length() {
            let Some(file) = list.get(i) else { continue };
            let id = self.next_id.get_value();
            self.next_id.set_value(id + 1);
            let check = first_check(&file.name(), file.size());
            self.items.update(|v| v.push(FileItem { id, name: file.name(), size: file.size(), check }));
            self.files.update_value(|f| f.push((id, file)));
        }
        self.run_next();
    }

    pub fn remove(self, id: u32) {
        let (name, was_busy) = self.items.with_untracked(|v| {
            let it = v.iter().find(|i| i.id == id);
            (
                it.map(|i| i.name.clone()).unwrap_or_default(),
                it.is_some_and(|i| matches!(i.check, Check::Working { .. })),
            )
        });
        self.items.update(|v| v.retain(|i| i.id != id));
        self.files.update_value(|f| f.retain(|(i, _)| *i != id));
        if was_busy {
            // The worker is busy with this very file: start a fresh one for the rest.
            self.stop_checks();
            self.run_next();
        }
        self.announce.set(format!("{name} removed."));
        crate::app::components::focus_id("upload-files");
    }

    /// Why the files can't be looked up yet, if anything stops them.
    fn file_problems(self) -> Vec<String> {
        let list = self.items.get_untracked();
        let mut problems = vec![];
        if list.is_empty() {
            problems.push("Add at least one QPP JSON or QRDA III file.".to_string());
        }
        if list.iter().any(FileItem::busy) {
            problems.push("Wait until every file has been checked.".to_string());
        }
        for it in list.iter().filter(|it| !it.problems(self.year).is_empty()) {
            problems.push(format!("{} can't be uploaded: remove it, or fix it and add it again.", it.name));
        }
        problems
    }

    fn fail(self, problems: Vec<String>) {
        self.errors.set(problems);
        focus_later("upload-errors");
    }

    /// "Upload File": every file checked and clean → look the participants up on the server.
    pub fn look_up(self) {
        if self.busy.get_untracked() {
            return;
        }
        let problems = self.file_problems();
        if !problems.is_empty() {
            return self.fail(problems);
        }
        self.errors.set(vec![]);
        let (mut cannot, mut ask, mut entities) = (vec![], vec![], vec![]);
        for p in participants_in(&self.items.get_untracked()) {
            match p.submitter() {
                Some(Ok(Submitter::Participant(key))) => {
                    let entity_type = key.entity_type();
                    ask.push(FoundParticipant { tin: key.tin, npi: key.npi, entity_type })
                }
                Some(Ok(Submitter::Entity(key))) => entities.push(key),
                Some(Err(e)) => cannot.push((p.label(), e.to_string())),
                None => {
                    let reason = match entity_type_refusal(None) {
                        Some(ParticipantStanding::CannotSubmit { reason, .. }) => reason,
                        _ => "The submission names no entity type this upload knows.".into(),
                    };
                    cannot.push((p.label(), reason));
                }
            }
        }
        self.local_cannot.set(Arc::new(cannot));
        self.busy.set(true);
        let req = ParticipantsLookupRequest { performance_year: self.year, participants: ask, entities };
        leptos::task::spawn_local(async move {
            let id = self.registry_id.get_value();
            let res = client::call(&endpoints::REGISTRY_PARTICIPANTS, &[&id], "", Some(&req)).await;
            self.busy.set(false);
            match res {
                Ok(r) => self.show_elections(r.participants, r.entities),
                Err(e) => self.fail(vec![e.to_string()]),
            }
        });
    }

    fn show_elections(self, rows: Vec<ParticipantRow>, entity_rows: Vec<EntityRow>) {
        let n = rows.iter().filter(|p| p.standing == ParticipantStanding::NeedsElection).count();
        // Only when every participant simply has its data accepted is there nothing to show
        // before sending; otherwise the lists are shown first.
        let plain = rows.iter().all(|p| p.standing.needs_no_election())
            && entity_rows.iter().all(|e| e.standing.needs_no_election())
            && self.local_cannot.with_untracked(|c| c.is_empty());
        self.rows.set(Arc::new(rows));
        self.entity_rows.set(Arc::new(entity_rows));
        self.choices.set(vec![ElectionChoice::NoDecision; n]);
        self.idempotency_key.set_value(random_key());
        if n == 0 && plain {
            self.send(String::new());
        } else {
            self.step.set(Step::Elections);
        }
    }

    /// "Submit Selections": to the confirmation, or straight to sending when nothing is elected.
    pub fn submit_selections(self) {
        self.errors.set(vec![]);
        if self.needs.with_untracked(|n| n.is_empty()) {
            if !self.busy.get_untracked() {
                self.send(String::new());
            }
        } else {
            self.typed.set(String::new());
            self.confirm_error.set(None);
            self.step.set(Step::AreYouSure);
        }
    }

    /// "I'm Sure, Confirm Elections".
    pub fn confirm(self) {
        if self.busy.get_untracked() {
            return;
        }
        match check_confirmation(&self.typed.get_untracked()) {
            Err(e) => {
                self.confirm_error.set(Some(e.message()));
                crate::app::components::focus_id("confirm-elections-word");
            }
            Ok(()) => {
                self.confirm_error.set(None);
                self.send(self.typed.get_untracked());
            }
        }
    }

    fn manifest(self, confirmation: String) -> UploadManifest {
        let rows = self.rows.get_untracked();
        let elections: Vec<ParticipantChoice> = self
            .needs
            .get_untracked()
            .iter()
            .zip(self.choices.get_untracked())
            .map(|(i, c)| ParticipantChoice { tin: rows[*i].tin.clone(), npi: rows[*i].npi.clone(), election: c })
            .collect();
        UploadManifest { performance_year: self.year, elections, skip_unsubmittable: true, confirmation }
    }

    /// The manifest and every file, as the multipart form the server reads.
    fn form(self, manifest: &UploadManifest) -> Option<web_sys::FormData> {
        let form = web_sys::FormData::new().ok()?;
        let json = serde_json::to_string(manifest).unwrap_or_default();
        let opts = web_sys::BlobPropertyBag::new();
        opts.set_type("application/json");
        let blob =
            web_sys::Blob::new_with_str_sequence_and_options(&js_sys::Array::of1(&JsValue::from_str(&json)), &opts);
        form.append_with_blob_and_filename("manifest", &blob.ok()?, "manifest.json").ok()?;
        let ids: Vec<u32> = self.items.get_untracked().iter().map(|i| i.id).collect();
        self.files.with_value(|fs| {
            for (_, f) in ids.iter().filter_map(|id| fs.iter().find(|(i, _)| i == id)) {
                let _ = form.append_with_blob_and_filename("file", f, &f.name());
            }
        });
        Some(form)
    }

    /// Sends the files and the elections in one request (the server's one transaction).
    fn send(self, confirmation: String) {
        let manifest = self.manifest(confirmation);
        let any_election = manifest.elections.iter().any(|e| e.election != ElectionChoice::NoDecision);
        let Some(form) = self.form(&manifest) else { return };
        self.busy.set(true);
        self.errors.set(vec![]);
        leptos::task::spawn_local(async move {
            let (id, key) = (self.registry_id.get_value(), self.idempotency_key.get_value());
            let headers = [(IDEMPOTENCY_KEY_HEADER, key.as_str())];
            let res = client::post_form(&endpoints::REGISTRY_UPLOADS, &[&id], &form, &headers).await;
            self.busy.set(false);
            match res {
                Ok(r) => {
                    self.on_done.run(());
                    let r = Arc::new(r);
                    self.step.set(if any_election { Step::Confirmed(r) } else { Step::Success(r) });
                }
                Err(e) => {
                    let mut list = vec![e.to_string()];
                    if let ClientError::Api { error, .. } = &e {
                        list.extend(error.details.iter().skip(1).take(10).map(|d| d.message.clone()));
                    }
                    self.fail(list);
                }
            }
        });
    }

    /// How many of the recorded elections are `election`.
    pub fn recorded(r: &UploadResponse, election: Election) -> usize {
        r.elections_recorded.iter().filter(|e| e.election == election).count()
    }
}
