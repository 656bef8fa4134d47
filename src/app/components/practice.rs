use crate::api::{EntityEligibility, PerformanceYearInfo};
use crate::domain::format::{format_count, format_usd_cents};
use crate::domain::lvt::Criterion;
use crate::domain::{ParticipationStatus, PerformanceYear, SpecialStatus};
use leptos::prelude::*;

/// The participation status as text; the colour only repeats what the words say.
#[component]
pub fn StatusBadge(status: ParticipationStatus) -> impl IntoView {
    view! {
        <span class="status">
            <span class=format!("ds-c-badge status-badge status-badge--{}", status.tone())>{status.badge()}</span>
            {status.qualifier().map(|q| view! { <span class="status-qualifier">{q}</span> })}
        </span>
    }
}

/// Said in place of a figure the data did not give.
pub const NOT_PROVIDED: &str = "Not provided";

/// The eligibility summary in the guide's wording; `at` is " at this practice" for practices.
#[component]
pub fn EligibilityFacts(eligibility: EntityEligibility, #[prop(optional)] at: &'static str) -> impl IntoView {
    let e = eligibility;
    // CMS does not publish the figures; data without them says so rather than showing zeros.
    let given = |shown: String| if e.figures_provided { shown } else { NOT_PROVIDED.to_string() };
    let exceeds = given(if e.assessment.exceeds_threshold() { "Yes" } else { "No" }.to_string());
    view! {
        <dl class="practice-facts">
            <div><dt>"Exceeds Low Volume Threshold:"</dt><dd>{exceeds}</dd></div>
            <div><dt>{format!("Medicare Patients{at}:")}</dt><dd>{given(format_count(e.figures.medicare_patients))}</dd></div>
            <div><dt>{format!("Allowed Charges{at}:")}</dt><dd>{given(format_usd_cents(e.figures.allowed_charges_cents))}</dd></div>
            <div><dt>{format!("Covered Services{at}:")}</dt><dd>{given(format_count(e.figures.covered_services))}</dd></div>
            <div><dt>"Special Statuses, Exceptions and Other Reporting Factors:"</dt><dd>{SpecialStatus::list_label(&e.special_statuses)}</dd></div>
        </dl>
    }
}

/// A small picture of the three low-volume criteria: each figure against its threshold, with
/// the words "Exceeded" or "Not exceeded" drawn beside each bar. Screen readers get the same
/// facts from the SVG's title and description. Plain SVG: no chart library in the wasm.
#[component]
pub fn LowVolumePicture(eligibility: EntityEligibility, #[prop(into)] id: String) -> impl IntoView {
    let e = eligibility;
    if !e.figures_provided {
        return view! { <p class="low-volume-not-provided">"The low-volume figures were not provided with CMS's data, so there is no picture of them. The status above is CMS's determination."</p> }.into_any();
    }
    let rows: Vec<(Criterion, i64, i64, bool, String, String)> = Criterion::ALL
        .into_iter()
        .map(|c| {
            let (figure, threshold, shown, limit) = match c {
                Criterion::AllowedCharges => (
                    e.figures.allowed_charges_cents,
                    e.threshold.allowed_charges_cents,
                    format_usd_cents(e.figures.allowed_charges_cents),
                    format_usd_cents(e.threshold.allowed_charges_cents),
                ),
                Criterion::MedicarePatients => (
                    e.figures.medicare_patients,
                    e.threshold.part_b_patients,
                    format_count(e.figures.medicare_patients),
                    format_count(e.threshold.part_b_patients),
                ),
                Criterion::CoveredServices => (
                    e.figures.covered_services,
                    e.threshold.covered_services,
                    format_count(e.figures.covered_services),
                    format_count(e.threshold.covered_services),
                ),
            };
            (c, figure, threshold, e.assessment.exceeds(c), shown, limit)
        })
        .collect();
    let desc = rows
        .iter()
        .map(|(c, _, _, ex, shown, limit)| {
            format!(
                "{}: {} against more than {} — {}.",
                c.label(),
                shown,
                limit,
                if *ex { "exceeded" } else { "not exceeded" }
            )
        })
        .collect::<Vec<_>>()
        .join(" ");
    let title_id = format!("{id}-title");
    let desc_id = format!("{id}-desc");
    let labelled = format!("{title_id} {desc_id}");
    // Bar scale: the threshold sits at the middle; twice the threshold or more fills the bar.
    const BAR_X: f64 = 150.0;
    const BAR_W: f64 = 120.0;
    view! {
        <svg class="lvt-picture" viewBox="0 0 360 78" width="360" height="78" role="img" aria-labelledby=labelled>
            <title id=title_id>{format!("Low-volume threshold: {} of 3 criteria exceeded", e.assessment.criteria_exceeded())}</title>
            <desc id=desc_id>{desc}</desc>
            {rows.into_iter().enumerate().map(|(i, (c, figure, threshold, exceeded, _, _))| {
                let y = 6.0 + i as f64 * 24.0;
                let ratio = if threshold > 0 { (figure as f64 / (2.0 * threshold as f64)).min(1.0) } else { 1.0 };
                let short = match c { Criterion::AllowedCharges => "Allowed charges", Criterion::MedicarePatients => "Patients", Criterion::CoveredServices => "Services" };
                view! {
                    <g>
                        <text x="0" y=y + 12.0 class="lvt-picture__label">{short}</text>
                        <rect x=BAR_X y=y width=BAR_W height="14" class="lvt-picture__track"/>
                        <rect x=BAR_X y=y width=BAR_W * ratio height="14" class=if exceeded { "lvt-picture__bar lvt-picture__bar--over" } else { "lvt-picture__bar" }/>
                        <line x1=BAR_X + BAR_W / 2.0 x2=BAR_X + BAR_W / 2.0 y1=y - 2.0 y2=y + 16.0 class="lvt-picture__threshold"/>
                        <text x=BAR_X + BAR_W + 6.0 y=y + 12.0 class="lvt-picture__verdict">{if exceeded { "Exceeded" } else { "Not exceeded" }}</text>
                    </g>
                }
            }).collect_view()}
        </svg>
    }
    .into_any()
}

/// Performance year selector. Choosing a year changes nothing by itself (WCAG 3.2.2, On
/// Input); "View year" applies it and calls `on_change`.
#[component]
pub fn YearSelect(
    years: Vec<PerformanceYearInfo>, selected: PerformanceYear, on_change: impl Fn(PerformanceYear) + 'static,
) -> impl IntoView {
    let choice = RwSignal::new(selected);
    view! {
        <form class="year-select" on:submit=move |ev| { ev.prevent_default(); on_change(choice.get_untracked()); }>
            <label class="ds-c-label" for="performance-year">"Performance Year"</label>
            <div class="year-select__row">
                <select id="performance-year" class="ds-c-field" on:change=move |ev| {
                    if let Ok(y) = PerformanceYear::parse(&event_target_value(&ev)) { choice.set(y) }
                }>
                    {years.into_iter().map(|y| {
                        let v = y.performance_year.get();
                        view! { <option value=v.to_string() selected=y.performance_year == selected>{format!("Performance Year {v}")}</option> }
                    }).collect_view()}
                </select>
                <button type="submit" class="ds-c-button">"View year"</button>
            </div>
        </form>
    }
}
