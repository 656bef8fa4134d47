//! The Practices tab's list: each practice's card, what it offers, and the CSV download.

use crate::api::{PracticeCard, PracticesResponse};
use crate::app::components::{EligibilityFacts, LowVolumePicture, StatusBadge, NOT_PROVIDED};
use crate::domain::determination::EXCLUDED_MAY_REPORT_VOLUNTARILY;
use crate::domain::format::{format_count, name_matches};
use crate::domain::{csv, LowVolumeStatus, PerformanceYear};
use leptos::prelude::*;

/// The CSV of the year's practices and clinicians, built from what the page already loaded.
pub fn practices_csv(data: &PracticesResponse) -> String {
    let header = [
        "Performance year",
        "TIN",
        "NPI",
        "Practice name",
        "Clinician name",
        "Status",
        "Medicare patients",
        "Medicare patients exceeded",
        "Allowed charges (USD)",
        "Allowed charges exceeded",
        "Covered services",
        "Covered services exceeded",
        "Special statuses",
        "Election",
        "Pathway",
        "Elected at (UTC)",
    ];
    let mut out = String::from(csv::BOM);
    out.push_str(&csv::row(&header));
    let yes_no = |b: bool| if b { "Yes" } else { "No" }.to_string();
    let line = |tin: &str, npi: &str, practice: &str, clinician: &str, e: &crate::api::EntityEligibility| {
        let status = match e.status.qualifier() {
            Some(q) => format!("{} ({q})", e.status.badge()),
            None => e.status.badge().to_string(),
        };
        let given = |cell: String| if e.figures_provided { cell } else { NOT_PROVIDED.to_string() };
        csv::row(&[
            data.performance_year.to_string(),
            tin.to_string(),
            npi.to_string(),
            practice.to_string(),
            clinician.to_string(),
            status,
            given(e.figures.medicare_patients.to_string()),
            given(yes_no(e.assessment.exceeds_medicare_patients)),
            given(format!("{}.{:02}", e.figures.allowed_charges_cents / 100, e.figures.allowed_charges_cents % 100)),
            given(yes_no(e.assessment.exceeds_allowed_charges)),
            given(e.figures.covered_services.to_string()),
            given(yes_no(e.assessment.exceeds_covered_services)),
            e.special_statuses.iter().map(|s| s.label()).collect::<Vec<_>>().join("; "),
            e.election.as_ref().map(|x| x.election.label().to_string()).unwrap_or_default(),
            e.pathway.as_ref().map(|p| p.pathway.label().to_string()).unwrap_or_default(),
            e.election.as_ref().map(|x| x.elected_at.to_iso8601()).unwrap_or_default(),
        ])
    };
    for p in &data.practices {
        out.push_str(&line(p.tin.as_str(), "", &p.name, "", &p.eligibility));
        for c in data.clinicians.iter().filter(|c| c.tin == p.tin) {
            out.push_str(&line(c.tin.as_str(), c.npi.as_str(), &p.name, &c.full_name(), &c.eligibility));
        }
    }
    out
}

#[component]
pub(super) fn PracticeList(data: PracticesResponse, search: RwSignal<String>) -> impl IntoView {
    let year = data.performance_year;
    let all = data.practices.clone();
    let total = all.len();
    let shown = Memo::new(move |_| {
        let q = search.get();
        all.iter().filter(|p| name_matches(&p.name, &q)).cloned().collect::<Vec<_>>()
    });
    let csv_data = StoredValue::new(data.clone());
    view! {
        <div class="practice-toolbar">
            <p class="practice-count" role="status" aria-live="polite">
                {move || {
                    let n = shown.get().len();
                    if n == total { format!("{total} Practices") } else { format!("{n} of {total} Practices match \"{}\"", search.get().trim()) }
                }}
            </p>
            <button type="button" class="ds-c-button ds-c-button--small" on:click=move |_| {
                let _ = crate::app::components::download(&format!("mips-eligibility-{year}.csv"), "text/csv;charset=utf-8", &practices_csv(&csv_data.get_value()));
            }>"Download"<span class="ds-u-visibility--screen-reader">" practices and clinicians as CSV"</span></button>
        </div>
        {(total == 0).then(|| view! { <p>{format!("You are not connected to any practice with eligibility data for {year}.")}</p> })}
        <ul class="practice-list">
            {move || shown.get().into_iter().map(|card| view! { <li><PracticeCardView card/></li> }).collect_view()}
        </ul>
    }
}

/// What a card or row offers, from the entity's status: its overview once elected, the options
/// page while opt-in eligible, Start Reporting when MIPS eligible, else why it can't elect.
/// `base` is the entity's address ("/practices/{tin}" or ".../clinicians/{npi}").
pub(super) fn entity_actions(
    base: &str, year: PerformanceYear, name: &str, e: &crate::api::EntityEligibility,
    options: (&'static str, &'static str), not_eligible: &'static str,
) -> AnyView {
    let sr = |s: String| view! { <span class="ds-u-visibility--screen-reader">{s}</span> };
    let (options_page, options_label) = options;
    match (&e.election, e.low_volume_status) {
        (Some(el), _) => view! {
            <p class="practice-election">{format!("Elected to {} on {} by {}.", el.election.label(), el.elected_at.format_eastern(), el.elected_by)}</p>
            <a class="ds-c-button" href=format!("{base}/overview?year={year}")>"View Reporting Overview"{sr(format!(" for {name}"))}</a>
        }.into_any(),
        // Excluded, a virtual-group member…: CMS's reason, not a way to an election page.
        (None, LowVolumeStatus::OptInEligible | LowVolumeStatus::NotOptInEligible) if e.can_elect.never => {
            let reason = e.can_elect.reason.clone().unwrap_or_else(|| not_eligible.to_string());
            let also = if e.determination.exclusion.is_some() { EXCLUDED_MAY_REPORT_VOLUNTARILY } else { "" };
            view! { <p class="practice-note">{format!("{reason} {also}").trim_end().to_string()}</p> }.into_any()
        }
        (None, LowVolumeStatus::OptInEligible) => view! {
            <a class="ds-c-button ds-c-button--solid" href=format!("{base}/{options_page}?year={year}")>{options_label}{sr(format!(" for {name}"))}</a>
        }.into_any(),
        (None, LowVolumeStatus::MipsEligible) => view! {
            <a class="ds-c-button" href=format!("{base}/overview?year={year}")>"Start Reporting"{sr(format!(" for {name}"))}</a>
        }.into_any(),
        (None, LowVolumeStatus::NotOptInEligible) => view! { <p class="practice-note">{not_eligible}</p> }.into_any(),
    }
}

#[component]
pub(super) fn PracticeCardView(card: PracticeCard) -> impl IntoView {
    let y = card.performance_year;
    let tin = card.tin.clone();
    let heading_id = format!("practice-{}", tin);
    let labelled_by = heading_id.clone();
    let name = card.name.clone();
    let e = card.eligibility.clone();
    let sr = |s: String| view! { <span class="ds-u-visibility--screen-reader">{s}</span> };
    let group_action = entity_actions(
        &format!("/practices/{tin}"),
        y,
        &name,
        &e,
        ("group-options", "REPORT AS GROUP"),
        "Not opt-in eligible as a group: no group election can be made. The practice may still report voluntarily without an election.",
    );
    let individuals = (card.clinician_count > 0).then(|| view! {
        <a class="ds-c-button" href=format!("/practices/{tin}/clinicians?year={y}")>"REPORT AS INDIVIDUALS"{sr(format!(" for {name}"))}</a>
        <a class="ds-c-link" href=format!("/practices/{tin}/clinicians?year={y}#clinicians")>"View clinician eligibility"{sr(format!(" for {name}"))}</a>
    });
    let apm = e
        .mips_apm_participant
        .then(|| view! { <p class="practice-note">"Includes clinicians who participate in a MIPS APM."</p> });
    let pathway = e
        .pathway
        .clone()
        .map(|p| view! { <p class="practice-note">{format!("Reporting pathway: {}.", p.pathway.label())}</p> });
    let demo = card.is_demo.then(|| view! { <span class="demo-tag">"Demo data"</span> });
    view! {
        <article class="practice-card" aria-labelledby=labelled_by>
            <div class="practice-card__main">
                <h3 class="ds-text-heading--xl practice-card__name" id=heading_id>{card.name.clone()}</h3>
                <p class="practice-card__meta">{format!("TIN: {} | {}", card.tin, card.address.one_line())} {demo}</p>
                <StatusBadge status=e.status/>
                <p class="practice-card__explanation">{e.status_explanation.clone()}</p>
                <LowVolumePicture eligibility=e.clone() id=format!("lvt-{tin}")/>
                <EligibilityFacts eligibility=e.clone() at=" at this practice"/>
                {apm}
                {pathway}
                <p class="practice-note">{format!("Connected clinicians: {}", format_count(card.clinician_count))}</p>
            </div>
            <div class="practice-card__actions">{group_action}{individuals}</div>
        </article>
    }
}
