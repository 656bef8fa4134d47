use super::{use_selected_year, use_tin_param};
use crate::api::{paths, ApiErrorDetail, ElectionChannel, ElectionRecord, ElectionRequest, ElectionResponse, PracticeCard};
use crate::app::client::{self, ClientError};
use crate::app::components::{ConfirmElectionDialog, LoadError, Loading, PageHeading, PracticeFacts, RequireSignIn, Shell, StatusBadge};
use crate::app::use_app;
use crate::domain::{Election, LowVolumeStatus, PerformanceYear};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

/// Loads the practice card named by the route (`:tin`, `?year=`).
fn practice_resource() -> LocalResource<Result<Option<PracticeCard>, ClientError>> {
    let tin = use_tin_param();
    let year = use_selected_year();
    LocalResource::new(move || {
        let (t, y) = (tin.get(), year.get());
        async move {
            match (t, y) {
                (Err(m), _) => Err(ClientError::Api { status: 400, error: ApiErrorDetail { kind: "InvalidFormatTin".into(), message: m, details: vec![] } }),
                (Ok(t), Some(y)) => client::get::<PracticeCard>(&format!("{}?year={y}", paths::practice(t.as_str()))).await.map(Some),
                (Ok(_), None) => Ok(None),
            }
        }
    })
}

/// Shows `page` for the loaded card, with loading and error states.
fn with_card<V: IntoView + 'static>(page: impl Fn(PracticeCard) -> V + Send + Sync + Copy + 'static) -> impl IntoView {
    let card = practice_resource();
    view! {
        <Transition fallback=|| view! { <Loading what="the practice"/> }>
            <ErrorBoundary fallback=|errors| view! { <LoadError errors/> }>
                {move || Suspend::new(async move { card.await.map(|c| c.map(page)) })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn EntitySummary(card: PracticeCard) -> impl IntoView {
    view! {
        <section class="entity-summary" aria-labelledby="entity-name">
            <h2 id="entity-name" class="ds-text-heading--2xl">{card.name.clone()}</h2>
            <p class="practice-card__meta">{format!("TIN: {} | {}", card.tin, card.address.one_line())}</p>
            <StatusBadge status=card.status/>
        </section>
    }
}

#[component]
pub fn GroupReportingOptions() -> impl IntoView {
    view! {
        <RequireSignIn><Shell>
            <PageHeading text="Group Reporting Options"/>
            <p class="lede">"To participate in MIPS, you must decide whether you will " <strong>"opt-in"</strong> " or " <strong>"report voluntarily"</strong> " before any data can be submitted."</p>
            {with_card(|card| view! { <GroupOptions card/> })}
        </Shell></RequireSignIn>
    }
}

#[component]
fn GroupOptions(card: PracticeCard) -> impl IntoView {
    let year: PerformanceYear = card.performance_year;
    let tin = card.tin.clone();
    let open = RwSignal::new(None::<Election>);
    let server_error = RwSignal::new(None::<String>);
    let elect = Action::new_local(move |(election, typed): &(Election, String)| {
        let req = ElectionRequest { performance_year: year, tin: tin.clone(), npi: None, election: *election, confirmation: typed.clone() };
        async move { client::post::<_, ElectionResponse>(paths::ELECTIONS, &req).await }
    });
    let navigate = use_navigate();
    let confirmed_url = format!("/practices/{}/election-confirmed?year={year}", card.tin);
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

    let allowed = card.can_elect.allowed;
    let refusal = card.can_elect.reason.clone().map(|r| {
        let overview = card.election.as_ref().map(|_| view! {
            <p><a class="ds-c-link" href=format!("/practices/{}/overview?year={year}", card.tin)>"View the Reporting Overview"</a></p>
        });
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
    let options = Election::ALL.into_iter().map(|e| {
        let id = format!("option-{}", e.code().to_lowercase());
        let labelled_by = id.clone();
        view! {
            <section class="election-option" aria-labelledby=labelled_by>
                <h3 id=id class="ds-text-heading--xl">{e.option_heading()}</h3>
                <p>{e.option_description(year)}</p>
                {allowed.then(|| view! {
                    <button type="button" class="ds-c-button ds-c-button--solid" on:click=move |_| open.set(Some(e))>{e.label()}</button>
                })}
            </section>
        }
    }).collect_view();
    let apm_note = (card.mips_apm_participant && card.low_volume_status == LowVolumeStatus::OptInEligible).then(|| view! {
        <p class="note">"This practice includes clinicians who participate in a MIPS APM. After an Opt-In you can report traditional MIPS or the APM Performance Pathway (APP); the APP can't be reported voluntarily."</p>
    });
    view! {
        <EntitySummary card=card.clone()/>
        {refusal}
        <div class="election-options">{options}</div>
        {apm_note}
        <p class="reminder"><strong>"Reminder: "</strong>"If your practice is participating as a group, you don't need to make an election for individual clinicians unless they are also submitting individual data."</p>
        <p><a class="ds-c-button ds-c-button--ghost" href=format!("/eligibility?year={year}")>"Cancel and Go Back"</a></p>
        <ConfirmElectionDialog open entity_name=card.name.clone() year
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
    view! {
        <RequireSignIn><Shell>
            <PageHeading text="Your Election Is Confirmed"/>
            {with_card(|card| {
                let y = card.performance_year;
                match card.election.clone() {
                    Some(e) => view! {
                        <div class="ds-c-alert ds-c-alert--success" role="status">
                            <div class="ds-c-alert__body">
                                <h2 class="ds-c-alert__heading">{format!("{} elected to {}", card.name, e.election.label())}</h2>
                                <p class="ds-c-alert__text">{format!("The election for the {y} performance year was recorded on {}. It is final and can't be changed.", e.elected_at.format_eastern())}</p>
                            </div>
                        </div>
                        <EntitySummary card=card.clone()/>
                        <ElectionFacts election=e/>
                        <p><a class="ds-c-button ds-c-button--solid" href=format!("/practices/{}/overview?year={y}", card.tin)>"Start Reporting"</a></p>
                    }.into_any(),
                    None => view! {
                        <p>{format!("No election is recorded for {} in {y}.", card.name)}</p>
                        <p><a class="ds-c-link" href=format!("/practices/{}/group-options?year={y}", card.tin)>"Group Reporting Options"</a></p>
                    }.into_any(),
                }
            })}
        </Shell></RequireSignIn>
    }
}

#[component]
pub fn ReportingOverview() -> impl IntoView {
    view! {
        <RequireSignIn><Shell>
            <PageHeading text="Reporting Overview"/>
            {with_card(|card| view! { <OverviewBody card/> })}
        </Shell></RequireSignIn>
    }
}

#[component]
fn OverviewBody(card: PracticeCard) -> impl IntoView {
    let app = use_app();
    let y = card.performance_year;
    let window = move || app.years.get().and_then(|r| r.ok()).and_then(|ys| ys.years.into_iter().find(|i| i.performance_year == y)).and_then(|i| i.window);
    let participation = match (&card.election, card.low_volume_status) {
        (Some(e), _) => view! {
            <h3 class="ds-text-heading--xl">"Election"</h3>
            <ElectionFacts election=e.clone()/>
            <p>{match e.election {
                Election::OptIn => "As an opt-in, the practice is MIPS eligible for this year: it receives a MIPS final score and payment adjustment based on the data submitted — or a low score if no data is submitted.",
                Election::ReportVoluntarily => "As a voluntary reporter, the practice receives performance feedback but no MIPS payment adjustment.",
            }}</p>
        }.into_any(),
        (None, LowVolumeStatus::OptInEligible) => view! {
            <p>"No election has been made. The practice is opt-in eligible: its data can be submitted only after it elects to opt in or report voluntarily."</p>
            <p><a class="ds-c-link" href=format!("/practices/{}/group-options?year={y}", card.tin)>"Group Reporting Options"</a></p>
        }.into_any(),
        (None, LowVolumeStatus::MipsEligible) => view! {
            <p>"The practice exceeds the low-volume threshold and is MIPS eligible: no election is needed, and data can be submitted."</p>
        }.into_any(),
        (None, LowVolumeStatus::NotOptInEligible) => view! {
            <p>"The practice is exempt and not opt-in eligible. It may report voluntarily without an election."</p>
        }.into_any(),
    };
    view! {
        <EntitySummary card=card.clone()/>
        <section class="overview-section" aria-labelledby="participation-heading">
            <h2 id="participation-heading" class="ds-text-heading--2xl">{format!("Performance Year {y}")}</h2>
            {participation}
            <h3 class="ds-text-heading--xl">"Eligibility"</h3>
            <p>{card.status_explanation.clone()}</p>
            <PracticeFacts card=card.clone()/>
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
