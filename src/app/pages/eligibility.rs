use super::use_selected_year;
use crate::api::{paths, PerformanceYearsResponse, PracticeCard, PracticesResponse};
use crate::app::client::{self, ClientError};
use crate::app::components::{LoadError, Loading, PageHeading, PracticeFacts, RequireSignIn, Shell, StatusBadge, YearSelect};
use crate::app::use_app;
use crate::domain::format::name_matches;
use crate::domain::{LowVolumeStatus, PerformanceYear, WindowPhase, WindowSource};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

#[component]
pub fn EligibilityReporting() -> impl IntoView {
    view! { <RequireSignIn><Shell><EligibilityBody/></Shell></RequireSignIn> }
}

#[component]
fn EligibilityBody() -> impl IntoView {
    let app = use_app();
    let year = use_selected_year();
    let practices = LocalResource::new(move || {
        let y = year.get();
        async move {
            match y {
                Some(y) => client::get::<PracticesResponse>(&format!("{}?year={y}", paths::PRACTICES)).await.map(Some),
                None => Ok(None),
            }
        }
    });
    let search = RwSignal::new(String::new());
    let navigate = use_navigate();
    let choose_year = move |y: PerformanceYear| navigate(&format!("/eligibility?year={y}"), Default::default());

    view! {
        <PageHeading text="Eligibility & Reporting"/>
        <Transition fallback=|| view! { <Loading what="performance years"/> }>
            <ErrorBoundary fallback=|errors| view! { <LoadError errors/> }>
                {move || {
                    let selected = year.get();
                    let choose_year = choose_year.clone();
                    Suspend::new(async move {
                        let years: PerformanceYearsResponse = app.years.await?;
                        let y = selected.unwrap_or(years.default_year);
                        let info = years.years.iter().find(|i| i.performance_year == y).cloned();
                        let window_note = info.and_then(|i| i.window.map(|w| (w, i.window_phase.unwrap_or(WindowPhase::Closed))));
                        Ok::<_, ClientError>(view! {
                            <YearSelect years=years.years.clone() selected=y on_change=choose_year/>
                            <div class="ds-c-alert window-notice" role="region" aria-label="Election period">
                                <div class="ds-c-alert__body">
                                    {match window_note {
                                        Some((w, WindowPhase::Open)) => format!("The {y} election period is open until {}.", w.election_closes_at.format_eastern()),
                                        Some((w, WindowPhase::NotYetOpen)) => format!("The {y} election period opens {}. Until then you can review eligibility but not elect.", w.opens_at.format_eastern()),
                                        Some((w, WindowPhase::Closed)) => format!("The {y} election period closed on {}. You can review eligibility and elections, but no new elections can be made.", w.election_closes_at.format_eastern()),
                                        None => format!("No election period has been announced for the {y} performance year yet."),
                                    }}
                                    {years.years.iter().find(|i| i.performance_year == y).and_then(|i| i.window.clone()).filter(|w| w.source == WindowSource::Demo).map(|w| view! { <p class="demo-flag">{w.note}</p> })}
                                </div>
                            </div>
                        })
                    })
                }}
            </ErrorBoundary>
        </Transition>

        <section class="practices" aria-labelledby="practices-heading">
            <h2 id="practices-heading" class="ds-text-heading--2xl">"Practices"</h2>
            <p>"These are the practices you are connected to. If you don't see a practice, ask its Security Official to connect you (see the QPP Access User Guide)."</p>
            <div class="practice-search">
                <label class="ds-c-label" for="practice-search">"Search by practice name"</label>
                <input id="practice-search" class="ds-c-field" type="search" autocomplete="off"
                    prop:value=move || search.get() on:input=move |ev| search.set(event_target_value(&ev))/>
            </div>
            <Transition fallback=|| view! { <Loading what="practices"/> }>
                <ErrorBoundary fallback=|errors| view! { <LoadError errors/> }>
                    {move || Suspend::new(async move {
                        let data = practices.await?;
                        Ok::<_, ClientError>(data.map(|d| view! { <PracticeList data=d search/> }))
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

#[component]
fn PracticeList(data: PracticesResponse, search: RwSignal<String>) -> impl IntoView {
    let year = data.performance_year;
    let all = data.practices;
    let total = all.len();
    let shown = Memo::new(move |_| {
        let q = search.get();
        all.iter().filter(|p| name_matches(&p.name, &q)).cloned().collect::<Vec<_>>()
    });
    view! {
        <p class="practice-count" role="status" aria-live="polite">
            {move || {
                let n = shown.get().len();
                if n == total { format!("{total} Practices") } else { format!("{n} of {total} Practices match \"{}\"", search.get().trim()) }
            }}
        </p>
        {(total == 0).then(|| view! { <p>{format!("You are not connected to any practice with eligibility data for {year}.")}</p> })}
        <ul class="practice-list">
            {move || shown.get().into_iter().map(|card| view! { <li><PracticeCardView card/></li> }).collect_view()}
        </ul>
    }
}

#[component]
fn PracticeCardView(card: PracticeCard) -> impl IntoView {
    let y = card.performance_year;
    let tin = card.tin.clone();
    let heading_id = format!("practice-{}", tin);
    let labelled_by = heading_id.clone();
    let name = card.name.clone();
    let action = match (&card.election, card.low_volume_status) {
        (Some(e), _) => view! {
            <p class="practice-election">{format!("Elected to {} on {} by {}.", e.election.label(), e.elected_at.format_eastern(), e.elected_by)}</p>
            <a class="ds-c-button" href=format!("/practices/{tin}/overview?year={y}")>"View Reporting Overview"<span class="ds-u-visibility--screen-reader">{format!(" for {name}")}</span></a>
        }.into_any(),
        (None, LowVolumeStatus::OptInEligible) => view! {
            <a class="ds-c-button ds-c-button--solid" href=format!("/practices/{tin}/group-options?year={y}")>"REPORT AS GROUP"<span class="ds-u-visibility--screen-reader">{format!(" for {name}")}</span></a>
        }.into_any(),
        (None, LowVolumeStatus::MipsEligible) => view! {
            <a class="ds-c-button" href=format!("/practices/{tin}/overview?year={y}")>"Start Reporting"<span class="ds-u-visibility--screen-reader">{format!(" for {name}")}</span></a>
        }.into_any(),
        (None, LowVolumeStatus::NotOptInEligible) => view! {
            <p class="practice-note">"Not opt-in eligible: no election can be made. The practice may still report voluntarily without an election."</p>
        }.into_any(),
    };
    let apm = card.mips_apm_participant.then(|| view! { <p class="practice-note">"Includes clinicians who participate in a MIPS APM."</p> });
    let demo = card.is_demo.then(|| view! { <span class="demo-tag">"Demo data"</span> });
    view! {
        <article class="practice-card" aria-labelledby=labelled_by>
            <div class="practice-card__main">
                <h3 class="ds-text-heading--xl practice-card__name" id=heading_id>{card.name.clone()}</h3>
                <p class="practice-card__meta">{format!("TIN: {} | {}", card.tin, card.address.one_line())} {demo}</p>
                <StatusBadge status=card.status/>
                <p class="practice-card__explanation">{card.status_explanation.clone()}</p>
                <PracticeFacts card=card.clone()/>
                {apm}
            </div>
            <div class="practice-card__actions">{action}</div>
        </article>
    }
}

