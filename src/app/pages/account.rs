use super::params::{use_selected_year, YearPanel};
use crate::api::PerformanceYearInfo;
use crate::app::components::{PageHeading, Shell};
use crate::app::context::use_app;
use crate::domain::{WindowPhase, WindowSource};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

/// The page's content; the router puts it in `SignedInPage`.
#[component]
pub fn AccountHome() -> impl IntoView {
    let app = use_app();
    let year = use_selected_year();
    let name = move || app.session.get().map(|s| s.user.display_name).unwrap_or_default();
    let navigate = use_navigate();
    let choose_year = move |y: crate::domain::PerformanceYear| navigate(&format!("/?year={y}"), Default::default());
    view! {
        <PageHeading text=Signal::derive(move || format!("Welcome back {}!", name()))/>
        <YearPanel year loading="key dates" on_change=choose_year details=|info| view! { <KeyDates info/> }/>
        <section class="home-panel" aria-labelledby="exceptions-heading">
            <h2 id="exceptions-heading" class="ds-text-heading--xl">"Exceptions Application"</h2>
            <p>"We provide the opportunity to apply for exceptions to meeting MIPS program requirements when certain circumstances make it difficult for you to meet program requirements. Applications are made on qpp.cms.gov."</p>
        </section>
    }
}

/// The selected year's election window as key dates, and the way in.
#[component]
fn KeyDates(info: PerformanceYearInfo) -> impl IntoView {
    let y = info.performance_year;
    let href = format!("/eligibility?year={y}");
    let Some(w) = info.window.clone() else {
        return view! {
            <section class="home-panel" aria-labelledby="dates-heading">
                <h2 id="dates-heading" class="ds-text-heading--xl">{format!("Performance Year (PY) {y}")}</h2>
                <p>{format!("No election period has been announced for the {y} performance year yet.")}</p>
                <p><a class="ds-c-link" href=href>"View eligibility"</a></p>
            </section>
        }
        .into_any();
    };
    let phase = info.window_phase.unwrap_or(WindowPhase::Closed);
    let headline = match phase {
        WindowPhase::Open => format!("Performance Year (PY) {y} Submission Reporting Window is Now Open"),
        WindowPhase::NotYetOpen => {
            format!("Performance Year (PY) {y} Submission Reporting Window Opens {}", w.opens_at.format_eastern_date())
        }
        WindowPhase::Closed => format!("Performance Year (PY) {y} Submission Reporting Window Has Closed"),
    };
    let lede = match phase {
        WindowPhase::Open => format!("You are now able to start your reporting for the PY {y} submission year. {} Opt-in eligible practices and clinicians must elect to opt in or report voluntarily before their data can be submitted.", w.phase_sentence(phase)),
        _ => w.phase_sentence(phase),
    };
    let demo = (w.source == WindowSource::Demo).then(|| {
        view! {
            <p class="demo-flag"><strong>"Demo: "</strong>{w.note.clone()}</p>
        }
    });
    // Every date says where it comes from, and what is assumed (the note).
    let expected = (w.source != WindowSource::Demo).then(|| {
        view! { <p class="note"><strong>{w.source.evidence_label()}</strong>" "{w.note.clone()}</p> }
    });
    view! {
        <section class="home-panel" aria-labelledby="dates-heading">
            <h2 id="dates-heading" class="ds-text-heading--xl">{headline}</h2>
            <p>{lede}</p>
            {demo}
            {expected}
            <h3 class="ds-text-heading--lg">"Key dates"</h3>
            <ul class="key-dates">
                <li><span class="key-dates__date">{w.opens_at.format_eastern()}</span>" Election period and data submission open"</li>
                <li><span class="key-dates__date">{w.election_closes_at.format_eastern()}</span>" Last moment to elect to opt in or report voluntarily"</li>
                <li><span class="key-dates__date">{w.submission_closes_at.format_eastern()}</span>" Last moment to submit data"</li>
            </ul>
            <p><a class="ds-c-button ds-c-button--solid" href=href>"Start Reporting"</a></p>
        </section>
    }.into_any()
}

#[component]
pub fn NotFound() -> impl IntoView {
    let app = use_app();
    let body = || {
        view! {
            <PageHeading text="Page not found"/>
            <p>"There is no page at this address. Check the address, or go to a page below."</p>
            <ul class="ds-c-list">
                <li><a class="ds-c-link" href="/">"Account Home"</a></li>
                <li><a class="ds-c-link" href="/eligibility">"Eligibility & Reporting"</a></li>
            </ul>
        }
    };
    view! {
        <Show when=move || app.session.get().is_some()
            fallback=move || view! { <main id="main-content" class="account-card" tabindex="-1">{body()}<p><a class="ds-c-link" href="/sign-in">"Sign in"</a></p></main> }>
            <Shell>{body()}</Shell>
        </Show>
    }
}
