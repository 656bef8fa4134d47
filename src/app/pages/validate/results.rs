//! The results of a check: a summary sentence and verdict, then file → participant → measurement
//! set with errors first, each finding with its place, CMS's wording and how to fix it; exports.

use super::jobs::{Files, Job, JobState};
use super::place::PlaceDialog;
use crate::app::components::download;
use crate::qpp::results::{self, format_size, participant_label, set_label, verdict};
use crate::qpp::rules::{plural, summary_sentence, Diagnostic, Report, Severity};
use leptos::prelude::*;
use std::sync::Arc;

#[component]
pub fn Progress(jobs: RwSignal<Vec<Job>>) -> impl IntoView {
    let current = move || jobs.with(|js| js.iter().find(|j| j.running()).cloned());
    let position =
        move || jobs.with(|js| (js.iter().filter(|j| !matches!(j.state, JobState::Waiting)).count(), js.len()));
    let label = move || {
        let (n, of) = position();
        match current() {
            Some(Job { name, state: JobState::Reading { done, total }, .. }) => {
                format!("File {n} of {of}, {name}: reading, {} of {}", format_size(done), format_size(total))
            }
            Some(Job { name, state: JobState::Checking { submissions, .. }, .. }) => {
                format!("File {n} of {of}, {name}: checking, {} checked", plural(submissions, "participant"))
            }
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
pub fn Results(jobs: RwSignal<Vec<Job>>, files: Files, on_reset: Callback<leptos::ev::MouseEvent>) -> impl IntoView {
    let done = move || {
        jobs.with(|js| {
            js.iter()
                .filter_map(|j| if let JobState::Done(r) = &j.state { Some((j.name.clone(), r.clone())) } else { None })
                .collect::<Vec<_>>()
        })
    };
    let unchecked = move || jobs.with(|js| js.iter().filter(|j| !matches!(j.state, JobState::Done(_))).count());
    let totals = move || {
        done().iter().fold((0, 0, 0), |(p, e, w), (_, r)| (p + r.submissions.len(), e + r.errors, w + r.warnings))
    };
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
            <PlaceDialog place=place files=files/>
        </section>
    }
}

#[component]
fn FileResult(job: Job, place: RwSignal<Option<(u32, Diagnostic)>>) -> impl IntoView {
    let heading_id = format!("file-{}", job.id);
    let status = match &job.state {
        JobState::Done(r) => format!(
            "{} ({}): {}, {}, {}.",
            job.name,
            format_size(job.size),
            plural(r.submissions.len(), "participant"),
            plural(r.errors, "error"),
            plural(r.warnings, "warning")
        ),
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
                let label =
                    p.summary.map(participant_label).unwrap_or_else(|| format!("Submission {}", p.submission + 1));
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
