//! Participation Status (public): the lookup both guides send users to first. An NPI shows, per
//! practice it bills under (TIN masked, as CMS masks it), the clinician's and the practice's
//! status for the year, read through the same Eligibility API this app documents.

use super::params::use_selected_year;
use crate::api::{endpoints, EligibilityScenario, NpiEligibilityResponse, OrganizationEligibility};
use crate::app::client::{self, ClientError};
use crate::app::components::{ErrorSummary, FieldError, InlineError, LoadError, Loading, PageHeading, Shell};
use crate::app::context::use_app;
use crate::domain::determination::{exclusion_of, Exclusion};
use crate::domain::lookup::{level_status, Level};
use crate::domain::{Npi, PerformanceYear};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

#[component]
pub fn ParticipationStatus() -> impl IntoView {
    let app = use_app();
    let query = use_query_map();
    let navigate = use_navigate();
    let selected = use_selected_year();
    let npi = RwSignal::new(query.get_untracked().get("npi").unwrap_or_default());
    let year = RwSignal::new(None::<PerformanceYear>);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let npi_error = Signal::derive(move || errors.get().into_iter().find(|e| e.field_id == "npi").map(|e| e.message));
    // The lookup the address names (`?npi=&year=`), so a result can be shared and Back works.
    let lookup = LocalResource::new(move || {
        let (n, y) = (query.read().get("npi"), selected.get());
        async move {
            match (n.map(|n| Npi::parse(&n)), y) {
                (Some(Ok(n)), Some(y)) => {
                    client::call(&endpoints::ELIGIBILITY_NPI, &[n.as_str()], &client::year_query(y), None)
                        .await
                        .map(Some)
                }
                _ => Ok(None),
            }
        }
    });
    // A bad NPI gets the API's own words, next to the field.
    Effect::new(move |_| {
        if let Some(Err(e)) = lookup.get() {
            if let ClientError::Api { status: 400 | 404, .. } = e {
                errors.set(vec![FieldError { field_id: "npi".into(), message: e.to_string() }]);
            }
        }
    });
    // The API's words first, then exactly what is wrong with what was typed.
    let invalid_npi = |why: &str| format!("{}: {why}", crate::api::INVALID_NPI_MESSAGE);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match Npi::parse(&npi.get_untracked()) {
            Err(e) => errors.set(vec![FieldError { field_id: "npi".into(), message: invalid_npi(&e.0) }]),
            Ok(n) => {
                let y =
                    year.get_untracked().or(selected.get_untracked()).map(|y| format!("&year={y}")).unwrap_or_default();
                let target = format!("/participation-status?npi={n}{y}");
                let location = window().location();
                let here = location.pathname().unwrap_or_default() + &location.search().unwrap_or_default();
                // The same lookup again keeps its answer (and its error); another one starts clean.
                if target != here {
                    errors.set(vec![]);
                    navigate(&target, Default::default());
                } else if let Some(Err(e @ ClientError::Api { status: 400 | 404, .. })) = lookup.get_untracked() {
                    errors.set(vec![FieldError { field_id: "npi".into(), message: e.to_string() }]);
                }
            }
        }
    };
    let years = move || app.years.get().and_then(|r| r.ok()).map(|r| r.years).unwrap_or_default();
    view! {
        <Shell>
            <PageHeading text="Participation Status"/>
            <p class="ds-text-body--lg">"Look up a clinician's MIPS eligibility and opt-in option for a performance year by NPI: for each practice the clinician bills under, the clinician's own status and the practice's. No sign-in is needed; TINs are masked."</p>
            <ErrorSummary errors=errors/>
            <form class="lookup-form" on:submit=submit novalidate>
                <div class="form-field">
                    <label class="ds-c-label" for="npi">"NPI"<span class="ds-c-field__hint">"The clinician's 10-digit National Provider Identifier"</span></label>
                    <InlineError id="npi-error" message=npi_error/>
                    <input id="npi" class="ds-c-field" type="text" inputmode="numeric" autocomplete="off" spellcheck="false"
                        aria-invalid=move || npi_error.get().is_some().to_string()
                        aria-describedby=move || npi_error.get().map(|_| "npi-error")
                        prop:value=move || npi.get() on:input=move |ev| npi.set(event_target_value(&ev))/>
                </div>
                <div class="form-field">
                    <label class="ds-c-label" for="lookup-year">"Performance Year"</label>
                    <select id="lookup-year" class="ds-c-field" on:change=move |ev| year.set(PerformanceYear::parse(&event_target_value(&ev)).ok())>
                        {move || years().into_iter().map(|i| {
                            let y = i.performance_year;
                            view! { <option value=y.to_string() selected=move || year.get().or(selected.get()) == Some(y)>{format!("Performance Year {y}")}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <button type="submit" class="ds-c-button ds-c-button--solid">"Look up"</button>
            </form>
            // Announces what the lookup found, in a region that stays in the page.
            <p class="ds-u-visibility--screen-reader" role="status">{move || match lookup.get() {
                Some(Ok(Some(r))) => {
                    let n = r.data.organizations.len();
                    format!("Found {} {} with {n} {}.", r.data.first_name, r.data.last_name, if n == 1 { "practice" } else { "practices" })
                }
                Some(Err(e)) => e.to_string(),
                _ => String::new(),
            }}</p>
            <Transition fallback=|| view! { <Loading what="the participation status"/> }>
                {move || Suspend::new(async move {
                    match lookup.await {
                        Ok(Some(r)) => view! { <LookupResult result=r/> }.into_any(),
                        Ok(None) => ().into_any(),
                        // 400 and 404 are shown at the field; anything else here.
                        Err(ClientError::Api { status: 400 | 404, .. }) => ().into_any(),
                        Err(e) => {
                            let errors = ArcRwSignal::new(Errors::default());
                            errors.update(|x| x.insert_with_default_key(e));
                            view! { <LoadError errors/> }.into_any()
                        }
                    }
                })}
            </Transition>
        </Shell>
    }
}

#[component]
fn LookupResult(result: NpiEligibilityResponse) -> impl IntoView {
    let d = result.data;
    let y = d.performance_year;
    let count = d.organizations.len();
    let qp = d.qp_status.clone();
    view! {
        <section class="lookup-result" aria-labelledby="lookup-result-heading">
            <h2 id="lookup-result-heading" class="ds-text-heading--2xl">{format!("{} {} — NPI {}", d.first_name, d.last_name, d.npi)}</h2>
            <p>{format!("Performance year {y}: {count} {}.", if count == 1 { "practice" } else { "practices" })}</p>
            {d.organizations.into_iter().map(|o| {
                let exclusion = exclusion_of(Some(&qp), d.newly_enrolled, o.individual_scenario.mips_eligible_switch);
                view! { <OrganizationStatus org=o exclusion/> }
            }).collect_view()}
            <p>{crate::domain::determination::qp_status_line(&qp)}</p>
        </section>
    }
}

#[component]
fn OrganizationStatus(org: OrganizationEligibility, exclusion: Option<Exclusion>) -> impl IntoView {
    let individual = lines(Level::Individual, &org.individual_scenario, exclusion);
    let group = lines(Level::Group, &org.group_scenario, None);
    view! {
        <article class="lookup-org">
            <h3 class="ds-text-heading--xl">{org.prvdr_org_name.clone()}</h3>
            <p class="practice-card__meta">{format!("TIN: {} | {}, {}, {} {}", org.tin, org.address_line_one, org.city, org.state, crate::domain::format::format_zip(&org.zip))}</p>
            <div class="lookup-levels">
                <div><h4 class="ds-text-heading--lg">"As an individual"</h4>{individual}</div>
                <div><h4 class="ds-text-heading--lg">"The practice, as a group"</h4>{group}</div>
            </div>
        </article>
    }
}

fn lines(level: Level, s: &EligibilityScenario, exclusion: Option<Exclusion>) -> impl IntoView {
    let mips = match level {
        Level::Individual => s.is_eligible.individual,
        Level::Group => s.is_eligible.group,
    };
    let st = level_status(level, mips.unwrap_or(false), s.is_opt_in_eligible, exclusion, s.is_opted_in);
    // Special statuses belong to the level (small practice is the TIN's).
    let statuses: Vec<_> = s.special_statuses.statuses().into_iter().map(|s| s.label()).collect();
    let statuses = if statuses.is_empty() { "None".to_string() } else { statuses.join(", ") };
    view! {
        <ul class="lookup-lines">
            <li>{st.eligibility}</li>
            <li>{st.opt_in}</li>
            {st.election.map(|e| view! { <li>{e}</li> })}
            <li>{format!("Special statuses: {statuses}")}</li>
        </ul>
    }
}
