//! Validate a file: the public QPP JSON check. No sign-in; the files are read and checked in the
//! validator's Web Worker in this browser (`crate::app::validator`), never sent.

mod jobs;
mod place;
mod results;

use crate::app::components::{Alert, AlertKind, FileDrop, PageHeading, Shell};
use crate::app::validator::{ValidatorSlot, WorkerEvent};
use crate::qpp::results::too_large;
use crate::qpp::rules::{summary_sentence, Report};
use jobs::{Files, Job, JobState};
use leptos::prelude::*;
use results::{Progress, Results};
use std::sync::Arc;
use wasm_bindgen::JsCast;

const QRDA_HERE: &str = "This is an XML (QRDA III) file; this page checks QPP JSON. Registries upload QRDA III files on Registry Submission Details, which reads their participants.";

/// The page's checks as one `Copy` value.
#[derive(Clone, Copy)]
struct Checks {
    jobs: RwSignal<Vec<Job>>,
    announce: RwSignal<String>,
    files: Files,
    validator: ValidatorSlot,
    next_id: StoredValue<u32>,
    unavailable: RwSignal<Option<String>>,
}

impl Checks {
    fn new() -> Checks {
        Checks {
            jobs: RwSignal::new(vec![]),
            announce: RwSignal::new(String::new()),
            files: StoredValue::new_local(vec![]),
            validator: ValidatorSlot::default(),
            next_id: StoredValue::new(1),
            unavailable: RwSignal::new(None),
        }
    }

    fn set_state(self, id: u32, state: JobState) {
        self.jobs.update(|js| {
            if let Some(j) = js.iter_mut().find(|j| j.id == id) {
                j.state = state;
            }
        })
    }

    fn on_event(self, event: WorkerEvent) {
        match event {
            WorkerEvent::Reading { id, done, total } => return self.set_state(id, JobState::Reading { done, total }),
            WorkerEvent::Checking { id, done, total, submissions } => {
                return self.set_state(id, JobState::Checking { done, total, submissions })
            }
            WorkerEvent::Report { id, report } => self.set_state(id, JobState::Done(report)),
            WorkerEvent::Qrda { id, .. } => self.set_state(id, JobState::Failed(QRDA_HERE.into())),
            WorkerEvent::Failed { id, message } => self.set_state(id, JobState::Failed(message)),
            WorkerEvent::Crashed => {
                self.validator.stop();
                let msg = "The checker stopped unexpectedly (the browser may be out of memory).";
                self.jobs.update(|js| {
                    js.iter_mut().filter(|j| j.running()).for_each(|j| j.state = JobState::Failed(msg.into()))
                });
            }
        }
        self.run_next();
    }

    /// Starts the worker (again after a cancel). False when this browser can't check files.
    fn ensure_validator(self) -> bool {
        self.validator.ensure(move |e| self.on_event(e)).map_err(|m| self.unavailable.set(Some(m))).is_ok()
    }

    /// Starts the next waiting file, if none is running; says so when all are done.
    fn run_next(self) {
        if self.jobs.with_untracked(|js| js.iter().any(Job::running)) {
            return;
        }
        let next = self.jobs.with_untracked(|js| {
            js.iter().find(|j| j.state == JobState::Waiting).map(|j| (j.id, j.name.clone(), j.size))
        });
        let Some((id, name, size)) = next else { return self.announce_done() };
        let (position, count) =
            self.jobs.with_untracked(|js| (js.iter().position(|j| j.id == id).unwrap_or(0) + 1, js.len()));
        self.announce.set(format!("Checking file {position} of {count}: {name}."));
        let posted = self.ensure_validator()
            && self
                .files
                .with_value(|fs| fs.iter().find(|(i, _)| *i == id).is_some_and(|(_, f)| self.validator.check(id, f)));
        if posted {
            self.set_state(id, JobState::Reading { done: 0.0, total: size });
        } else {
            self.set_state(id, JobState::Failed("The checker could not start in this browser.".into()));
        }
    }

    fn announce_done(self) {
        let done: Vec<Arc<Report>> = self.jobs.with_untracked(|js| {
            js.iter().filter_map(|j| if let JobState::Done(r) = &j.state { Some(r.clone()) } else { None }).collect()
        });
        if !done.is_empty() {
            let (p, e, w) =
                done.iter().fold((0, 0, 0), |(p, e, w), r| (p + r.submissions.len(), e + r.errors, w + r.warnings));
            self.announce.set(format!("Check complete: {}.", summary_sentence(done.len(), p, e, w)));
        }
    }

    fn add_files(self, list: web_sys::FileList) {
        for i in 0..list.length() {
            let Some(file) = list.get(i) else { continue };
            let id = self.next_id.get_value();
            self.next_id.set_value(id + 1);
            let size = file.size();
            let state = too_large(size).map(JobState::Failed).unwrap_or(JobState::Waiting);
            self.jobs.update(|js| js.push(Job { id, name: file.name(), size, state }));
            self.files.update_value(|f| f.push((id, file)));
        }
        self.run_next();
    }

    fn cancel(self) {
        self.validator.stop();
        self.jobs.update(|js| {
            for j in js.iter_mut().filter(|j| j.running() || j.state == JobState::Waiting) {
                j.state = JobState::Cancelled;
            }
        });
        self.announce.set("Check cancelled.".into());
    }

    fn reset(self) {
        self.jobs.set(vec![]);
        self.files.update_value(|f| f.clear());
        self.announce.set(String::new());
        if let Some(input) =
            document().get_element_by_id("qpp-files").and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = input.focus();
        }
    }
}

#[component]
pub fn ValidateFile() -> impl IntoView {
    let c = Checks::new();
    // Once the page shows, let the worker fetch every year's catalogue in the background: they
    // are then in the browser's cache and the check works offline.
    Effect::new(move |_| {
        if c.ensure_validator() {
            c.validator.prefetch();
        }
    });
    on_cleanup(move || c.validator.stop());
    let pending = move |j: &Job| j.running() || j.state == JobState::Waiting;
    let running = Memo::new(move |_| c.jobs.with(|js| js.iter().any(pending)));
    let finished = Memo::new(move |_| c.jobs.with(|js| !js.is_empty() && !js.iter().any(pending)));
    view! {
        <Shell>
            <PageHeading text="Validate a file"/>
            <p class="ds-text-body--lg">"Check QPP JSON files against CMS's submission rules before you send them: every error with its place in the file and how to fix it."</p>
            <div class="ds-c-alert ds-c-alert--hide-icon privacy-note">
                <div class="ds-c-alert__body">
                    <p class="ds-c-alert__text"><strong>"Your files never leave this computer."</strong>" They are read and checked in this browser; nothing is uploaded. No sign-in is needed, and after this page has loaded once it also works offline."</p>
                </div>
            </div>
            {move || c.unavailable.get().map(|m| view! { <Alert kind=AlertKind::Error text=m/> })}
            <FileDrop id="qpp-files" label="Choose QPP JSON files"
                hint="Or drag and drop them here. One or several files, each a submission or an array of submissions, up to 64 MB each."
                accept=".json,application/json" on_files=Callback::new(move |list| c.add_files(list))/>
            <div class="ds-u-visibility--screen-reader" role="status" aria-live="polite">{move || c.announce.get()}</div>
            <Show when=move || running.get()>
                <Progress jobs=c.jobs/>
                <button type="button" class="ds-c-button" on:click=move |_| c.cancel()>"Cancel"</button>
            </Show>
            <Show when=move || finished.get()>
                <Results jobs=c.jobs files=c.files on_reset=Callback::new(move |_| c.reset())/>
            </Show>
        </Shell>
    }
}
