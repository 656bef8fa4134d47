//! Reporting Overview: where the entity stands after its election.

use super::entity::*;
use super::facts::*;
use crate::app::components::{EligibilityFacts, LowVolumePicture};
use crate::app::context::use_app;
use crate::domain::{check_pathway, LowVolumeStatus, ReportingPathway};
use leptos::prelude::*;

#[component]
pub fn ReportingOverview() -> impl IntoView {
    entity_page("Reporting Overview", |entity| view! { <OverviewBody entity/> })
}

#[component]
pub(super) fn OverviewBody(entity: EntityView) -> impl IntoView {
    let app = use_app();
    let y = entity.year;
    let e = entity.eligibility.clone();
    let noun = if entity.npi.is_some() { "clinician" } else { "practice" };
    let window = move || {
        app.years
            .get()
            .and_then(|r| r.ok())
            .and_then(|ys| ys.years.into_iter().find(|i| i.performance_year == y))
            .and_then(|i| i.window)
    };
    let participation = match (&e.election, e.low_volume_status) {
        (Some(el), _) => view! {
            <h3 class="ds-text-heading--xl">"Election"</h3>
            <ElectionFacts election=el.clone()/>
            <p>{el.election.effect(noun)}</p>
        }.into_any(),
        (None, LowVolumeStatus::OptInEligible) => view! {
            <p>{format!("No election has been made. The {noun} is opt-in eligible: its data can be submitted only after it elects to opt in or report voluntarily.")}</p>
            <p><a class="ds-c-link" href=entity.options_href()>"Reporting options"</a></p>
        }.into_any(),
        (None, LowVolumeStatus::MipsEligible) => view! {
            <p>{format!("The {noun} exceeds the low-volume threshold and is MIPS eligible: no election is needed, and data can be submitted.")}</p>
        }.into_any(),
        (None, LowVolumeStatus::NotOptInEligible) => view! {
            <p>{format!("The {noun} is exempt and not opt-in eligible. It may report voluntarily without an election.")}</p>
        }.into_any(),
    };
    let election = e.election.as_ref().map(|x| x.election);
    let pathway = if !e.mips_apm_participant {
        None
    } else {
        Some(match (&e.pathway, e.offered_pathways.is_empty()) {
            (Some(p), closed) => view! {
                <p>{format!("Reports through {} (chosen on {} by {}).", p.pathway.label(), p.chosen_at.format_eastern(), p.chosen_by)}</p>
                {(!closed).then(|| view! {
                    <p><a class="ds-c-link" href=entity.href("reporting-options")>"Change the reporting option"</a>" (until the submission window closes)"</p>
                })}
            }.into_any(),
            (None, false) => view! {
                <p>"This MIPS APM participant has not yet chosen how to report."</p>
                <p><a class="ds-c-link" href=entity.href("reporting-options")>"Choose a reporting option"</a></p>
            }.into_any(),
            (None, true) => view! { <p>{check_pathway(entity.year, true, e.low_volume_status, election, ReportingPathway::App).err().map(|r| r.reason()).unwrap_or_default()}</p> }.into_any(),
        })
    };
    let at = if entity.npi.is_some() { "" } else { " at this practice" };
    view! {
        <EntitySummary entity=entity.clone()/>
        <section class="overview-section" aria-labelledby="participation-heading">
            <h2 id="participation-heading" class="ds-text-heading--2xl">{format!("Performance Year {y}")}</h2>
            {participation}
            {pathway.map(|p| view! { <h3 class="ds-text-heading--xl">"Reporting pathway"</h3>{p} })}
            <h3 class="ds-text-heading--xl">"Eligibility"</h3>
            <p>{e.status_explanation.clone()}</p>
            <LowVolumePicture eligibility=e.clone() id="overview-lvt"/>
            <EligibilityFacts eligibility=e.clone() at/>
            <h3 class="ds-text-heading--xl">"Submission window"</h3>
            <p>{move || match window() {
                Some(w) => format!("Data for {y} can be submitted from {} until {}.", w.opens_at.format_eastern(), w.submission_closes_at.format_eastern()),
                None => format!("No submission window has been announced for {y}."),
            }}</p>
            <p class="note">"Data is submitted by file upload through a Qualified Registry or QCDR, or through the QPP Submissions API."</p>
        </section>
        <p><a class="ds-c-link" href=format!("/eligibility?year={y}")>"Back to Eligibility & Reporting"</a></p>
    }
}
