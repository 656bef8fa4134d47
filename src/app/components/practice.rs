use crate::api::{PerformanceYearInfo, PracticeCard};
use crate::domain::format::{format_count, format_usd_cents};
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

/// The eligibility summary of a practice card, in the guide's wording.
#[component]
pub fn PracticeFacts(card: PracticeCard) -> impl IntoView {
    let exceeds = if card.assessment.exceeds_threshold() { "Yes" } else { "No" };
    view! {
        <dl class="practice-facts">
            <div><dt>"Exceeds Low Volume Threshold:"</dt><dd>{exceeds}</dd></div>
            <div><dt>"Medicare Patients at this practice:"</dt><dd>{format_count(card.figures.medicare_patients)}</dd></div>
            <div><dt>"Allowed Charges at this practice:"</dt><dd>{format_usd_cents(card.figures.allowed_charges_cents)}</dd></div>
            <div><dt>"Covered Services at this practice:"</dt><dd>{format_count(card.figures.covered_services)}</dd></div>
            <div><dt>"Special Statuses, Exceptions and Other Reporting Factors:"</dt><dd>{SpecialStatus::list_label(&card.special_statuses)}</dd></div>
        </dl>
    }
}

/// Performance year selector. Changing it calls `on_change` with the chosen year.
#[component]
pub fn YearSelect(years: Vec<PerformanceYearInfo>, selected: PerformanceYear, on_change: impl Fn(PerformanceYear) + 'static) -> impl IntoView {
    view! {
        <div class="year-select">
            <label class="ds-c-label" for="performance-year">"Performance Year"</label>
            <select id="performance-year" class="ds-c-field" on:change=move |ev| {
                if let Ok(y) = PerformanceYear::parse(&event_target_value(&ev)) { on_change(y) }
            }>
                {years.into_iter().map(|y| {
                    let v = y.performance_year.get();
                    view! { <option value=v.to_string() selected=y.performance_year == selected>{format!("Performance Year {v}")}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}
