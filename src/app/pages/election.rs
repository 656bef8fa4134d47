//! The election pages, written once for both kinds of entity: a practice reporting as a group
//! (TIN) and a clinician reporting as an individual (TIN/NPI). The routes differ; the pages,
//! the dialog and the rules are the same.

use super::params::use_selected_year;
use crate::api::endpoints;
use crate::api::{
    ApiErrorDetail, ClinicianCard, ElectionChannel, ElectionRecord, ElectionRequest, EntityEligibility, PathwayRequest,
    PracticeCard,
};
use crate::app::client::{self, ClientError};
use crate::app::components::{
    ConfirmElectionDialog, EligibilityFacts, ErrorSummary, FieldError, LoadError, Loading, LowVolumePicture,
    PageHeading, RequireSignIn, Shell, StatusBadge,
};
use crate::app::context::use_app;
use crate::domain::pathway::{needs_pathway_choice, PathwayRefusal};
use crate::domain::{check_pathway, Election, LowVolumeStatus, Npi, PerformanceYear, ReportingPathway, Tin};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};

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

fn bad_request(message: String) -> ClientError {
    ClientError::Api {
        status: 400,
        error: ApiErrorDetail { kind: "InvalidParameter".into(), message, details: vec![] },
    }
}

/// Loads the entity named by the route (`:tin`, optional `:npi`, `?year=`).
fn entity_resource() -> LocalResource<Result<Option<EntityView>, ClientError>> {
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
fn with_entity<V: IntoView + 'static>(page: impl Fn(EntityView) -> V + Send + Sync + Copy + 'static) -> impl IntoView {
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
fn entity_page<V: IntoView + 'static>(
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

fn is_individual_route() -> Memo<bool> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get("npi").is_some())
}

#[component]
fn EntitySummary(entity: EntityView) -> impl IntoView {
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

/// Group Reporting Options (`/practices/:tin/group-options`) and Individual Reporting Options
/// (`/practices/:tin/clinicians/:npi/individual-options`).
#[component]
pub fn ReportingOptionsPage() -> impl IntoView {
    let individual = is_individual_route();
    let title = Signal::derive(move || {
        if individual.get() {
            "Individual Reporting Options".to_string()
        } else {
            "Group Reporting Options".to_string()
        }
    });
    entity_page(title, |entity| {
        view! {
            <p class="lede">"To participate in MIPS, you must decide whether you will " <strong>"opt-in"</strong> " or " <strong>"report voluntarily"</strong> " before any data can be submitted."</p>
            <ElectionOptions entity/>
        }
    })
}

#[component]
fn ElectionOptions(entity: EntityView) -> impl IntoView {
    let year = entity.year;
    let (tin, npi) = (entity.tin.clone(), entity.npi.clone());
    let open = RwSignal::new(None::<Election>);
    let server_error = RwSignal::new(None::<String>);
    let elect = Action::new_local(move |(election, typed): &(Election, String)| {
        let req = ElectionRequest {
            performance_year: year,
            tin: tin.clone(),
            npi: npi.clone(),
            election: *election,
            confirmation: typed.clone(),
        };
        async move { client::call(&endpoints::ELECTIONS, &[], "", Some(&req)).await }
    });
    let navigate = use_navigate();
    let confirmed_url = entity.href("election-confirmed");
    Effect::new(move |_| match elect.value().get() {
        Some(Ok(_)) => {
            open.set(None);
            navigate(&confirmed_url, Default::default());
        }
        Some(Err(e)) => server_error.set(Some(e.to_string())),
        None => {}
    });
    // A fresh attempt starts without the previous attempt's error.
    Effect::new(move |_| {
        if open.get().is_some() {
            server_error.set(None);
        }
    });

    let e = &entity.eligibility;
    let allowed = e.can_elect.allowed;
    let refusal = e.can_elect.reason.clone().map(|r| {
        let overview = e.election.as_ref().map(
            |_| view! { <p><a class="ds-c-link" href=entity.href("overview")>"View the Reporting Overview"</a></p> },
        );
        view! {
            <div class="ds-c-alert ds-c-alert--warn" role="region" aria-label="Why you can't elect">
                <div class="ds-c-alert__body">
                    <h2 class="ds-c-alert__heading">"An election can't be made now"</h2>
                    <p class="ds-c-alert__text">{r}</p>
                    {overview}
                </div>
            </div>
        }
    });
    let options = Election::ALL
        .into_iter()
        .map(|el| {
            let id = format!("option-{}", el.code().to_lowercase());
            let labelled_by = id.clone();
            view! {
                <section class="election-option" aria-labelledby=labelled_by>
                    <h3 id=id class="ds-text-heading--xl">{el.option_heading()}</h3>
                    <p>{el.option_description(year)}</p>
                    {allowed.then(|| view! {
                        <button type="button" class="ds-c-button ds-c-button--solid" on:click=move |_| open.set(Some(el))>{el.label()}</button>
                    })}
                </section>
            }
        })
        .collect_view();
    let apm_note = (e.mips_apm_participant && e.low_volume_status == LowVolumeStatus::OptInEligible).then(|| view! {
        <p class="note">"This entity participates in a MIPS APM. After an Opt-In you choose between traditional MIPS and the APM Performance Pathway (APP). The APP can't be reported voluntarily."</p>
    });
    let back = if entity.npi.is_some() {
        format!("/practices/{}/clinicians?year={year}", entity.tin)
    } else {
        format!("/eligibility?year={year}")
    };
    view! {
        <EntitySummary entity=entity.clone()/>
        {refusal}
        <div class="election-options">{options}</div>
        {apm_note}
        <InterplayNote/>
        <p><a class="ds-c-button ds-c-button--ghost" href=back>"Cancel and Go Back"</a></p>
        <ConfirmElectionDialog open entity_name=entity.name.clone() year
            on_confirm=Callback::new(move |args: (Election, String)| { elect.dispatch(args); })
            pending=elect.pending()
            server_error=server_error/>
    }
}

fn channel_label(c: ElectionChannel) -> &'static str {
    match c {
        ElectionChannel::Web => "QPP website",
        ElectionChannel::Api => "Eligibility API",
        ElectionChannel::RegistryUpload => "Registry file upload",
    }
}

#[component]
fn ElectionFacts(election: ElectionRecord) -> impl IntoView {
    view! {
        <dl class="practice-facts">
            <div><dt>"Election:"</dt><dd>{election.election.label()}</dd></div>
            <div><dt>"Made on:"</dt><dd>{election.elected_at.format_eastern()}</dd></div>
            <div><dt>"Made by:"</dt><dd>{election.elected_by.clone()}</dd></div>
            <div><dt>"Made through:"</dt><dd>{channel_label(election.channel)}</dd></div>
        </dl>
    }
}

#[component]
pub fn ElectionConfirmed() -> impl IntoView {
    entity_page("Your Election Is Confirmed", |entity| {
        let y = entity.year;
        match entity.eligibility.election.clone() {
            Some(e) => {
                let next = if needs_pathway_choice(entity.eligibility.mips_apm_participant, e.election)
                    && entity.eligibility.pathway.is_none()
                {
                    Some(
                        view! { <p>"Next, choose how to report: traditional MIPS or the APM Performance Pathway (APP)."</p> },
                    )
                } else {
                    None
                };
                view! {
                            <div class="ds-c-alert ds-c-alert--success" role="status">
                                <div class="ds-c-alert__body">
                                    <h2 class="ds-c-alert__heading">{format!("{} elected to {}", entity.name, e.election.label())}</h2>
                                    <p class="ds-c-alert__text">{format!("The election for the {y} performance year was recorded on {}. It is final and can't be changed.", e.elected_at.format_eastern())}</p>
                                </div>
                            </div>
                            <EntitySummary entity=entity.clone()/>
                            <ElectionFacts election=e/>
                            {next}
                            <p><a class="ds-c-button ds-c-button--solid" href=entity.start_reporting_href()>"Start Reporting"</a></p>
                        }.into_any()
            }
            None => view! {
                <p>{format!("No election is recorded for {} in {y}.", entity.name)}</p>
                <p><a class="ds-c-link" href=entity.options_href()>"Reporting options"</a></p>
            }
            .into_any(),
        }
    })
}

/// Reporting Options (MIPS APM participants only): traditional MIPS or the APP.
#[component]
pub fn PathwayOptionsPage() -> impl IntoView {
    entity_page("Reporting Options", |entity| view! { <PathwayOptions entity/> })
}

#[component]
fn PathwayOptions(entity: EntityView) -> impl IntoView {
    let e = entity.eligibility.clone();
    let year = entity.year;
    let chosen = RwSignal::new(None::<ReportingPathway>);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let (tin, npi) = (entity.tin.clone(), entity.npi.clone());
    let save = Action::new_local(move |p: &ReportingPathway| {
        let req = PathwayRequest { performance_year: year, tin: tin.clone(), npi: npi.clone(), pathway: *p };
        async move { client::call(&endpoints::PATHWAYS, &[], "", Some(&req)).await }
    });
    let navigate = use_navigate();
    let overview = entity.href("overview");
    Effect::new(move |_| match save.value().get() {
        Some(Ok(_)) => navigate(&overview, Default::default()),
        Some(Err(err)) => errors.set(vec![FieldError { field_id: String::new(), message: err.to_string() }]),
        None => {}
    });
    if let Some(p) = e.pathway.clone() {
        return view! {
            <EntitySummary entity=entity.clone()/>
            <p>{format!("{} reports through {} (chosen on {} by {}).", entity.name, p.pathway.label(), p.chosen_at.format_eastern(), p.chosen_by)}</p>
            <p><a class="ds-c-button ds-c-button--solid" href=entity.href("overview")>"Reporting Overview"</a></p>
        }
        .into_any();
    }
    let election = e.election.as_ref().map(|x| x.election);
    // Why the APP is missing, when it is: the domain's words.
    let app_refusal = check_pathway(e.mips_apm_participant, e.low_volume_status, election, None, ReportingPathway::App)
        .err()
        .map(|r: PathwayRefusal| r.reason());
    let offered = e.offered_pathways.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match chosen.get_untracked() {
            Some(p) => {
                errors.set(vec![]);
                save.dispatch(p);
            }
            None => errors.set(vec![FieldError {
                field_id: format!("pathway-{}", offered.first().map(|p| p.code().to_lowercase()).unwrap_or_default()),
                message: "Choose how you will report.".into(),
            }]),
        }
    };
    view! {
        <EntitySummary entity=entity.clone()/>
        <ErrorSummary errors=errors/>
        {(e.offered_pathways.is_empty()).then(|| view! {
            <p>{app_refusal.clone().unwrap_or_else(|| "There is no reporting pathway to choose for this entity.".into())}</p>
        })}
        {(!e.offered_pathways.is_empty()).then(|| view! {
            <form on:submit=submit novalidate>
                <fieldset class="ds-c-fieldset">
                    <legend class="ds-c-label">{format!("How will {} report for {}?", entity.name, year)}</legend>
                    {e.offered_pathways.clone().into_iter().map(|p| {
                        let id = format!("pathway-{}", p.code().to_lowercase());
                        let hint = format!("{id}-hint");
                        view! {
                            <div class="ds-c-choice-wrapper">
                                <input class="ds-c-choice" type="radio" name="pathway" id=id.clone() aria-describedby=hint.clone()
                                    prop:checked=move || chosen.get() == Some(p) on:change=move |_| chosen.set(Some(p))/>
                                <label class="ds-c-label" for=id>{p.label()}</label>
                                <p class="ds-c-hint" id=hint>{p.description()}</p>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                {app_refusal.clone().map(|r| view! { <p class="note">{r}</p> })}
                <button type="submit" class="ds-c-button ds-c-button--solid save-pathway" aria-disabled=move || save.pending().get().then_some("true")>"Save Reporting Option"</button>
            </form>
        })}
    }
    .into_any()
}

#[component]
pub fn ReportingOverview() -> impl IntoView {
    entity_page("Reporting Overview", |entity| view! { <OverviewBody entity/> })
}

#[component]
fn OverviewBody(entity: EntityView) -> impl IntoView {
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
            (Some(p), _) => view! { <p>{format!("Reports through {} (chosen on {} by {}).", p.pathway.label(), p.chosen_at.format_eastern(), p.chosen_by)}</p> }.into_any(),
            (None, false) => view! {
                <p>"This MIPS APM participant has not yet chosen how to report."</p>
                <p><a class="ds-c-link" href=entity.href("reporting-options")>"Choose a reporting option"</a></p>
            }.into_any(),
            (None, true) => view! { <p>{check_pathway(true, e.low_volume_status, election, None, ReportingPathway::App).err().map(|r| r.reason()).unwrap_or_default()}</p> }.into_any(),
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
