//! Registry Submission Details and the Upload Data flow of the 2021 guide's "QCDRs and Qualified
//! Registries: Election Process" (steps 2–6), one file per step: `upload` holds the state of an
//! upload, `steps` its dialog, `elections` the Election Selection table, `submissions` what was
//! stored, `token` the registry's API token.

mod elections;
mod files;
mod steps;
mod submissions;
mod token;
mod upload;

use super::params::use_selected_year;
use crate::api::endpoints;
use crate::api::RegistryKind;
use crate::app::client::{self, ClientError};
use crate::app::components::{LoadError, Loading, PageHeading, YearSelect};
use crate::app::context::use_app;
use crate::domain::PerformanceYear;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use std::sync::Arc;
use steps::UploadDialog;
use submissions::SubmissionsList;
use token::TokenDialog;

/// The page's content; the router puts it in `SignedInPage`.
#[component]
pub fn RegistrySubmissionDetails() -> impl IntoView {
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
                Some(y) => {
                    client::call(&endpoints::REGISTRY_SUBMISSIONS, &[&id], &client::year_query(y), None).await.map(Some)
                }
                None => Ok(None),
            }
        }
    });
    let upload_open = RwSignal::new(false);
    let printing = RwSignal::new(false);
    let token_open = RwSignal::new(false);
    let navigate = use_navigate();
    let choose_year = move |y: PerformanceYear| {
        navigate(&format!("/registries/{}?year={y}", registry_id.get_untracked()), Default::default())
    };

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
                                            <a href="/demo-files/harbor-point-with-errors.json" download="harbor-point-with-errors.json">"harbor-point-with-errors.json"</a>" (has errors), "
                                            <a href="/demo-files/registry-entities-2026.json" download="registry-entities-2026.json">"registry-entities-2026.json"</a>" (APM Entity, virtual groups, subgroup)."</p>
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
