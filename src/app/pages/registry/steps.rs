//! The Upload Data modal and its steps: Upload Data → Election Selection → Are You Sure? →
//! Participation Selections Confirmed → Upload Successful. Each step's heading takes focus, so
//! the change is announced; Cancel (and Escape) drops the whole upload.

use super::elections::ElectionStep;
use super::files::Check;
use super::upload::{Step, Upload};
use crate::api::UploadResponse;
use crate::app::components::{focus_id, ConfirmWord, FileDrop, Modal, ProblemList};
use crate::domain::format::format_count;
use crate::domain::registry::ChoiceCounts;
use crate::domain::{Election, PerformanceYear};
use crate::qpp::results::format_size;
use crate::qpp::rules::plural;
use leptos::prelude::*;
use std::sync::Arc;

#[component]
pub fn UploadDialog(
    open: RwSignal<bool>, registry_id: String, year: PerformanceYear, on_done: Callback<()>,
) -> impl IntoView {
    let up = Upload::new(registry_id, year, on_done);
    let counts = Memo::new(move |_| up.choices.with(|c| ChoiceCounts::of(c.iter().copied())));
    Effect::new(move |_| {
        up.step.track();
        request_animation_frame(move || focus_id("upload-step-heading"));
    });
    on_cleanup(move || up.stop_checks());
    let close = Callback::new(move |_| {
        if open.get_untracked() {
            up.reset();
            open.set(false);
        }
    });
    view! {
        <Modal open on_close=close class="upload-dialog" labelledby="upload-step-heading" focus="upload-step-heading"
            return_focus="upload-open" on_open=Callback::new(move |_| up.reset()) busy=up.busy>
            <h2 id="upload-step-heading" class="ds-text-heading--2xl" tabindex="-1">{move || up.step.with(|s| s.heading())}</h2>
            <div class="ds-u-visibility--screen-reader" role="status" aria-live="polite">{move || up.announce.get()}</div>
            <ProblemList id="upload-errors" problems=up.errors/>
            {move || match up.step.get() {
                Step::Files => view! { <FilesStep up close/> }.into_any(),
                Step::Elections => view! { <ElectionsActions up counts close/> }.into_any(),
                Step::AreYouSure => view! { <AreYouSureStep up counts/> }.into_any(),
                Step::Confirmed(r) => view! { <ConfirmedStep up response=r/> }.into_any(),
                Step::Success(r) => view! { <SuccessStep response=r/>
                    <div class="dialog-actions">
                        <button type="button" class="ds-c-button" on:click=move |_| up.reset()>"Upload More"</button>
                        <button type="button" class="ds-c-button ds-c-button--solid" on:click=move |_| close.run(())>"View Submission"</button>
                    </div>
                }.into_any(),
            }}
        </Modal>
    }
}

#[component]
fn FilesStep(up: Upload, close: Callback<()>) -> impl IntoView {
    let year = up.year;
    view! {
        <div class="upload-dialog__columns">
            <div>
                <FileDrop id="upload-files" title="DRAG & DROP" label="Your JSON or QRDA III file here, or browse."
                    hint="One or several files at once, up to 64 MB each."
                    accept=".json,.xml,application/json,application/xml,text/xml"
                    on_files=Callback::new(move |list| up.add_files(list))/>
                <h3 class="ds-text-heading--lg">{move || format!("File(s) to upload ({})", up.items.with(|v| v.len()))}</h3>
                <ul class="upload-files" role="list">
                    {move || up.items.get().into_iter().map(|it| {
                        let problems = it.problems(year);
                        let (id, name) = (it.id, it.name.clone());
                        let class = if problems.is_empty() { "upload-file" } else { "upload-file upload-file--error" };
                        let state = if it.busy() { "Checking" } else if problems.is_empty() { "Ready to upload" } else { "Has errors: will not be uploaded" };
                        let fraction = if let Check::Working { fraction, .. } = it.check { Some(fraction) } else { None };
                        view! {
                            <li class=class>
                                <div class="upload-file__head">
                                    <span class="upload-file__name">{it.name.clone()}</span>
                                    <span class="upload-file__size">{format_size(it.size)}</span>
                                    <button type="button" class="ds-c-button ds-c-button--ghost ds-c-button--small" aria-label=format!("Remove {name}") on:click=move |_| up.remove(id)>"Remove"</button>
                                </div>
                                <p class="upload-file__state"><strong>{state}</strong>" — "{it.summary()}</p>
                                {fraction.map(|f| view! { <progress max="1" value=f aria-label=format!("Checking {}", it.name)></progress> })}
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
            <button type="button" class="ds-c-button" on:click=move |_| close.run(())>"Cancel"</button>
            <button type="button" class="ds-c-button ds-c-button--solid" aria-disabled=move || up.busy.get().then_some("true") on:click=move |_| up.look_up()>
                {move || if up.busy.get() { "Looking up participants…" } else { "Upload File" }}
            </button>
        </div>
    }
}

#[component]
fn ElectionsActions(up: Upload, counts: Memo<ChoiceCounts>, close: Callback<()>) -> impl IntoView {
    view! {
        <ElectionStep upload=up counts/>
        <div class="dialog-actions">
            <button type="button" class="ds-c-button" on:click=move |_| close.run(())>"Cancel File Upload"</button>
            <button type="button" class="ds-c-button ds-c-button--solid" on:click=move |_| up.submit_selections()>"Submit Selections"</button>
        </div>
        <p class="ds-c-hint">"Change Your Mind? You can click Cancel File Upload, which will cancel the entire upload (including data for those who are already MIPS eligible). Once an election to opt-in or voluntarily report is confirmed that election can't be undone or changed."</p>
    }
}

#[component]
fn AreYouSureStep(up: Upload, counts: Memo<ChoiceCounts>) -> impl IntoView {
    let count = move |f: fn(&ChoiceCounts) -> usize| format_count(f(&counts.get()) as i64);
    view! {
        <form on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); up.confirm(); } novalidate>
            <dl class="confirm-counts">
                <div><dt>"Report Voluntarily"</dt><dd>{move || count(|c| c.voluntary)}</dd></div>
                <div><dt>"Opt-Ins"</dt><dd>{move || count(|c| c.opt_in)}</dd></div>
                <div><dt>"No Decision (not uploaded)"</dt><dd>{move || count(|c| c.no_decision)}</dd></div>
            </dl>
            <p>"Once an election to opt in or voluntarily report is confirmed, that election can't be undone or changed."</p>
            <ConfirmWord id="confirm-elections-word" typed=up.typed error=up.confirm_error/>
            <div class="dialog-actions">
                <button type="button" class="ds-c-button" on:click=move |_| { up.errors.set(vec![]); up.step.set(Step::Elections); }>"Cancel and Go Back"</button>
                <button type="submit" class="ds-c-button ds-c-button--solid" aria-disabled=move || up.busy.get().then_some("true")>
                    {move || if up.busy.get() { "Uploading…" } else { "I'm Sure, Confirm Elections" }}
                </button>
            </div>
        </form>
    }
}

#[component]
fn ConfirmedStep(up: Upload, response: Arc<UploadResponse>) -> impl IntoView {
    let (opt_in, voluntary) =
        (Upload::recorded(&response, Election::OptIn), Upload::recorded(&response, Election::ReportVoluntarily));
    view! {
        <p>{format!("Your selected participants have been successfully opted-in to report for the {} performance year: {} Opt-In, {} Report Voluntarily.",
            up.year, format_count(opt_in as i64), format_count(voluntary as i64))}</p>
        <div class="dialog-actions">
            <button type="button" class="ds-c-button ds-c-button--solid" on:click=move |_| up.step.set(Step::Success(response.clone()))>"Continue Reporting"</button>
        </div>
    }
}

#[component]
pub fn SuccessStep(response: Arc<UploadResponse>) -> impl IntoView {
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
