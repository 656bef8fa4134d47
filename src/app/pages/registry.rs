//! Registry Submission Details and the Upload Data flow of the 2021 guide's "QCDRs and Qualified
//! Registries: Election Process" (steps 2–6): files are checked in this browser first (the
//! validator's Web Worker), the participants they name are looked up on the server, elections
//! are made in the Election Selection table, confirmed with CONFIRM, and the files and elections
//! are sent together — the server stores them in one transaction or not at all.

use super::use_selected_year;
use super::validate::{get, module_urls, post_to_worker};
use crate::api::*;
use crate::app::client::{self, ClientError};
use crate::app::components::{LoadError, Loading, PageHeading, RequireSignIn, Shell, YearSelect};
use crate::app::use_app;
use crate::domain::election::check_confirmation;
use crate::domain::format::format_count;
use crate::domain::registry::{entity_label, entity_type_refusal, matches_filter, ChoiceCounts, ElectionChoice, ParticipantStanding};
use crate::domain::{Npi, PerformanceYear, Tin};
use crate::qpp::qrda::QrdaSummary;
use crate::qpp::results::format_size;
use crate::qpp::rules::{plural, Report, Severity};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use std::collections::HashSet;
use std::sync::Arc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Rows of the Election Selection table per page: small enough to render at once, and the
/// table's caption says which rows are shown.
const ROWS_PER_PAGE: usize = 50;
const PARTICIPANTS_PER_PAGE: usize = 25;

#[derive(Clone, Debug, PartialEq)]
enum Check {
    Waiting,
    Working { fraction: f64, what: &'static str },
    Qpp(Arc<Report>),
    Qrda(Arc<QrdaSummary>),
    Failed(String),
}

#[derive(Clone, Debug, PartialEq)]
struct FileItem {
    id: u32,
    name: String,
    size: f64,
    check: Check,
}

impl FileItem {
    fn busy(&self) -> bool {
        matches!(self.check, Check::Waiting | Check::Working { .. })
    }
    /// What stops the file from being uploaded, in sentences (at most a few findings).
    fn problems(&self, year: PerformanceYear) -> Vec<String> {
        let y = year.get() as i64;
        match &self.check {
            Check::Failed(m) => vec![m.clone()],
            Check::Qpp(r) if r.errors > 0 => {
                let mut out = vec![format!("{} found: the file can't be uploaded until they are fixed.", plural(r.errors, "error"))];
                out.extend(r.diagnostics.iter().filter(|d| d.severity == Severity::Error).take(5).map(|d| format!("Line {}: {}", d.line, d.message)));
                out
            }
            Check::Qpp(r) => r
                .submissions
                .iter()
                .find(|s| s.performance_year != Some(y))
                .map(|s| vec![format!("The file holds {} data; you are uploading for performance year {year}. Choose that year on the page, or upload a {year} file.", s.performance_year.map(|v| v.to_string()).unwrap_or_else(|| "undated".into()))])
                .unwrap_or_default(),
            Check::Qrda(q) if !q.problems.is_empty() => q.problems.iter().map(|p| format!("{}{} ({})", p.line.map(|l| format!("Line {l}: ")).unwrap_or_default(), p.message, p.code)).collect(),
            Check::Qrda(q) if q.performance_year != Some(y) => vec![format!("The file holds {} data; you are uploading for performance year {year}.", q.performance_year.map(|v| v.to_string()).unwrap_or_else(|| "undated".into()))],
            _ => vec![],
        }
    }
    fn summary(&self) -> String {
        match &self.check {
            Check::Waiting => "Waiting to be checked".into(),
            Check::Working { fraction, what } => format!("{what} {:.0}%", fraction * 100.0),
            Check::Qpp(r) => format!("QPP JSON · {} · {} · {}", plural(r.submissions.len(), "participant"), plural(r.errors, "error"), plural(r.warnings, "warning")),
            Check::Qrda(q) => format!(
                "QRDA III · {} · {}",
                entity_label(q.entity_type.as_deref().unwrap_or(""), q.entity_id.as_deref(), q.tin.as_deref(), q.npi.as_deref()),
                q.sections.iter().map(|s| format!("{} ({})", category_label(&s.category), plural(s.measures, "measure"))).collect::<Vec<_>>().join(", ")
            ),
            Check::Failed(_) => "Could not be checked".into(),
        }
    }
}

fn category_label(c: &str) -> &str {
    match c {
        "quality" => "Quality",
        "pi" => "Promoting Interoperability",
        "ia" => "Improvement Activities",
        other => other,
    }
}

/// A participant found in the files: TIN/NPI, or a label for the kinds the upload never takes.
#[derive(Clone, Debug)]
struct Found {
    entity_type: String,
    tin: Option<String>,
    npi: Option<String>,
    entity_id: Option<String>,
}

fn found_in(items: &[FileItem]) -> Vec<Found> {
    let mut seen = HashSet::new();
    let mut out = vec![];
    for it in items {
        let list: Vec<Found> = match &it.check {
            Check::Qpp(r) => r
                .submissions
                .iter()
                .map(|s| Found {
                    entity_type: s.entity_type.clone().unwrap_or_default(),
                    tin: s.taxpayer_identification_number.clone(),
                    npi: if s.entity_type.as_deref() == Some("individual") { s.national_provider_identifier.clone() } else { None },
                    entity_id: s.entity_id.clone(),
                })
                .collect(),
            Check::Qrda(q) => vec![Found { entity_type: q.entity_type.clone().unwrap_or_default(), tin: q.tin.clone(), npi: q.npi.clone(), entity_id: q.entity_id.clone() }],
            _ => vec![],
        };
        for f in list {
            if seen.insert((f.entity_type.clone(), f.tin.clone(), f.npi.clone(), f.entity_id.clone())) {
                out.push(f);
            }
        }
    }
    out
}

#[derive(Clone, Debug, PartialEq)]
enum Step {
    Files,
    Elections,
    AreYouSure,
    Confirmed(Arc<UploadResponse>),
    Success(Arc<UploadResponse>),
}

impl Step {
    fn heading(&self) -> &'static str {
        match self {
            Step::Files => "Upload Data",
            Step::Elections => "Election Selection for Eligible Participants",
            Step::AreYouSure => "Are You Sure?",
            Step::Confirmed(_) => "Participation Selections Confirmed",
            Step::Success(_) => "Upload Successful",
        }
    }
}

/// The worker and the chosen files (browser handles: not `Send`, kept out of reactive state).
#[derive(Default)]
struct Handles {
    worker: Option<web_sys::Worker>,
    on_message: Option<Closure<dyn FnMut(web_sys::MessageEvent)>>,
    files: Vec<(u32, web_sys::File)>,
}

#[component]
pub fn RegistrySubmissionDetails() -> impl IntoView {
    view! { <RequireSignIn><Shell><DetailsBody/></Shell></RequireSignIn> }
}

#[component]
fn DetailsBody() -> impl IntoView {
    let app = use_app();
    let params = use_params_map();
    let registry_id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let year = use_selected_year();
    let refresh = RwSignal::new(0u32);
    let details = LocalResource::new(move || {
        let (id, y) = (registry_id.get(), year.get());
        refresh.track();
        async move {
            match y {
                Some(y) => client::get::<RegistrySubmissionsResponse>(&format!("{}?year={y}", paths::registry_submissions(&id))).await.map(Some),
                None => Ok(None),
            }
        }
    });
    let upload_open = RwSignal::new(false);
    let printing = RwSignal::new(false);
    let token_open = RwSignal::new(false);
    let navigate = use_navigate();
    let choose_year = move |y: PerformanceYear| navigate(&format!("/registries/{}?year={y}", registry_id.get_untracked()), Default::default());

    view! {
        <p class="breadcrumb"><a href=move || format!("/eligibility?year={}&tab=registries", year.get().map(|y| y.to_string()).unwrap_or_default())>"Eligibility & Reporting"</a>" / Registry Submission Details"</p>
        <PageHeading text="Registry Submission Details"/>
        <Transition fallback=|| view! { <Loading what="the registry"/> }>
            <ErrorBoundary fallback=|errors| view! { <LoadError errors/> }>
                {move || {
                    let choose_year = choose_year.clone();
                    Suspend::new(async move {
                        let years = app.years.await?;
                        let Some(d) = details.await? else { return Ok::<_, ClientError>(None) };
                        let y = d.performance_year;
                        let demo = d.registry.is_demo;
                        Ok(Some(view! {
                            <p class="registry-meta">{format!("{} | TIN: {} | {}", d.registry.name, d.registry.tin, match d.registry.kind { RegistryKind::Qcdr => "QCDR", RegistryKind::QualifiedRegistry => "Qualified Registry" })}</p>
                            <div class="no-print"><YearSelect years=years.years.clone() selected=y on_change=choose_year/></div>
                            <section class="start-reporting" aria-labelledby="start-heading">
                                <div>
                                    <h2 id="start-heading" class="ds-text-heading--2xl">"Start Reporting"</h2>
                                    <p>"Start by uploading a JSON or QRDA III file that contains all or single category data for your clients. If you submit data using the API with your registry's API token, you will see the submissions on this page."</p>
                                    <p class="ds-c-hint">"Remember: files are checked in your browser first, then again on the server; opt-in eligible clients need an election before their data is stored. Scores are not calculated here."</p>
                                    {demo.then(|| view! {
                                        <p class="demo-files">"Demo files to try: "
                                            <a href="/demo-files/registry-clients-2026.json" download="registry-clients-2026.json">"registry-clients-2026.json"</a>", "
                                            <a href="/demo-files/lakeside-internal-medicine-2026.xml" download="lakeside-internal-medicine-2026.xml">"lakeside-internal-medicine-2026.xml"</a>" (QRDA III), "
                                            <a href="/demo-files/harbor-point-with-errors.json" download="harbor-point-with-errors.json">"harbor-point-with-errors.json"</a>" (has errors)."</p>
                                    })}
                                </div>
                                <div class="start-reporting__actions no-print">
                                    <button type="button" id="upload-open" class="ds-c-button ds-c-button--solid" on:click=move |_| upload_open.set(true)>"Upload File(s)"</button>
                                    <button type="button" id="token-open" class="ds-c-button" on:click=move |_| token_open.set(true)>"ACCESS API TOKEN"</button>
                                    <button type="button" class="ds-c-button ds-c-button--ghost" on:click=move |_| {
                                        // Print every participant, not only the page on screen:
                                        // render them all, print, then page again.
                                        printing.set(true);
                                        request_animation_frame(move || {
                                            let _ = window().print();
                                            printing.set(false);
                                        });
                                    }>"Print"</button>
                                </div>
                            </section>
                            <p class="saved-note" role="note">"All changes are saved automatically."</p>
                            <SubmissionsList details=Arc::new(d.clone()) printing/>
                        }))
                    })
                }}
            </ErrorBoundary>
        </Transition>
        // Outside the Transition: refreshing the list after an upload must not re-create the
        // dialog that is showing the upload's result.
        {move || year.get().map(|y| {
            let is_so = Signal::derive(move || details.get().and_then(|r| r.ok()).flatten().map(|d| d.is_security_official).unwrap_or(false));
            view! {
                <UploadDialog open=upload_open registry_id=registry_id.get() year=y on_done=Callback::new(move |_| refresh.update(|n| *n += 1))/>
                <TokenDialog open=token_open registry_id=registry_id.get() is_security_official=is_so/>
            }
        })}
    }
}

/// The submissions already made, per participant, with pagination and a filter.
#[component]
fn SubmissionsList(details: Arc<RegistrySubmissionsResponse>, printing: RwSignal<bool>) -> impl IntoView {
    let filter = RwSignal::new(String::new());
    let page = RwSignal::new(0usize);
    let d = details.clone();
    let matching = Memo::new(move |_| {
        let f = filter.get();
        d.participants.iter().enumerate().filter(|(_, p)| matches_filter(&f, p.tin.as_str(), p.npi.as_ref().map(|n| n.as_str()), &p.name)).map(|(i, _)| i).collect::<Vec<_>>()
    });
    let total = details.participants.len();
    let y = details.performance_year;
    let d = details.clone();
    let rows = move || {
        let m = matching.get();
        let start = page.get() * PARTICIPANTS_PER_PAGE;
        let take = if printing.get() { m.len() } else { PARTICIPANTS_PER_PAGE };
        m.iter().skip(if printing.get() { 0 } else { start }).take(take).map(|i| {
            let p = d.participants[*i].clone();
            let who = match &p.npi { Some(n) => format!("TIN/NPI {}/{}", p.tin, n), None => format!("TIN {}", p.tin) };
            let election = p.election.map(|e| e.label().to_string()).unwrap_or_else(|| "No election needed".into());
            view! {
                <tr>
                    <th scope="row"><span class="participant-id">{who}</span><br/><span>{if p.name.is_empty() { "—".to_string() } else { p.name.clone() }}</span></th>
                    <td>{election}</td>
                    <td><ul class="set-list">{p.measurement_sets.into_iter().map(|m| view! {
                        <li>{format!("{} · {} · {} — {} — {} ({}), {}", category_label(&m.category), m.submission_method, m.program_name, plural(m.measure_count as usize, "measure"), m.source_file, m.source_format.label(), m.submitted_at.format_eastern())}</li>
                    }).collect_view()}</ul></td>
                </tr>
            }
        }).collect_view()
    };
    let pages = move || matching.with(|m| m.len().div_ceil(PARTICIPANTS_PER_PAGE)).max(1);
    view! {
        <section class="submissions" aria-labelledby="submissions-heading">
            <h2 id="submissions-heading" class="ds-text-heading--2xl">{format!("Submissions for {y} ({})", format_count(total as i64))}</h2>
            {if total == 0 {
                view! { <p>{format!("No data has been uploaded for {y} yet. Use Upload File(s) to upload QPP JSON or QRDA III files.")}</p> }.into_any()
            } else {
                view! {
                    <div class="no-print">
                        <label class="ds-c-label" for="submissions-filter">"Filter by TIN, NPI or name"</label>
                        <input id="submissions-filter" class="ds-c-field" type="search" prop:value=move || filter.get() on:input=move |ev| { filter.set(event_target_value(&ev)); page.set(0); }/>
                    </div>
                    <table class="ds-c-table submissions-table">
                        <caption>{move || if printing.get() { format!("Participants {} (all)", format_count(matching.with(|m| m.len()) as i64)) } else { format!("Participants {} (page {} of {})", format_count(matching.with(|m| m.len()) as i64), page.get() + 1, pages()) }}</caption>
                        <thead><tr><th scope="col">"Participant"</th><th scope="col">"Election"</th><th scope="col">"Measurement sets (category · method · program — measures — source file, time)"</th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                    <Pager page pages=Signal::derive(pages) label="Submissions pages"/>
                }.into_any()
            }}
        </section>
    }
}

/// Previous / Next for a paged list; the caller's caption says which rows show.
#[component]
fn Pager(page: RwSignal<usize>, #[prop(into)] pages: Signal<usize>, label: &'static str) -> impl IntoView {
    view! {
        <nav class="pager no-print" aria-label=label>
            <button type="button" class="ds-c-button" aria-disabled=move || (page.get() == 0).then_some("true") on:click=move |_| page.update(|p| *p = p.saturating_sub(1))>"Previous page"</button>
            // A status region: a page or filter change is announced without moving focus.
            <span role="status">{move || format!("Page {} of {}", page.get() + 1, pages.get())}</span>
            <button type="button" class="ds-c-button" aria-disabled=move || { (page.get() + 1 >= pages.get()).then_some("true") } on:click=move |_| { if page.get_untracked() + 1 < pages.get_untracked() { page.update(|p| *p += 1) } }>"Next page"</button>
        </nav>
    }
}

fn random_key() -> String {
    (0..4).map(|_| format!("{:08x}", (js_sys::Math::random() * 4_294_967_295.0) as u32)).collect()
}

/// Focuses after the next render (the element may be about to appear or be replaced).
fn focus_later(id: &'static str) {
    request_animation_frame(move || focus_id(id));
}

fn focus_id(id: &str) {
    if let Some(el) = document().get_element_by_id(id).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = el.focus();
    }
}

/// The Upload Data modal and every step after it.
#[component]
fn UploadDialog(open: RwSignal<bool>, registry_id: String, year: PerformanceYear, on_done: Callback<()>) -> impl IntoView {
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    let step = RwSignal::new(Step::Files);
    let items: RwSignal<Vec<FileItem>> = RwSignal::new(vec![]);
    let handles = StoredValue::new_local(Handles::default());
    let next_id = StoredValue::new(1u32);
    let dragging = RwSignal::new(false);
    let errors: RwSignal<Vec<String>> = RwSignal::new(vec![]);
    let busy = RwSignal::new(false);
    let rows: RwSignal<Arc<Vec<ParticipantRow>>> = RwSignal::new(Arc::new(vec![]));
    let local_cannot: RwSignal<Arc<Vec<(String, String)>>> = RwSignal::new(Arc::new(vec![]));
    // Choices of the rows that need an election, by their index in `needs`.
    let needs: Memo<Arc<Vec<usize>>> = Memo::new(move |_| Arc::new(rows.with(|r| r.iter().enumerate().filter(|(_, r)| r.standing == ParticipantStanding::NeedsElection).map(|(i, _)| i).collect())));
    let choices: RwSignal<Vec<ElectionChoice>> = RwSignal::new(vec![]);
    let typed = RwSignal::new(String::new());
    let confirm_error = RwSignal::new(None::<String>);
    let idempotency_key = StoredValue::new(String::new());
    let announce = RwSignal::new(String::new());
    let registry_id = StoredValue::new(registry_id);

    let terminate = move || {
        handles.update_value(|h| {
            if let Some(w) = h.worker.take() {
                w.terminate();
            }
            h.on_message = None;
        })
    };
    // Everything back to the start: nothing of this upload is kept.
    let reset = move || {
        terminate();
        handles.update_value(|h| h.files.clear());
        items.set(vec![]);
        rows.set(Arc::new(vec![]));
        choices.set(vec![]);
        typed.set(String::new());
        errors.set(vec![]);
        confirm_error.set(None);
        busy.set(false);
        step.set(Step::Files);
    };

    Effect::new(move |_| {
        let want = open.get();
        if let Some(d) = dialog.get() {
            if want && !d.open() {
                reset();
                let _ = d.show_modal();
                focus_id("upload-step-heading");
            } else if !want && d.open() {
                d.close();
            }
        }
    });
    // Each step's heading takes focus, so the change is announced.
    Effect::new(move |_| {
        step.track();
        request_animation_frame(move || focus_id("upload-step-heading"));
    });

    let set_check = move |id: u32, check: Check| items.update(|v| {
        if let Some(i) = v.iter_mut().find(|i| i.id == id) {
            i.check = check;
        }
    });
    let run_next = move || {
        if items.with_untracked(|v| v.iter().any(|i| matches!(i.check, Check::Working { .. }))) {
            return;
        }
        let Some(id) = items.with_untracked(|v| v.iter().find(|i| i.check == Check::Waiting).map(|i| i.id)) else {
            let n = items.with_untracked(|v| v.len());
            if n > 0 {
                announce.set(format!("{} checked.", plural(n, "file")));
            }
            return;
        };
        let posted = handles.with_value(|h| match (&h.worker, h.files.iter().find(|(i, _)| *i == id)) {
            (Some(w), Some((_, f))) => post_to_worker(w, id, "file", f),
            _ => false,
        });
        set_check(id, if posted { Check::Working { fraction: 0.0, what: "Reading" } } else { Check::Failed("The file could not be checked in this browser.".into()) });
    };
    let ensure_worker = move || -> bool {
        if handles.with_value(|h| h.worker.is_some()) {
            return true;
        }
        if module_urls().is_none() {
            return false;
        }
        let options = web_sys::WorkerOptions::new();
        options.set_type(web_sys::WorkerType::Module);
        let Ok(worker) = web_sys::Worker::new_with_options("/qpp-worker.js", &options) else { return false };
        let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            let data = e.data();
            let id = get(&data, "id").as_f64().unwrap_or(0.0) as u32;
            let num = |k: &str| get(&data, k).as_f64().unwrap_or(0.0);
            match get(&data, "type").as_string().as_deref() {
                Some("progress") => {
                    let reading = get(&data, "phase").as_string().as_deref() == Some("reading");
                    set_check(id, Check::Working { fraction: if num("total") > 0.0 { num("done") / num("total") } else { 0.0 }, what: if reading { "Reading" } else { "Checking" } });
                }
                Some("done") => {
                    let check = if let Some(t) = get(&data, "qrda").as_string() {
                        serde_json::from_str::<QrdaSummary>(&t).map(|q| Check::Qrda(Arc::new(q))).unwrap_or_else(|e| Check::Failed(e.to_string()))
                    } else {
                        serde_json::from_str::<Report>(&get(&data, "report").as_string().unwrap_or_default()).map(|r| Check::Qpp(Arc::new(r))).unwrap_or_else(|e| Check::Failed(e.to_string()))
                    };
                    set_check(id, check);
                    run_next();
                }
                Some("failed") => {
                    set_check(id, Check::Failed(format!("The file could not be read: {}", get(&data, "message").as_string().unwrap_or_default())));
                    run_next();
                }
                _ => {}
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        handles.update_value(|h| {
            h.worker = Some(worker);
            h.on_message = Some(on_message);
        });
        true
    };
    on_cleanup(move || terminate());

    let add_files = move |list: web_sys::FileList| {
        errors.set(vec![]);
        for i in 0..list.length() {
            let Some(file) = list.get(i) else { continue };
            let id = next_id.get_value();
            next_id.set_value(id + 1);
            let lower = file.name().to_lowercase();
            let check = if file.size() > crate::qpp::MAX_FILE_BYTES as f64 {
                Check::Failed(format!("The file is {}; files may be up to {}.", format_size(file.size()), format_size(crate::qpp::MAX_FILE_BYTES as f64)))
            } else if !(lower.ends_with(".json") || lower.ends_with(".xml")) {
                Check::Failed("Only QPP JSON (.json) and QRDA III (.xml) files are accepted.".into())
            } else {
                Check::Waiting
            };
            items.update(|v| v.push(FileItem { id, name: file.name(), size: file.size(), check }));
            handles.update_value(|h| h.files.push((id, file)));
        }
        if ensure_worker() {
            run_next();
        } else {
            errors.set(vec!["This browser can't check files (it needs module Web Workers). Use a current version of Chrome, Edge, Firefox or Safari.".into()]);
        }
    };
    let remove = move |id: u32| {
        let name = items.with_untracked(|v| v.iter().find(|i| i.id == id).map(|i| i.name.clone()).unwrap_or_default());
        let was_busy = items.with_untracked(|v| v.iter().any(|i| i.id == id && matches!(i.check, Check::Working { .. })));
        items.update(|v| v.retain(|i| i.id != id));
        handles.update_value(|h| h.files.retain(|(i, _)| *i != id));
        if was_busy {
            // The worker is busy with this very file: start a fresh one for the rest.
            terminate();
            if ensure_worker() {
                run_next();
            }
        }
        announce.set(format!("{name} removed."));
        focus_id("upload-files");
    };

    let cancel_all = move || {
        reset();
        open.set(false);
    };

    // "Upload File": every file checked and clean → look the participants up on the server.
    let start_upload = move |_| {
        if busy.get_untracked() {
            return;
        }
        let list = items.get_untracked();
        let mut problems = vec![];
        if list.is_empty() {
            problems.push("Add at least one QPP JSON or QRDA III file.".to_string());
        }
        if list.iter().any(FileItem::busy) {
            problems.push("Wait until every file has been checked.".to_string());
        }
        for it in &list {
            if !it.problems(year).is_empty() {
                problems.push(format!("{} can't be uploaded: remove it, or fix it and add it again.", it.name));
            }
        }
        if !problems.is_empty() {
            errors.set(problems);
            focus_later("upload-errors");
            return;
        }
        errors.set(vec![]);
        let found = found_in(&list);
        let mut cannot = vec![];
        let mut ask = vec![];
        for f in found {
            let refused = entity_type_refusal(&f.entity_type);
            match (refused, f.tin.as_deref().and_then(|t| Tin::parse(t).ok())) {
                (None, Some(tin)) => ask.push(FoundParticipant { tin, npi: f.npi.as_deref().and_then(|n| Npi::parse(n).ok()), entity_type: f.entity_type.clone() }),
                (refused, _) => {
                    let reason = match refused {
                        Some(ParticipantStanding::CannotSubmit { reason, .. }) => reason,
                        _ => "The participant has no valid TIN.".into(),
                    };
                    cannot.push((entity_label(&f.entity_type, f.entity_id.as_deref(), f.tin.as_deref(), f.npi.as_deref()), reason));
                }
            }
        }
        local_cannot.set(Arc::new(cannot));
        busy.set(true);
        let id = registry_id.get_value();
        leptos::task::spawn_local(async move {
            let res = client::post::<_, ParticipantsLookupResponse>(&paths::registry_participants(&id), &ParticipantsLookupRequest { performance_year: year, participants: ask }).await;
            busy.set(false);
            match res {
                Ok(r) => {
                    let n = r.participants.iter().filter(|p| p.standing == ParticipantStanding::NeedsElection).count();
                    // Only when every participant simply has its data accepted is there nothing
                    // to show before sending; otherwise the lists are shown first.
                    let r_all_plain = r.participants.iter().all(|p| p.standing.needs_no_election());
                    rows.set(Arc::new(r.participants));
                    choices.set(vec![ElectionChoice::NoDecision; n]);
                    idempotency_key.set_value(random_key());
                    let plain = r_all_plain && local_cannot.with_untracked(|c| c.is_empty());
                    if n == 0 && plain {
                        send(registry_id.get_value(), year, items, handles, rows, needs, choices, String::new(), idempotency_key, busy, errors, step, on_done);
                    } else {
                        step.set(Step::Elections);
                    }
                }
                Err(e) => {
                    errors.set(vec![e.to_string()]);
                    focus_later("upload-errors");
                }
            }
        });
    };

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

    let confirm = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        match check_confirmation(&typed.get_untracked()) {
            Err(e) => {
                confirm_error.set(Some(e.message()));
                focus_id("confirm-elections-word");
            }
            Ok(()) => {
                confirm_error.set(None);
                send(registry_id.get_value(), year, items, handles, rows, needs, choices, typed.get_untracked(), idempotency_key, busy, errors, step, on_done);
            }
        }
    };

    let counts = Memo::new(move |_| choices.with(|c| ChoiceCounts::of(c.iter().copied())));

    view! {
        <dialog class="upload-dialog" node_ref=dialog aria-labelledby="upload-step-heading"
            on:cancel=move |ev: leptos::ev::Event| { if busy.get_untracked() { ev.prevent_default(); } }
            on:close=move |_| { if open.get_untracked() { cancel_all(); } focus_later("upload-open"); }>
            <h2 id="upload-step-heading" class="ds-text-heading--2xl" tabindex="-1">{move || step.with(|s| s.heading())}</h2>
            <div class="ds-u-visibility--screen-reader" role="status" aria-live="polite">{move || announce.get()}</div>
            {move || (!errors.get().is_empty()).then(|| view! {
                <div id="upload-errors" class="ds-c-alert ds-c-alert--error" role="alert" tabindex="-1">
                    <div class="ds-c-alert__body">
                        <h3 class="ds-c-alert__heading">"There is a problem"</h3>
                        <ul class="ds-c-list">{errors.get().into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}</ul>
                    </div>
                </div>
            })}
            {move || match step.get() {
                Step::Files => view! {
                    <div class="upload-dialog__columns">
                        <div>
                            <div class=move || if dragging.get() { "file-drop file-drop--active" } else { "file-drop" }
                                on:dragover=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); dragging.set(true); }
                                on:dragleave=move |_| dragging.set(false)
                                on:drop=on_drop>
                                <p class="file-drop__title" aria-hidden="true">"DRAG & DROP"</p>
                                <label class="ds-c-label" for="upload-files">"Your JSON or QRDA III file here, or browse."</label>
                                <p class="ds-c-hint" id="upload-files-hint">"One or several files at once, up to 64 MB each."</p>
                                <input id="upload-files" class="file-drop__input" type="file" multiple accept=".json,.xml,application/json,application/xml,text/xml" aria-describedby="upload-files-hint" on:change=on_change/>
                            </div>
                            <h3 class="ds-text-heading--lg">{move || format!("File(s) to upload ({})", items.with(|v| v.len()))}</h3>
                            <ul class="upload-files" role="list">
                                {move || items.get().into_iter().map(|it| {
                                    let problems = it.problems(year);
                                    let id = it.id;
                                    let name = it.name.clone();
                                    let class = if problems.is_empty() { "upload-file" } else { "upload-file upload-file--error" };
                                    let state = if it.busy() { "Checking" } else if problems.is_empty() { "Ready to upload" } else { "Has errors: will not be uploaded" };
                                    view! {
                                        <li class=class>
                                            <div class="upload-file__head">
                                                <span class="upload-file__name">{it.name.clone()}</span>
                                                <span class="upload-file__size">{format_size(it.size)}</span>
                                                <button type="button" class="ds-c-button ds-c-button--ghost ds-c-button--small" aria-label=format!("Remove {name}") on:click=move |_| remove(id)>"Remove"</button>
                                            </div>
                                            <p class="upload-file__state"><strong>{state}</strong>" — "{it.summary()}</p>
                                            {matches!(it.check, Check::Working { .. }).then(|| {
                                                let f = if let Check::Working { fraction, .. } = it.check { fraction } else { 0.0 };
                                                view! { <progress max="1" value=f aria-label=format!("Checking {}", it.name)></progress> }
                                            })}
                                            {(!problems.is_empty()).then(|| view! { <ul class="ds-c-list upload-file__problems">{problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul> })}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        </div>
                        <aside class="upload-help" aria-labelledby="accepted-heading">
                            <h3 id="accepted-heading" class="ds-text-heading--lg">"Accepted files to upload"</h3>
                            <p>"This upload tool accepts properly formatted "<strong>"QPP JSON"</strong>" and "<strong>"QRDA III"</strong>" files. Each file is checked in your browser before anything is sent."</p>
                            <p>"QPP JSON files are checked against CMS's submission rules. QRDA III files are checked to be well-formed QRDA III, and their participant (TIN, NPI, program, performance year) and category sections are read so elections can be made. "<strong>"Full QRDA III validation and conversion to QPP JSON are not done yet:"</strong>" the file is stored as sent, for conversion later."</p>
                        </aside>
                    </div>
                    <div class="dialog-actions">
                        <button type="button" class="ds-c-button" on:click=move |_| cancel_all()>"Cancel"</button>
                        <button type="button" class="ds-c-button ds-c-button--solid" aria-disabled=move || busy.get().then_some("true") on:click=start_upload>
                            {move || if busy.get() { "Looking up participants…" } else { "Upload File" }}
                        </button>
                    </div>
                }.into_any(),
                Step::Elections => view! {
                    <ElectionStep rows needs choices counts local_cannot year/>
                    <div class="dialog-actions">
                        <button type="button" class="ds-c-button" on:click=move |_| cancel_all()>"Cancel File Upload"</button>
                        <button type="button" class="ds-c-button ds-c-button--solid" on:click=move |_| {
                            errors.set(vec![]);
                            if needs.with_untracked(|n| n.is_empty()) {
                                // No election to confirm: send the data of those that need none.
                                if !busy.get_untracked() {
                                    send(registry_id.get_value(), year, items, handles, rows, needs, choices, String::new(), idempotency_key, busy, errors, step, on_done);
                                }
                            } else {
                                typed.set(String::new());
                                confirm_error.set(None);
                                step.set(Step::AreYouSure);
                            }
                        }>"Submit Selections"</button>
                    </div>
                    <p class="ds-c-hint">"Change Your Mind? You can click Cancel File Upload, which will cancel the entire upload (including data for those who are already MIPS eligible). Once an election to opt-in or voluntarily report is confirmed that election can't be undone or changed."</p>
                }.into_any(),
                Step::AreYouSure => view! {
                    <form on:submit=confirm novalidate>
                        <dl class="confirm-counts">
                            <div><dt>"Report Voluntarily"</dt><dd>{move || format_count(counts.get().voluntary as i64)}</dd></div>
                            <div><dt>"Opt-Ins"</dt><dd>{move || format_count(counts.get().opt_in as i64)}</dd></div>
                            <div><dt>"No Decision (not uploaded)"</dt><dd>{move || format_count(counts.get().no_decision as i64)}</dd></div>
                        </dl>
                        <p>"Once an election to opt in or voluntarily report is confirmed, that election can't be undone or changed."</p>
                        <div class="confirm-dialog__field">
                            <label class="ds-c-label" for="confirm-elections-word">"Please Type \"CONFIRM\""<span class="ds-c-hint" id="confirm-elections-hint">"This field is not case sensitive."</span></label>
                            {move || confirm_error.get().map(|m| view! { <p class="ds-c-inline-error" id="confirm-elections-error"><span class="ds-u-visibility--screen-reader">"Error: "</span>{m}</p> })}
                            <input id="confirm-elections-word" type="text" autocomplete="off" spellcheck="false"
                                class=move || if confirm_error.get().is_some() { "ds-c-field ds-c-field--error" } else { "ds-c-field" }
                                aria-invalid=move || if confirm_error.get().is_some() { "true" } else { "false" }
                                aria-describedby=move || if confirm_error.get().is_some() { "confirm-elections-hint confirm-elections-error" } else { "confirm-elections-hint" }
                                prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev))/>
                        </div>
                        <div class="dialog-actions">
                            <button type="button" class="ds-c-button" on:click=move |_| { errors.set(vec![]); step.set(Step::Elections); }>"Cancel and Go Back"</button>
                            <button type="submit" class="ds-c-button ds-c-button--solid" aria-disabled=move || busy.get().then_some("true")>
                                {move || if busy.get() { "Uploading…" } else { "I'm Sure, Confirm Elections" }}
                            </button>
                        </div>
                    </form>
                }.into_any(),
                Step::Confirmed(r) => view! {
                    <p>{format!("Your selected participants have been successfully opted-in to report for the {year} performance year: {} Opt-In, {} Report Voluntarily.",
                        format_count(r.elections_recorded.iter().filter(|e| e.election == crate::domain::Election::OptIn).count() as i64),
                        format_count(r.elections_recorded.iter().filter(|e| e.election == crate::domain::Election::ReportVoluntarily).count() as i64))}</p>
                    <div class="dialog-actions">
                        <button type="button" class="ds-c-button ds-c-button--solid" on:click=move |_| step.set(Step::Success(r.clone()))>"Continue Reporting"</button>
                    </div>
                }.into_any(),
                Step::Success(r) => view! { <SuccessStep response=r/>
                    <div class="dialog-actions">
                        <button type="button" class="ds-c-button" on:click=move |_| reset()>"Upload More"</button>
                        <button type="button" class="ds-c-button ds-c-button--solid" on:click=move |_| { reset(); open.set(false); }>"View Submission"</button>
                    </div>
                }.into_any(),
            }}
        </dialog>
    }
}

/// Sends the files and the elections in one request (the server's one transaction).
#[allow(clippy::too_many_arguments)]
fn send(
    registry_id: String,
    year: PerformanceYear,
    items: RwSignal<Vec<FileItem>>,
    handles: StoredValue<Handles, LocalStorage>,
    rows: RwSignal<Arc<Vec<ParticipantRow>>>,
    needs: Memo<Arc<Vec<usize>>>,
    choices: RwSignal<Vec<ElectionChoice>>,
    confirmation: String,
    idempotency_key: StoredValue<String>,
    busy: RwSignal<bool>,
    errors: RwSignal<Vec<String>>,
    step: RwSignal<Step>,
    on_done: Callback<()>,
) {
    let rows_now = rows.get_untracked();
    let elections: Vec<ParticipantChoice> = needs
        .get_untracked()
        .iter()
        .zip(choices.get_untracked())
        .map(|(i, c)| ParticipantChoice { tin: rows_now[*i].tin.clone(), npi: rows_now[*i].npi.clone(), election: c })
        .collect();
    let any_election = elections.iter().any(|e| e.election != ElectionChoice::NoDecision);
    let manifest = UploadManifest { performance_year: year, elections, skip_unsubmittable: true, confirmation };
    let Ok(form) = web_sys::FormData::new() else { return };
    let json = serde_json::to_string(&manifest).unwrap_or_default();
    let parts = js_sys::Array::of1(&JsValue::from_str(&json));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type("application/json");
    if let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) {
        let _ = form.append_with_blob_and_filename("manifest", &blob, "manifest.json");
    }
    let ids: Vec<u32> = items.get_untracked().iter().map(|i| i.id).collect();
    handles.with_value(|h| {
        for id in &ids {
            if let Some((_, f)) = h.files.iter().find(|(i, _)| i == id) {
                let _ = form.append_with_blob_and_filename("file", f, &f.name());
            }
        }
    });
    busy.set(true);
    errors.set(vec![]);
    let key = idempotency_key.get_value();
    leptos::task::spawn_local(async move {
        let res = client::post_form::<UploadResponse>(&paths::registry_uploads(&registry_id), &form, &[(IDEMPOTENCY_KEY_HEADER, &key)]).await;
        busy.set(false);
        match res {
            Ok(r) => {
                on_done.run(());
                let r = Arc::new(r);
                step.set(if any_election { Step::Confirmed(r) } else { Step::Success(r) });
            }
            Err(e) => {
                let mut list = vec![e.to_string()];
                if let ClientError::Api { error, .. } = &e {
                    list.extend(error.details.iter().skip(1).take(10).map(|d| d.message.clone()));
                }
                errors.set(list);
                focus_later("upload-errors");
            }
        }
    });
}

/// The Election Selection table: one radio group per participant, filter, bulk set, pages.
#[component]
fn ElectionStep(
    rows: RwSignal<Arc<Vec<ParticipantRow>>>,
    needs: Memo<Arc<Vec<usize>>>,
    choices: RwSignal<Vec<ElectionChoice>>,
    counts: Memo<ChoiceCounts>,
    local_cannot: RwSignal<Arc<Vec<(String, String)>>>,
    year: PerformanceYear,
) -> impl IntoView {
    let filter = RwSignal::new(String::new());
    let page = RwSignal::new(0usize);
    let bulk = RwSignal::new(ElectionChoice::OptIn);
    let label = |r: &ParticipantRow| match &r.npi {
        Some(n) => format!("TIN/NPI {}/{}", r.tin, n),
        None => format!("TIN {}", r.tin),
    };
    // Positions (into `needs`) of the rows the filter shows.
    let visible = Memo::new(move |_| {
        let f = filter.get();
        let rs = rows.get();
        needs.get().iter().enumerate().filter(|(_, i)| { let r = &rs[**i]; matches_filter(&f, r.tin.as_str(), r.npi.as_ref().map(|n| n.as_str()), &r.name) }).map(|(k, _)| k).collect::<Vec<_>>()
    });
    let pages = Signal::derive(move || visible.with(|v| v.len().div_ceil(ROWS_PER_PAGE)).max(1));
    let apply = move |_| {
        let c = bulk.get_untracked();
        let vis = visible.get_untracked();
        choices.update(|cs| {
            for k in &vis {
                cs[*k] = c;
            }
        });
    };
    let table_rows = move || {
        let rs = rows.get();
        let need = needs.get();
        let start = page.get() * ROWS_PER_PAGE;
        visible.get().into_iter().skip(start).take(ROWS_PER_PAGE).map(|k| {
            let r = &rs[need[k]];
            let who = label(r);
            let name = if r.name.is_empty() { "—".to_string() } else { r.name.clone() };
            let head_id = format!("participant-{k}");
            let group_name = format!("election-{k}");
            view! {
                <tr>
                    <th scope="row" id=head_id.clone()><span class="participant-id">{who}</span><br/>{name}</th>
                    <td>
                        <div role="radiogroup" aria-labelledby=head_id class="choice-group">
                            {ElectionChoice::ALL.into_iter().map(|c| {
                                let id = format!("{group_name}-{}", c.code());
                                view! {
                                    <span class="choice">
                                        <input type="radio" id=id.clone() name=group_name.clone()
                                            prop:checked=move || choices.with(|cs| cs.get(k) == Some(&c))
                                            on:change=move |_| choices.update(|cs| cs[k] = c)/>
                                        <label for=id>{c.label()}</label>
                                    </span>
                                }
                            }).collect_view()}
                        </div>
                    </td>
                </tr>
            }
        }).collect_view()
    };
    let no_election: Vec<(String, String, String)> = rows.get_untracked().iter().filter_map(|r| r.standing.no_election_reason().map(|why| (label(r), r.name.clone(), why))).collect();
    let mut cannot: Vec<(String, String)> = rows.get_untracked().iter().filter_map(|r| match &r.standing { ParticipantStanding::CannotSubmit { reason, .. } => Some((label(r), reason.clone())), _ => None }).collect();
    cannot.extend(local_cannot.get_untracked().iter().cloned());
    let n_no = no_election.len();
    let n_cannot = cannot.len();
    view! {
        <p>"You'll see a list of all the opt-in eligible groups and clinicians included in the submission. Individual clinicians are identified by TIN/NPI; groups by TIN. Make an election for each:"</p>
        <section class="participant-elections" aria-labelledby="counts-heading">
            <h3 id="counts-heading" class="ds-text-heading--lg">"Participant Elections"</h3>
            <ul class="counts" role="list">
                {ElectionChoice::ALL.into_iter().map(|c| view! {
                    <li><strong>{c.label()}" "<span class="count">{move || format_count(counts.get().get(c) as i64)}</span></strong><br/><span>{c.explanation(year)}</span></li>
                }).collect_view()}
            </ul>
            <p class="ds-u-visibility--screen-reader" aria-live="polite">{move || { let c = counts.get(); format!("No Decision {}, Report Voluntarily {}, Opt-In {}.", c.no_decision, c.voluntary, c.opt_in) }}</p>
        </section>
        <div class="table-tools">
            <div>
                <label class="ds-c-label" for="election-filter">"Filter by TIN, NPI or name"</label>
                <input id="election-filter" class="ds-c-field" type="search" prop:value=move || filter.get() on:input=move |ev| { filter.set(event_target_value(&ev)); page.set(0); }/>
            </div>
            <div>
                <label class="ds-c-label" for="bulk-choice">{move || format!("Set all {} participants shown by the filter to", format_count(visible.with(|v| v.len()) as i64))}</label>
                <select id="bulk-choice" class="ds-c-field" on:change=move |ev| { let v = event_target_value(&ev); if let Some(c) = ElectionChoice::ALL.into_iter().find(|c| c.code() == v) { bulk.set(c); } }>
                    {ElectionChoice::ALL.into_iter().map(|c| view! { <option value=c.code() selected=c == ElectionChoice::OptIn>{c.label()}</option> }).collect_view()}
                </select>
                <button type="button" class="ds-c-button" on:click=apply>"Apply to shown participants"</button>
            </div>
        </div>
        <table class="ds-c-table election-table" id="election-table" tabindex="-1">
            <caption>{move || {
                let n = visible.with(|v| v.len());
                let start = page.get() * ROWS_PER_PAGE;
                if n == 0 { "No participant matches the filter.".to_string() } else { format!("Participants {}–{} of {} needing an election (page {} of {})", format_count(start as i64 + 1), format_count((start + ROWS_PER_PAGE).min(n) as i64), format_count(n as i64), page.get() + 1, pages.get()) }
            }}</caption>
            <thead><tr><th scope="col">"Participant"</th><th scope="col">"Election: No Decision, Report Voluntarily or Opt-In"</th></tr></thead>
            <tbody>{table_rows}</tbody>
        </table>
        <p class="ds-u-visibility--screen-reader" role="status">{move || format!("{} participants shown.", format_count(visible.with(|v| v.len()) as i64))}</p>
        <Pager page pages label="Election table pages"/>
        {(n_no > 0).then(|| view! {
            <details class="side-list">
                <summary>{format!("Participants that need no election ({}) — their data is uploaded", format_count(n_no as i64))}</summary>
                <ul class="ds-c-list">{no_election.into_iter().take(200).map(|(who, name, why)| view! { <li><strong>{who}</strong>" "{name}": "{why}</li> }).collect_view()}</ul>
                {(n_no > 200).then(|| view! { <p>{format!("and {} more.", format_count(n_no as i64 - 200))}</p> })}
            </details>
        })}
        {(n_cannot > 0).then(|| view! {
            <details class="side-list" open>
                <summary>{format!("Participants that can't be submitted ({}) — their data will not be uploaded", format_count(n_cannot as i64))}</summary>
                <ul class="ds-c-list">{cannot.into_iter().take(200).map(|(who, why)| view! { <li><strong>{who}</strong>": "{why}</li> }).collect_view()}</ul>
                {(n_cannot > 200).then(|| view! { <p>{format!("and {} more.", format_count(n_cannot as i64 - 200))}</p> })}
            </details>
        })}
    }
}

#[component]
fn SuccessStep(response: Arc<UploadResponse>) -> impl IntoView {
    let r = response;
    view! {
        <div class="ds-c-alert ds-c-alert--success">
            <div class="ds-c-alert__body">
                <p class="ds-c-alert__text">{format!("Your files were successfully uploaded: data of {} stored{}. You can now review the submitted data on Registry Submission Details.", plural(r.participants_stored, "participant"), if r.replayed { " (this upload had already been received; nothing was stored twice)" } else { "" })}</p>
            </div>
        </div>
        <h3 class="ds-text-heading--lg">{format!("File(s) uploaded ({})", r.files.len())}</h3>
        <ul class="upload-files" role="list">
            {r.files.iter().map(|f| view! {
                <li class="upload-file upload-file--done"><span aria-hidden="true">"✓ "</span><strong>{f.name.clone()}</strong>{format!(" — {}, {}, {} stored", f.format.label(), plural(f.participants_stored, "participant"), plural(f.measurement_sets_stored, "measurement set"))}</li>
            }).collect_view()}
        </ul>
        {(!r.skipped.is_empty()).then(|| view! {
            <details class="side-list">
                <summary>{format!("Not uploaded ({})", format_count(r.skipped.len() as i64))}</summary>
                <ul class="ds-c-list">{r.skipped.iter().take(200).map(|s| view! { <li><strong>{s.participant.clone()}</strong>": "{s.reason.clone()}</li> }).collect_view()}</ul>
            </details>
        })}
        <p class="ds-c-hint">"Do you have an issue uploading your file? Contact the QPP Service Center: qpp@cms.hhs.gov, 1-866-288-8292 (TRS: 711), Monday through Friday, 8 a.m.–8 p.m. ET."</p>
    }
}

/// ACCESS API TOKEN: the registry's token for programs (Security Official only).
#[component]
fn TokenDialog(open: RwSignal<bool>, registry_id: String, #[prop(into)] is_security_official: Signal<bool>) -> impl IntoView {
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    let id = StoredValue::new(registry_id);
    let info: RwSignal<Option<Result<Option<ApiTokenInfo>, String>>> = RwSignal::new(None);
    let created: RwSignal<Option<String>> = RwSignal::new(None);
    let error = RwSignal::new(None::<String>);
    let status = RwSignal::new(String::new());
    // Rotating or revoking stops every program using the current token: ask first.
    let sure = |question: &str| window().confirm_with_message(question).unwrap_or(false);
    let load = move || {
        let path = paths::registry_token(&id.get_value());
        leptos::task::spawn_local(async move {
            info.set(Some(client::get::<Option<ApiTokenInfo>>(&path).await.map_err(|e| e.to_string())));
        });
    };
    Effect::new(move |_| {
        let want = open.get();
        if let Some(d) = dialog.get() {
            if want && !d.open() {
                created.set(None);
                error.set(None);
                load();
                let _ = d.show_modal();
                focus_id("token-heading");
            } else if !want && d.open() {
                d.close();
            }
        }
    });
    let create = move |_| {
        if matches!(info.get_untracked(), Some(Ok(Some(_)))) && !sure("Rotate the API token? Programs using the current token will stop working at once.") {
            return;
        }
        let path = paths::registry_token(&id.get_value());
        leptos::task::spawn_local(async move {
            match client::post::<_, ApiTokenCreated>(&path, &serde_json::json!({})).await {
                Ok(t) => {
                    status.set(if t.replaced_earlier { "A new API token was created; the earlier one no longer works.".into() } else { "A new API token was created.".into() });
                    created.set(Some(t.token));
                    info.set(Some(Ok(Some(t.info))));
                    error.set(None);
                    request_animation_frame(|| focus_id("new-token"));
                }
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    let revoke = move |_| {
        if !matches!(info.get_untracked(), Some(Ok(Some(_)))) || !sure("Revoke the API token? Programs using it will stop working at once.") {
            return;
        }
        let path = paths::registry_token(&id.get_value());
        leptos::task::spawn_local(async move {
            match client::delete(&path).await {
                Ok(()) => {
                    created.set(None);
                    status.set("The API token was revoked; programs using it no longer have access.".into());
                    info.set(Some(Ok(None)));
                    error.set(None);
                }
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    view! {
        <dialog class="token-dialog" node_ref=dialog aria-labelledby="token-heading" on:close=move |_| { open.set(false); created.set(None); status.set(String::new()); focus_later("token-open"); }>
            <h2 id="token-heading" class="ds-text-heading--2xl" tabindex="-1">"API token"</h2>
            <p>"With the registry's API token a program can read its clients' opt-in status, make elections and upload QPP JSON and QRDA III files — with the same rules and error messages as these screens. Send it as "<code>"Authorization: Bearer <token>"</code>"; the calls are described in the "<a href="/api/openapi.json">"OpenAPI document"</a>" (tag “registries”)."</p>
            {move || error.get().map(|m| view! { <div class="ds-c-alert ds-c-alert--error" role="alert"><div class="ds-c-alert__body"><p class="ds-c-alert__text">{m}</p></div></div> })}
            <p role="status" class="token-status">{move || status.get()}</p>
            {move || match info.get() {
                None => view! { <p role="status">"Loading…"</p> }.into_any(),
                Some(Err(m)) => view! { <p role="alert">{m}</p> }.into_any(),
                Some(Ok(None)) => view! { <p>"The registry has no API token."</p> }.into_any(),
                Some(Ok(Some(t))) => view! { <p>{format!("Current token: ends in …{}, created {} by {}.", t.last_four, t.created_at.format_eastern(), t.created_by)}</p> }.into_any(),
            }}
            {move || created.get().map(|t| view! {
                <div class="ds-c-alert ds-c-alert--warn">
                    <div class="ds-c-alert__body">
                        <label class="ds-c-label" for="new-token">"Your new API token — copy it now: it is shown only once"</label>
                        <input id="new-token" class="ds-c-field token-field" type="text" readonly prop:value=t/>
                        <p class="ds-c-alert__text">"Only its fingerprint is stored; any earlier token has stopped working."</p>
                    </div>
                </div>
            })}
            {move || if is_security_official.get() {
                view! {
                    <div class="dialog-actions">
                        <button type="button" class="ds-c-button ds-c-button--solid" on:click=create>{move || if matches!(info.get(), Some(Ok(Some(_)))) { "Rotate API token" } else { "Create API token" }}</button>
                        <button type="button" class="ds-c-button" aria-disabled=move || (!matches!(info.get(), Some(Ok(Some(_))))).then_some("true") on:click=revoke>"Revoke API token"</button>
                    </div>
                }.into_any()
            } else {
                view! { <p class="ds-c-hint">"Only the registry's Security Official can create, rotate or revoke the API token."</p> }.into_any()
            }}
            <div class="dialog-actions"><button type="button" class="ds-c-button" on:click=move |_| open.set(false)>"Close"</button></div>
        </dialog>
    }
}
