//! Practice Details: the practice's clinicians and their individual eligibility.

use super::super::election::InterplayNote;
use super::super::params::use_selected_year;
use super::practices::*;
use crate::api::endpoints;
use crate::api::ClinicianCard;
use crate::app::client::{self, ClientError};
use crate::app::components::{
    EligibilityFacts, LoadError, Loading, LowVolumePicture, PageHeading, RequireSignIn, Shell, StatusBadge,
};
use leptos::prelude::*;

/// Practice Details: the practice and its connected clinicians, each with their own
/// eligibility as an individual and the way to elect for those who are opt-in eligible.
#[component]
pub fn PracticeDetails() -> impl IntoView {
    view! {
        <RequireSignIn><Shell>
            <PageHeading text="Practice Details"/>
            <PracticeDetailsBody/>
        </Shell></RequireSignIn>
    }
}

#[component]
pub(super) fn PracticeDetailsBody() -> impl IntoView {
    let tin = super::super::params::use_tin_param();
    let year = use_selected_year();
    let data = LocalResource::new(move || {
        let (t, y) = (tin.get(), year.get());
        async move {
            match (t, y) {
                (Ok(t), Some(y)) => {
                    client::call(&endpoints::CLINICIANS, &[t.as_str()], &client::year_query(y), None).await.map(Some)
                }
                (Err(m), _) => Err(ClientError::Api {
                    status: 400,
                    error: crate::api::ApiErrorDetail { kind: "InvalidFormatTin".into(), message: m, details: vec![] },
                }),
                _ => Ok(None),
            }
        }
    });
    view! {
        <Transition fallback=|| view! { <Loading what="clinicians"/> }>
            <ErrorBoundary fallback=|errors| view! { <LoadError errors/> }>
                {move || Suspend::new(async move {
                    let Some(d) = data.await? else { return Ok::<_, ClientError>(None) };
                    let p = d.practice.clone();
                    let y = p.performance_year;
                    Ok(Some(view! {
                        <section class="entity-summary" aria-labelledby="entity-name">
                            <h2 id="entity-name" class="ds-text-heading--2xl">{p.name.clone()}</h2>
                            <p class="practice-card__meta">{format!("TIN: {} | {} | Performance Year {y}", p.tin, p.address.one_line())}</p>
                            <StatusBadge status=p.eligibility.status/>
                        </section>
                        <InterplayNote/>
                        <section aria-labelledby="clinicians" class="clinicians">
                            <h2 id="clinicians" class="ds-text-heading--2xl" tabindex="-1">"Connected Clinicians"</h2>
                            <p>"You will see View Individual Options only for a clinician who is opt-in eligible as an individual. Clinicians who are MIPS eligible see Start Reporting."</p>
                            <ul class="practice-list">
                                {d.clinicians.into_iter().map(|c| view! { <li><ClinicianRow card=c/></li> }).collect_view()}
                            </ul>
                        </section>
                        <p><a class="ds-c-link" href=format!("/eligibility?year={y}")>"Back to Eligibility & Reporting"</a></p>
                    }))
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
pub(super) fn ClinicianRow(card: ClinicianCard) -> impl IntoView {
    let y = card.performance_year;
    let name = card.full_name();
    let base = format!("/practices/{}/clinicians/{}", card.tin, card.npi);
    let e = card.eligibility.clone();
    let heading_id = format!("clinician-{}", card.npi);
    let labelled_by = heading_id.clone();
    let action = entity_actions(
        &base,
        y,
        &name,
        &e,
        ("individual-options", "View Individual Options"),
        "Not opt-in eligible as an individual (CMS's determination): no individual election can be made. May report voluntarily without an election.",
    );
    view! {
        <article class="practice-card" aria-labelledby=labelled_by>
            <div class="practice-card__main">
                <h3 class="ds-text-heading--xl practice-card__name" id=heading_id>{name.clone()}</h3>
                <p class="practice-card__meta">{format!("NPI: {} | TIN: {}", card.npi, card.tin)}</p>
                <StatusBadge status=e.status/>
                <p class="practice-card__explanation">{e.status_explanation.clone()}</p>
                <LowVolumePicture eligibility=e.clone() id=format!("lvt-{}", card.npi)/>
                <EligibilityFacts eligibility=e.clone()/>
                {e.mips_apm_participant.then(|| view! { <p class="practice-note">"Participates in a MIPS APM."</p> })}
            </div>
            <div class="practice-card__actions">{action}</div>
        </article>
    }
}
