//! The entity (practice or clinician) an election page is about, loaded from the route, and the
//! page frame and parts every election page shares.

use super::super::params::use_selected_year;
use crate::api::endpoints;
use crate::api::{ApiErrorDetail, ClinicianCard, EntityEligibility, PracticeCard};
use crate::app::client::{self, ClientError};
use crate::app::components::{LoadError, Loading, PageHeading, RequireSignIn, Shell, StatusBadge};
use crate::domain::{Npi, PerformanceYear, Tin};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// An entity as the election pages show it.
#[derive(Clone, Debug, PartialEq)]
pub struct EntityView {
    pub year: PerformanceYear,
    pub tin: Tin,
    pub npi: Option<Npi>,
    pub name: String,
    pub subtitle: String,
    pub eligibility: EntityEligibility,
}

impl EntityView {
    pub fn from_practice(c: PracticeCard) -> EntityView {
        EntityView {
            year: c.performance_year,
            subtitle: format!("TIN: {} | {}", c.tin, c.address.one_line()),
            tin: c.tin,
            npi: None,
            name: c.name,
            eligibility: c.eligibility,
        }
    }
    pub fn from_clinician(c: ClinicianCard) -> EntityView {
        EntityView {
            year: c.performance_year,
            name: c.full_name(),
            subtitle: format!("NPI: {} | TIN: {} | {}", c.npi, c.tin, c.practice_name),
            tin: c.tin,
            npi: Some(c.npi),
            eligibility: c.eligibility,
        }
    }
    fn base(&self) -> String {
        match &self.npi {
            None => format!("/practices/{}", self.tin),
            Some(n) => format!("/practices/{}/clinicians/{n}", self.tin),
        }
    }
    pub fn href(&self, page: &str) -> String {
        format!("{}/{page}?year={}", self.base(), self.year)
    }
    pub fn options_href(&self) -> String {
        self.href(if self.npi.is_some() { "individual-options" } else { "group-options" })
    }
    /// Where "Start Reporting" leads: Reporting Options while a MIPS APM participant still has a
    /// pathway to choose, else the Reporting Overview.
    pub fn start_reporting_href(&self) -> String {
        if self.eligibility.pathway.is_none() && !self.eligibility.offered_pathways.is_empty() {
            self.href("reporting-options")
        } else {
            self.href("overview")
        }
    }
}

pub(super) fn bad_request(message: String) -> ClientError {
    ClientError::Api {
        status: 400,
        error: ApiErrorDetail { kind: "InvalidParameter".into(), message, details: vec![] },
    }
}

/// Loads the entity named by the route (`:tin`, optional `:npi`, `?year=`).
pub(super) fn entity_resource() -> LocalResource<Result<Option<EntityView>, ClientError>> {
    let params = use_params_map();
    let year = use_selected_year();
    LocalResource::new(move || {
        let (tin, npi, y) = (params.read().get("tin").unwrap_or_default(), params.read().get("npi"), year.get());
        async move {
            let tin = Tin::parse(&tin).map_err(|e| bad_request(e.0))?;
            let Some(y) = y else { return Ok(None) };
            match npi {
                None => client::call(&endpoints::PRACTICE, &[tin.as_str()], &client::year_query(y), None)
                    .await
                    .map(|c| Some(EntityView::from_practice(c))),
                Some(n) => {
                    let npi = Npi::parse(&n).map_err(|e| bad_request(e.0))?;
                    client::call(&endpoints::CLINICIAN, &[tin.as_str(), npi.as_str()], &client::year_query(y), None)
                        .await
                        .map(|c| Some(EntityView::from_clinician(c)))
                }
            }
        }
    })
}

/// Shows `page` for the loaded entity, with loading and error states.
pub(super) fn with_entity<V: IntoView + 'static>(
    page: impl Fn(EntityView) -> V + Send + Sync + Copy + 'static,
) -> impl IntoView {
    let entity = entity_resource();
    view! {
        <Transition fallback=|| view! { <Loading what="eligibility"/> }>
            <ErrorBoundary fallback=|errors| view! { <LoadError errors/> }>
                {move || Suspend::new(async move { entity.await.map(|e| e.map(page)) })}
            </ErrorBoundary>
        </Transition>
    }
}

/// A signed-in page about one practice or clinician: its heading, then `body` once the
/// entity's eligibility has loaded.
pub(super) fn entity_page<V: IntoView + 'static>(
    title: impl Into<Signal<String>>, body: impl Fn(EntityView) -> V + Send + Sync + Copy + 'static,
) -> impl IntoView {
    let title = title.into();
    view! {
        <RequireSignIn><Shell>
            <PageHeading text=title/>
            {with_entity(body)}
        </Shell></RequireSignIn>
    }
}

pub(super) fn is_individual_route() -> Memo<bool> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get("npi").is_some())
}

#[component]
pub(super) fn EntitySummary(entity: EntityView) -> impl IntoView {
    view! {
        <section class="entity-summary" aria-labelledby="entity-name">
            <h2 id="entity-name" class="ds-text-heading--2xl">{entity.name.clone()}</h2>
            <p class="practice-card__meta">{entity.subtitle.clone()}</p>
            <StatusBadge status=entity.eligibility.status/>
        </section>
    }
}

/// The guide's explanation of how group and individual elections interact.
#[component]
pub fn InterplayNote() -> impl IntoView {
    view! {
        <div class="ds-c-alert interplay" role="region" aria-label="Group and individual elections">
            <div class="ds-c-alert__body">
                <h2 class="ds-c-alert__heading">"Group and individual elections"</h2>
                <p class="ds-c-alert__text">"If your practice is participating as a group, you don't need to make an election for individual clinicians unless they are also submitting individual data. A clinician who is opt-in eligible as an individual can elect separately. If both the practice and the clinician opt in, the clinician gets the higher of the two final scores and its payment adjustment."</p>
            </div>
        </div>
    }
}
