//! Validate a file: the public QPP JSON check. No sign-in; the files are read and checked in a
//! Web Worker in this browser (`public/qpp-worker.js` running `crate::qpp`), never sent.

use crate::app::components::{download, PageHeading, Shell};
use crate::qpp::results::{self, format_size, participant_label, set_label, verdict};
use crate::qpp::rules::{plural, summary_sentence, Diagnostic, Report, Severity};
use leptos::prelude::*;
use std::sync::Arc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[derive(Clone, Debug, PartialEq)]
enum JobState {
    Waiting,
    Reading { done: f64, total: f64 },
    Checking { done: f64, total: f64, submissions: usize },
    Done(Arc<Report>),
    Failed(String),
    Cancelled,
}

#[derive(Clone, Debug, PartialEq)]
struct Job {
    id: u32,
    name: String,
    size: f64,
    state: JobState,
}

impl Job {
    fn running(&self) -> bool {
        matches!(self.state, JobState::Reading { .. } | JobState::Checking { .. })
    }
}

/// The worker and what the page keeps outside reactive state (browser handles are not `Send`).
#[derive(Default)]
struct Handles {
    worker: Option<web_sys::Worker>,
    on_message: Option<Closure<dyn FnMut(web_sys::MessageEvent)>>,
    on_error: Option<Closure<dyn FnMut(web_sys::Event)>>,
    /// The chosen files by job id: a `File` is a handle, not the content. Kept to show a
    /// finding's place in the file.
    files: Vec<(u32, web_sys::File)>,
}

/// The app's own wasm and its JS glue, as Trunk linked them into the page: the worker loads the
/// same module, so no second build and no second copy of the rules.
pub(crate) fn module_urls() -> Option<(String, String)> {
    let doc = document();
    let glue = doc.query_selector("link[rel=modulepreload]").ok()??.get_attribute("href")?;
    let wasm = doc.query_selector("link[rel=preload][as=fetch]").ok()??.get_attribute("href")?;
    Some((glue, wasm))
}

/// Posts `{id, glue, wasm, <key>: value}` to the worker: every message tells it which module to
/// load, so a fresh worker (after Cancel) needs no separate start-up message.
pub(crate) fn post_to_worker(worker: &web_sys::Worker, id: u32, key: &str, value: &JsValue) -> bool {
    let Some((glue, wasm)) = module_urls() else { return false };
    let msg = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&msg, &"id".into(), &JsValue::from(id));
    let _ = js_sys::Reflect::set(&msg, &"glue".into(), &glue.into());
    let _ = js_sys::Reflect::set(&msg, &"wasm".into(), &wasm.into());
    let _ = js_sys::Reflect::set(&msg, &key.into(), value);
    worker.post_message(&msg).is_ok()
}

pub(crate) fn get(obj: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

#[component]
pub fn ValidateFile() -> impl IntoView {
    let jobs: RwSignal<Vec<Job>> = RwSignal::new(vec![]);
    let announce = RwSignal::new(String::new());
    let handles = StoredValue::new_local(Handles::default());
    let next_id = StoredValue::new(1u32);
    let dragging = RwSignal::new(false);
    let unavailable = RwSignal::new(None::<String>);

    let set_state = move |id: u32, state: JobState| jobs.update(|js| {
        if let Some(j) = js.iter_mut().find(|j| j.id == id) {
            j.state = state;
        }
    });

    // Starts the next waiting file, if none is running.
    let run_next = move || {
        if jobs.with_untracked(|js| js.iter().any(Job::running)) {
            return;
        }
        let Some((id, name)) = jobs.with_untracked(|js| js.iter().find(|j| j.state == JobState::Waiting).map(|j| (j.id, j.name.clone()))) else {
            let done: Vec<Arc<Report>> = jobs.with_untracked(|js| js.iter().filter_map(|j| if let JobState::Done(r) = &j.state { Some(r.clone()) } else { None }).collect());
            if !done.is_empty() {
                let (p, e, w) = done.iter().fold((0, 0, 0), |(p, e, w), r| (p + r.submissions.len(), e + r.errors, w + r.warnings));
                announce.set(format!("Check complete: {}.", summary_sentence(done.len(), p, e, w)));
            }
            return;
        };
        let (position, count) = jobs.with_untracked(|js| (js.iter().position(|j| j.id == id).unwrap_or(0) + 1, js.len()));
        announce.set(format!("Checking file {position} of {count}: {name}."));
        let posted = handles.with_value(|h| {
            let (Some(worker), Some(file)) = (&h.worker, h.files.iter().find(|(i, _)| *i == id).map(|(_, f)| f)) else { return false };
            post_to_worker(worker, id, "file", file)
        });
        if posted {
            set_state(id, JobState::Reading { done: 0.0, total: jobs.with_untracked(|js| js.iter().find(|j| j.id == id).map(|j| j.size).unwrap_or(0.0)) });
        } else {
            set_state(id, JobState::Failed("The checker could not start in this browser.".into()));
        }
    };

    // Creates the worker (again after a cancel) and wires its messages to the jobs.
    let ensure_worker = move || -> bool {
        if handles.with_value(|h| h.worker.is_some()) {
            return true;
        }
        let options = web_sys::WorkerOptions::new();
        options.set_type(web_sys::WorkerType::Module);
        let worker = match web_sys::Worker::new_with_options("/qpp-worker.js", &options) {
            Ok(w) => w,
            Err(_) => {
                unavailable.set(Some("This browser can't run the checker (it needs module Web Workers). Use a current version of Chrome, Edge, Firefox or Safari.".into()));
                return false;
            }
        };
        let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            let data = e.data();
            let id = get(&data, "id").as_f64().unwrap_or(0.0) as u32;
            let num = |k: &str| get(&data, k).as_f64().unwrap_or(0.0);
            match get(&data, "type").as_string().as_deref() {
                Some("progress") if get(&data, "phase").as_string().as_deref() == Some("reading") => set_state(id, JobState::Reading { done: num("done"), total: num("total") }),
                Some("progress") => set_state(id, JobState::Checking { done: num("done"), total: num("total"), submissions: num("submissions") as usize }),
                Some("done") if get(&data, "qrda").is_string() => {
                    set_state(id, JobState::Failed("This is an XML (QRDA III) file; this page checks QPP JSON. Registries upload QRDA III files on Registry Submission Details, which reads their participants.".into()));
                    run_next();
                }
                Some("done") => {
                    let text = get(&data, "report").as_string().unwrap_or_default();
                    match serde_json::from_str::<Report>(&text) {
                        Ok(r) => set_state(id, JobState::Done(Arc::new(r))),
                        Err(err) => set_state(id, JobState::Failed(format!("The checker's answer could not be read ({err})."))),
                    }
                    run_next();
                }
                Some("failed") => {
                    set_state(id, JobState::Failed(format!("The file could not be read: {}", get(&data, "message").as_string().unwrap_or_default())));
                    run_next();
                }
                _ => {}
            }
        });
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            let running: Vec<u32> = jobs.with_untracked(|js| js.iter().filter(|j| j.running()).map(|j| j.id).collect());
            for id in running {
                set_state(id, JobState::Failed("The checker stopped unexpectedly (the browser may be out of memory).".into()));
            }
            handles.update_value(|h| {
                if let Some(w) = h.worker.take() {
                    w.terminate();
                }
            });
            run_next();
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        handles.update_value(|h| {
            h.worker = Some(worker);
            h.on_message = Some(on_message);
            h.on_error = Some(on_error);
        });
        true
    };

    // Once the page shows, let the worker fetch every year's catalogue in the background: they
    // are then in the browser's cache and the check works offline.
    Effect::new(move |_| {
        if ensure_worker() {
            handles.with_value(|h| {
                if let Some(w) = &h.worker {
                    post_to_worker(w, 0, "prefetch", &JsValue::TRUE);
                }
            });
        }
    });
    on_cleanup(move || {
        handles.update_value(|h| {
            if let Some(w) = h.worker.take() {
                w.terminate();
            }
        })
    });

    let add_files = move |list: web_sys::FileList| {
        let mut added = 0;
        for i in 0..list.length() {
            let Some(file) = list.get(i) else { continue };
            let id = next_id.get_value();
            next_id.set_value(id + 1);
            let size = file.size();
            let state = if size > crate::qpp::MAX_FILE_BYTES as f64 {
                JobState::Failed(format!("The file is {}; this check accepts files up to {}. Split the submissions into several files.", format_size(size), format_size(crate::qpp::MAX_FILE_BYTES as f64)))
            } else {
                JobState::Waiting
            };
            jobs.update(|js| js.push(Job { id, name: file.name(), size, state }));
            handles.update_value(|h| h.files.push((id, file)));
            added += 1;
        }
        if added > 0 && ensure_worker() {
            run_next();
        }
    };

    let cancel = move |_| {
        handles.update_value(|h| {
            if let Some(w) = h.worker.take() {
                w.terminate();
            }
        });
        jobs.update(|js| {
            for j in js.iter_mut().filter(|j| j.running() || j.state == JobState::Waiting) {
                j.state = JobState::Cancelled;
            }
        });
        announce.set("Check cancelled.".into());
    };

    let reset = move |_| {
        jobs.set(vec![]);
        handles.update_value(|h| h.files.clear());
        announce.set(String::new());
        if let Some(input) = document().get_element_by_id("qpp-files").and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = input.focus();
        }
    };

    let running = Memo::new(move |_| jobs.with(|js| js.iter().any(|j| j.running() || j.state == JobState::Waiting)));
    let finished = Memo::new(move |_| jobs.with(|js| !js.is_empty() && !js.iter().any(|j| j.running() || j.state == JobState::Waiting)));

    let on_change = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        if let Some(list) = input.files() {
            add_files(list);
        }
        input.set_value("");
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        if let Some(list) = ev.data_transfer().and_then(|d| d.files()) {
            add_files(list);
        }
    };

    view! {
        <Shell>
            <PageHeading text="Validate a file"/>
            <p class="ds-text-body--lg">"Check QPP JSON files against CMS's submission rules before you send them: every error with its place in the file and how to fix it."</p>
            <div class="ds-c-alert ds-c-alert--hide-icon privacy-note">
                <div class="ds-c-alert__body">
                    <p class="ds-c-alert__text"><strong>"Your files never leave this computer."</strong>" They are read and checked in this browser; nothing is uploaded. No sign-in is needed, and after this page has loaded once it also works offline."</p>
                </div>
            </div>
            {move || unavailable.get().map(|m| view! { <div class="ds-c-alert ds-c-alert--error" role="alert"><div class="ds-c-alert__body"><p class="ds-c-alert__text">{m}</p></div></div> })}
            <div
                class=move || if dragging.get() { "file-drop file-drop--active" } else { "file-drop" }
                on:dragover=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); dragging.set(true); }
                on:dragleave=move |_| dragging.set(false)
                on:drop=on_drop
            >
                <label class="ds-c-label" for="qpp-files">"Choose QPP JSON files"</label>
                <p class="ds-c-hint" id="qpp-files-hint">"Or drag and drop them here. One or several files, each a submission or an array of submissions, up to 64 MB each."</p>
                <input id="qpp-files" class="file-drop__input" type="file" multiple accept=".json,application/json" aria-describedby="qpp-files-hint" on:change=on_change/>
            </div>

            <div class="ds-u-visibility--screen-reader" role="status" aria-live="polite">{move || announce.get()}</div>

            <Show when=move || running.get()>
                <Progress jobs=jobs/>
                <button type="button" class="ds-c-button" on:click=cancel>"Cancel"</button>
            </Show>

            <Show when=move || finished.get()>
                <Results jobs=jobs handles=handles on_reset=Callback::new(reset)/>
            </Show>
        </Shell>
    }
}

#[component]
fn Progress(jobs: RwSignal<Vec<Job>>) -> impl IntoView {
    let current = move || jobs.with(|js| js.iter().find(|j| j.running()).cloned());
    let position = move || jobs.with(|js| (js.iter().filter(|j| !matches!(j.state, JobState::Waiting)).count(), js.len()));
    let label = move || {
        let (n, of) = position();
        match current() {
            Some(Job { name, state: JobState::Reading { done, total }, .. }) => format!("File {n} of {of}, {name}: reading, {} of {}", format_size(done), format_size(total)),
            Some(Job { name, state: JobState::Checking { submissions, .. }, .. }) => format!("File {n} of {of}, {name}: checking, {} checked", plural(submissions, "participant")),
            _ => "Starting the check…".to_string(),
        }
    };
    let value = move || match current().map(|j| j.state) {
        Some(JobState::Reading { done, total }) if total > 0.0 => Some(done / total * 0.3),
        Some(JobState::Checking { done, total, .. }) if total > 0.0 => Some(0.3 + done / total * 0.7),
        _ => None,
    };
    view! {
        <div class="validate-progress">
            <p id="validate-progress-label" class="validate-progress__label">{label}</p>
            <progress aria-labelledby="validate-progress-label" max="1" value=move || value().map(|v| v.to_string())>
                {move || value().map(|v| format!("{:.0}%", v * 100.0)).unwrap_or_default()}
            </progress>
        </div>
    }
}

/// Findings per page of participants: a registry file can hold thousands with errors.
const PARTICIPANTS_SHOWN: usize = 25;

#[component]
fn Results(jobs: RwSignal<Vec<Job>>, handles: StoredValue<Handles, LocalStorage>, on_reset: Callback<leptos::ev::MouseEvent>) -> impl IntoView {
    let done = move || jobs.with(|js| js.iter().filter_map(|j| if let JobState::Done(r) = &j.state { Some((j.name.clone(), r.clone())) } else { None }).collect::<Vec<_>>());
    let unchecked = move || jobs.with(|js| js.iter().filter(|j| !matches!(j.state, JobState::Done(_))).count());
    let totals = move || done().iter().fold((0, 0, 0), |(p, e, w), (_, r)| (p + r.submissions.len(), e + r.errors, w + r.warnings));
    let sentence = move || {
        let (p, e, w) = totals();
        summary_sentence(jobs.with(|js| js.len()), p, e, w)
    };
    let alert_class = move || {
        let (_, e, w) = totals();
        if e > 0 || unchecked() > 0 {
            "ds-c-alert ds-c-alert--error"
        } else if w > 0 {
            "ds-c-alert ds-c-alert--warn"
        } else {
            "ds-c-alert ds-c-alert--success"
        }
    };
    let export = move |csv: bool| {
        let files = done();
        let refs: Vec<(String, &Report)> = files.iter().map(|(n, r)| (n.clone(), r.as_ref())).collect();
        let _ = if csv {
            download("qpp-validation-results.csv", "text/csv;charset=utf-8", &results::csv_export(&refs))
        } else {
            download("qpp-validation-results.json", "application/json", &results::json_export(&refs))
        };
    };
    // The place a "Show in file" link asks for: (job id, finding).
    let place: RwSignal<Option<(u32, Diagnostic)>> = RwSignal::new(None);
    view! {
        <section class="validate-results" aria-labelledby="results-heading">
            <h2 id="results-heading" class="ds-text-heading--2xl">"Results"</h2>
            <div class=alert_class>
                <div class="ds-c-alert__body">
                    <p class="ds-c-alert__heading">{sentence}</p>
                    <p class="ds-c-alert__text">{move || { let (_, e, w) = totals(); verdict(e, w, unchecked()) }}</p>
                </div>
            </div>
            <div class="validate-actions">
                <button type="button" class="ds-c-button" on:click=move |_| export(true)>"Download results (CSV)"</button>
                <button type="button" class="ds-c-button" on:click=move |_| export(false)>"Download results (JSON)"</button>
                <button type="button" class="ds-c-button ds-c-button--ghost" on:click=move |ev| on_reset.run(ev)>"Check other files"</button>
            </div>
            <For each=move || jobs.get() key=|j| j.id let:job>
                <FileResult job=job place=place/>
            </For>
            <PlaceDialog place=place handles=handles/>
        </section>
    }
}

#[component]
fn FileResult(job: Job, place: RwSignal<Option<(u32, Diagnostic)>>) -> impl IntoView {
    let heading_id = format!("file-{}", job.id);
    let status = match &job.state {
        JobState::Done(r) => format!("{} ({}): {}, {}, {}.", job.name, format_size(job.size), plural(r.submissions.len(), "participant"), plural(r.errors, "error"), plural(r.warnings, "warning")),
        JobState::Failed(m) => format!("Not checked. {m}"),
        JobState::Cancelled => "Not checked: the check was cancelled.".into(),
        _ => String::new(),
    };
    let body = match job.state.clone() {
        JobState::Done(report) => view! { <FileFindingsView report=report job_id=job.id place=place/> }.into_any(),
        _ => ().into_any(),
    };
    let labelledby = heading_id.clone();
    view! {
        <section class="file-result" aria-labelledby=labelledby>
            <h3 id=heading_id class="ds-text-heading--xl">{job.name.clone()}</h3>
            <p>{status}</p>
            {body}
        </section>
    }
}

#[component]
fn FileFindingsView(report: Arc<Report>, job_id: u32, place: RwSignal<Option<(u32, Diagnostic)>>) -> impl IntoView {
    let shown = RwSignal::new(PARTICIPANTS_SHOWN);
    let report_for_list = report.clone();
    let findings_list = move || {
        let g = results::group(&report_for_list);
        let file_level: Vec<Diagnostic> = g.file_level.iter().map(|d| (*d).clone()).collect();
        let total = g.participants.len();
        let clean = g.clean_participants;
        let participants: Vec<_> = g
            .participants
            .iter()
            .take(shown.get())
            .map(|p| {
                let label = p.summary.map(participant_label).unwrap_or_else(|| format!("Submission {}", p.submission + 1));
                let sets: Vec<(String, Vec<Diagnostic>)> = p
                    .groups
                    .iter()
                    .map(|(k, ds)| {
                        let title = match k {
                            Some(i) => set_label(*i, p.summary.and_then(|s| s.measurement_sets.get(*i))),
                            None => "The submission".to_string(),
                        };
                        (title, ds.iter().map(|d| (*d).clone()).collect())
                    })
                    .collect();
                (label, format!("{}, {}", plural(p.errors, "error"), plural(p.warnings, "warning")), sets)
            })
            .collect();
        view! {
            {(!file_level.is_empty()).then(|| view! { <FindingList findings=file_level job_id=job_id place=place/> })}
            {participants.into_iter().map(|(label, counts, sets)| view! {
                <div class="participant-result">
                    <h4 class="ds-text-heading--lg">{label}<span class="participant-result__counts">{format!(" — {counts}")}</span></h4>
                    {sets.into_iter().map(|(title, ds)| view! {
                        <h5 class="ds-text-heading--md">{title}</h5>
                        <FindingList findings=ds job_id=job_id place=place/>
                    }).collect_view()}
                </div>
            }).collect_view()}
            {(total > shown.get()).then(|| view! {
                <button type="button" class="ds-c-button ds-c-button--ghost" on:click=move |_| shown.update(|n| *n += PARTICIPANTS_SHOWN)>
                    {format!("Show more participants ({} of {} shown)", shown.get().min(total), total)}
                </button>
            })}
            {(clean > 0).then(|| view! { <p class="clean-participants">{format!("{} with no errors or warnings.", plural(clean, "participant"))}</p> })}
            {(report_for_list.unlisted > 0).then(|| view! { <p>{format!("{} more findings are counted but not listed; correct these first and check again.", crate::domain::format::format_count(report_for_list.unlisted as i64))}</p> })}
        }
    };
    view! { <div class="file-findings">{findings_list}</div> }
}

#[component]
fn FindingList(findings: Vec<Diagnostic>, job_id: u32, place: RwSignal<Option<(u32, Diagnostic)>>) -> impl IntoView {
    view! {
        <ul class="findings">
            {findings.into_iter().map(|d| {
                let (tag, class) = match d.severity {
                    Severity::Error => ("Error", "finding__severity finding__severity--error"),
                    Severity::Warning => ("Warning", "finding__severity finding__severity--warning"),
                };
                let mut where_ = vec![format!("Line {}, column {}", d.line, d.column)];
                if !d.path.is_empty() {
                    where_.push(d.path.clone());
                }
                if let Some(m) = &d.measure_id {
                    where_.push(format!("Measure {m}"));
                }
                let hint = d.hint.clone();
                let api = d.api_message.clone();
                let code = d.code.clone();
                let label = format!("Show in file: line {}, column {}", d.line, d.column);
                let d2 = d.clone();
                view! {
                    <li class="finding">
                        <span class=class>{tag}</span>" "
                        <span class="finding__message">{d.message.clone()}</span>
                        <span class="finding__where">{where_.join(" · ")}" · "<code>{code}</code></span>
                        {hint.map(|h| view! { <span class="finding__hint">{format!("How to fix: {h}")}</span> })}
                        {api.map(|a| view! { <span class="finding__api">{format!("CMS's Submissions API says: {a}")}</span> })}
                        <button type="button" class="ds-c-button ds-c-button--ghost ds-c-button--small finding__place" aria-label=label on:click=move |_| place.set(Some((job_id, d2.clone())))>
                            "Show in file"
                        </button>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// The place of a finding in its file, read from the file on demand (a slice around the byte
/// offset: the file itself is never kept in memory), in a native modal dialog.
#[component]
fn PlaceDialog(place: RwSignal<Option<(u32, Diagnostic)>>, handles: StoredValue<Handles, LocalStorage>) -> impl IntoView {
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    let excerpt: RwSignal<Option<Result<Excerpt, String>>> = RwSignal::new(None);
    let title = RwSignal::new(String::new());
    Effect::new(move |_| {
        let Some((job, d)) = place.get() else {
            if let Some(el) = dialog.get() {
                if el.open() {
                    el.close();
                }
            }
            return;
        };
        let name = handles.with_value(|h| h.files.iter().find(|(i, _)| *i == job).map(|(_, f)| (f.name(), f.clone())));
        let Some((file_name, file)) = name else { return };
        title.set(format!("Line {}, column {} in {file_name}", d.line, d.column));
        excerpt.set(None);
        if let Some(el) = dialog.get() {
            if !el.open() {
                let _ = el.show_modal();
            }
        }
        leptos::task::spawn_local(async move {
            excerpt.set(Some(read_excerpt(&file, &d).await));
        });
    });
    view! {
        <dialog class="place-dialog" node_ref=dialog aria-labelledby="place-dialog-title" on:close=move |_| place.set(None)>
            <h2 id="place-dialog-title" class="ds-text-heading--xl">{move || title.get()}</h2>
            {move || match excerpt.get() {
                None => view! { <p role="status">"Reading the file…"</p> }.into_any(),
                Some(Err(e)) => view! { <p role="alert">{e}</p> }.into_any(),
                Some(Ok(x)) => view! {
                    <pre class="place-dialog__code" tabindex="0" aria-label="The file around the place">
                        {x.lines.into_iter().map(|(n, before, mark, after)| view! {
                            <span class="place-dialog__line"><span class="place-dialog__number">{format!("{n:>6}  ")}</span>{before}{(!mark.is_empty()).then(|| view! { <mark>{mark}</mark> })}{after}"\n"</span>
                        }).collect_view()}
                    </pre>
                }.into_any(),
            }}
            <form method="dialog">
                <button class="ds-c-button ds-c-button--solid" type="submit">"Close"</button>
            </form>
        </dialog>
    }
}

#[derive(Clone, Debug, PartialEq)]
struct Excerpt {
    /// (line number, text before the mark, marked text, text after)
    lines: Vec<(u32, String, String, String)>,
}

async fn read_excerpt(file: &web_sys::File, d: &Diagnostic) -> Result<Excerpt, String> {
    const AROUND: f64 = 600.0;
    let start = (d.offset as f64 - AROUND).max(0.0);
    let end = (d.offset as f64 + AROUND).min(file.size());
    let blob = file.slice_with_f64_and_f64(start, end).map_err(|_| "The file could not be read again.".to_string())?;
    let text = wasm_bindgen_futures::JsFuture::from(blob.text()).await.map_err(|_| "The file could not be read again (was it moved or changed?).".to_string())?;
    let text = text.as_string().unwrap_or_default();
    Ok(excerpt_lines(&text, d.offset - start as usize, d.line))
}

/// Up to two lines either side of the place; long (minified) lines are cut to 120 characters
/// either side of it. The marked text runs to the end of the value's first token.
fn excerpt_lines(text: &str, at: usize, line: u32) -> Excerpt {
    let at = (0..=at.min(text.len())).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
    let (before, after) = text.split_at(at);
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let mark_len = after.find([',', '}', ']', '\n']).unwrap_or(after.len()).min(60);
    let mark_len = (0..=mark_len).rev().find(|i| after.is_char_boundary(*i)).unwrap_or(0);
    let line_end = after.find('\n').map(|i| at + i).unwrap_or(text.len());
    let cut = |s: &str, keep_end: bool| -> String {
        let n = s.chars().count();
        if n <= 120 {
            s.to_string()
        } else if keep_end {
            format!("…{}", s.chars().skip(n - 120).collect::<String>())
        } else {
            format!("{}…", s.chars().take(120).collect::<String>())
        }
    };
    let mut lines = vec![];
    let prev: Vec<&str> = text[..line_start].lines().collect();
    for (k, l) in prev.iter().rev().take(2).rev().enumerate() {
        let n = line.saturating_sub((prev.len().min(2) - k) as u32);
        lines.push((n, cut(l, true), String::new(), String::new()));
    }
    lines.push((line, cut(&text[line_start..at], true), after[..mark_len].to_string(), cut(&text[at + mark_len..line_end.max(at + mark_len)], false)));
    for (k, l) in text[line_end.min(text.len())..].lines().skip(1).take(2).enumerate() {
        lines.push((line + 1 + k as u32, cut(l, false), String::new(), String::new()));
    }
    // The first line of a slice may be partial: it is cut at the slice's start, marked by "…".
    Excerpt { lines }
}
