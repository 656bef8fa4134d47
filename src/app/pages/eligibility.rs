use super::election::InterplayNote;
use super::params::use_selected_year;
use crate::api::endpoints;
use crate::api::{
    ClinicianCard, ConnectionsResponse, PerformanceYearInfo, PerformanceYearsResponse, PracticeCard, PracticesResponse,
    RegistryKind,
};
use crate::app::client::{self, ClientError};
use crate::app::components::{
    EligibilityFacts, LoadError, Loading, LowVolumePicture, PageHeading, RequireSignIn, Shell, StatusBadge, YearSelect,
};
use crate::app::context::use_app;
use crate::domain::format::{format_count, name_matches};
use crate::domain::lvt::assumed_threshold_notice;
use crate::domain::time::format_iso_date;
use crate::domain::{csv, ElectionRefusal, LowVolumeStatus, PerformanceYear, WindowPhase, WindowSource};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tab {
    Registries,
    VirtualGroups,
    ApmEntities,
    Practices,
}

impl Tab {
    fn slug(self) -> &'static str {
        match self {
            Tab::Registries => "registries",
            Tab::VirtualGroups => "virtual-groups",
            Tab::ApmEntities => "apm-entities",
            Tab::Practices => "practices",
        }
    }
    fn label(self) -> &'static str {
        match self {
            Tab::Registries => "Registries",
            Tab::VirtualGroups => "Virtual Groups",
            Tab::ApmEntities => "APM Entities",
            Tab::Practices => "Practices",
        }
    }
    fn from_slug(s: &str) -> Tab {
        [Tab::Registries, Tab::VirtualGroups, Tab::ApmEntities]
            .into_iter()
            .find(|t| t.slug() == s)
            .unwrap_or(Tab::Practices)
    }
}

/// The page's content; the router puts it in `SignedInPage`.
#[component]
pub fn EligibilityReporting() -> impl IntoView {
    let app = use_app();
    let year = use_selected_year();
    let query = use_query_map();
    let tab = Memo::new(move |_| Tab::from_slug(&query.read().get("tab").unwrap_or_default()));
    let practices = LocalResource::new(move || {
        let y = year.get();
        async move {
            match y {
                Some(y) => client::call(&endpoints::PRACTICES, &[], &client::year_query(y), None).await.map(Some),
                None => Ok(None),
            }
        }
    });
    let connections = LocalResource::new(move || {
        let y = year.get();
        async move {
            match y {
                Some(y) => client::call(&endpoints::CONNECTIONS, &[], &client::year_query(y), None).await.map(Some),
                None => Ok(None),
            }
        }
    });
    let navigate = use_navigate();
    let choose_year = move |y: PerformanceYear| {
        navigate(&format!("/eligibility?year={y}&tab={}", tab.get_untracked().slug()), Default::default())
    };

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
                        Ok::<_, ClientError>(view! {
                            <YearSelect years=years.years.clone() selected=y on_change=choose_year/>
                            {info.map(|info| view! { <YearNotices info/> })}
                        })
                    })
                }}
            </ErrorBoundary>
        </Transition>
        <Transition fallback=|| view! { <Loading what="your connections"/> }>
            <ErrorBoundary fallback=|errors| view! { <LoadError errors/> }>
                {move || {
                    let current = tab.get();
                    Suspend::new(async move {
                        let Some(c) = connections.await? else { return Ok::<_, ClientError>(None) };
                        Ok(Some(view! { <Tabs connections=c.clone() current/><OtherTab connections=c current/> }))
                    })
                }}
            </ErrorBoundary>
        </Transition>
        <Show when=move || tab.get() == Tab::Practices>
            <PracticesTab practices/>
        </Show>
    }
}

/// The window of the year and the data runs its statuses come from.
#[component]
fn YearNotices(info: PerformanceYearInfo) -> impl IntoView {
    let y = info.performance_year;
    let window_text = match &info.window {
        Some(w) => w.phase_sentence(info.window_phase.unwrap_or(WindowPhase::Closed)),
        None => format!("No election period has been announced for the {y} performance year yet."),
    };
    let assumed = assumed_threshold_notice(y).map(|text| view! { <p class="ds-c-alert__text">{text}</p> });
    let demo = info
        .window
        .clone()
        .filter(|w| w.source == WindowSource::Demo)
        .map(|w| view! { <p class="demo-flag">{w.note}</p> });
    let runs = info.data_runs.clone();
    view! {
        <div class="ds-c-alert window-notice" role="region" aria-label="Election period and eligibility data">
            <div class="ds-c-alert__body">
                <p class="ds-c-alert__text">{window_text}</p>
                {demo}
                {assumed}
                {if runs.is_empty() {
                    view! { <p class="ds-c-alert__text">{format!("No eligibility data runs are recorded for {y}; statuses come from the data loaded for this year.")}</p> }.into_any()
                } else {
                    view! {
                        <p class="ds-c-alert__text">{format!("The QPP Participation Status Tool currently includes the following Performance Year (PY) {y} eligibility data:")}</p>
                        <ul class="ds-c-list data-runs">
                            {runs.into_iter().rev().map(|r| view! {
                                <li><strong>{format_iso_date(&r.released_on).unwrap_or(r.released_on.clone())}{format!(" (run {}): ", r.run_number)}</strong>{r.description}</li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </div>
        </div>
    }
}

/// Tabs are links (each tab is an address); a tab shows only when the user has that kind.
#[component]
fn Tabs(connections: ConnectionsResponse, current: Tab) -> impl IntoView {
    let y = connections.performance_year;
    let mut tabs = vec![];
    if !connections.registries.is_empty() {
        tabs.push(Tab::Registries);
    }
    if !connections.virtual_groups.is_empty() {
        tabs.push(Tab::VirtualGroups);
    }
    if !connections.apm_entities.is_empty() {
        tabs.push(Tab::ApmEntities);
    }
    tabs.push(Tab::Practices);
    view! {
        <nav class="er-tabs" aria-label="Eligibility & Reporting">
            <ul role="list">
                {tabs.into_iter().map(|t| view! {
                    <li><a class="er-tabs__tab" href=format!("/eligibility?year={y}&tab={}", t.slug()) aria-current=(t == current).then_some("page")>{t.label()}</a></li>
                }).collect_view()}
            </ul>
        </nav>
    }
}

/// One read-only organization (APM Entity, virtual group, registry) on its tab.
fn org_card(name: String, meta: String, is_demo: bool, lines: Vec<String>) -> impl IntoView {
    let label = name.clone();
    view! {
        <li><article class="practice-card practice-card--plain" aria-label=label>
            <div class="practice-card__main">
                <h3 class="ds-text-heading--xl practice-card__name">{name}</h3>
                <p class="practice-card__meta">{meta}{is_demo.then(|| view! { <span class="demo-tag">"Demo data"</span> })}</p>
                {lines.into_iter().map(|l| view! { <p>{l}</p> }).collect_view()}
            </div>
        </article></li>
    }
}

fn tins(list: &[crate::domain::Tin]) -> String {
    list.iter().map(|t| t.to_string()).collect::<Vec<_>>().join(", ")
}

/// The read-only tabs: a heading, what the rules say about electing, and the organizations.
fn org_tab(title: &'static str, note: Option<(&'static str, String)>, cards: impl IntoView) -> AnyView {
    view! {
        <section aria-labelledby="tab-heading">
            <h2 id="tab-heading" class="ds-text-heading--2xl">{title}</h2>
            {note.map(|(class, text)| view! { <p class=format!("ds-c-alert tab-note {class}")>{text}</p> })}
            <ul class="practice-list">{cards}</ul>
        </section>
    }
    .into_any()
}

#[component]
fn OtherTab(connections: ConnectionsResponse, current: Tab) -> impl IntoView {
    let y = connections.performance_year;
    match current {
        Tab::Practices => ().into_any(),
        Tab::ApmEntities => org_tab(
            "APM Entities",
            Some(("ds-c-alert--warn", format!("{} Their participants report through the entity, or as groups and individuals.", ElectionRefusal::ApmEntity.reason()))),
            connections
                .apm_entities
                .into_iter()
                .map(|a| org_card(a.name, format!("APM Entity ID: {} | {} | {}", a.entity_id, a.apm_name, a.track), a.is_demo, vec![format!("Participant TINs: {}", tins(&a.participant_tins))]))
                .collect_view(),
        ),
        Tab::VirtualGroups => org_tab(
            "Virtual Groups",
            Some(("", ElectionRefusal::VirtualGroup.reason())),
            connections
                .virtual_groups
                .into_iter()
                .map(|v| {
                    let elected = format_iso_date(&v.elected_on).unwrap_or(v.elected_on.clone());
                    org_card(
                        v.name,
                        format!("Virtual group ID: {} | {y}", v.vg_id),
                        v.is_demo,
                        vec![
                            format!("Virtual-group election made on {elected}; it counts as the opt-in election of its members."),
                            format!("Member TINs: {}", tins(&v.member_tins)),
                        ],
                    )
                })
                .collect_view(),
        ),
        Tab::Registries => org_tab(
            "Registries",
            None,
            connections
                .registries
                .into_iter()
                .map(|r| {
                    let kind = match r.kind {
                        RegistryKind::Qcdr => "QCDR",
                        RegistryKind::QualifiedRegistry => "Qualified Registry",
                    };
                    let label = r.name.clone();
                    let href = format!("/registries/{}?year={y}", r.registry_id);
                    view! {
                        {org_card(r.name, format!("TIN: {} | {kind}", r.tin), r.is_demo, vec![])}
                        <li class="org-action"><a class="ds-c-button ds-c-button--solid" href=href aria-label=format!("Start Reporting for {label}")>"Start Reporting"</a></li>
                    }
                })
                .collect_view(),
        ),
    }
}

#[component]
fn PracticesTab(practices: LocalResource<Result<Option<PracticesResponse>, ClientError>>) -> impl IntoView {
    let search = RwSignal::new(String::new());
    view! {
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
        csv::row(&[
            data.performance_year.to_string(),
            tin.to_string(),
            npi.to_string(),
            practice.to_string(),
            clinician.to_string(),
            status,
            e.figures.medicare_patients.to_string(),
            yes_no(e.assessment.exceeds_medicare_patients),
            format!("{}.{:02}", e.figures.allowed_charges_cents / 100, e.figures.allowed_charges_cents % 100),
            yes_no(e.assessment.exceeds_allowed_charges),
            e.figures.covered_services.to_string(),
            yes_no(e.assessment.exceeds_covered_services),
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
fn PracticeList(data: PracticesResponse, search: RwSignal<String>) -> impl IntoView {
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
fn entity_actions(
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
fn PracticeCardView(card: PracticeCard) -> impl IntoView {
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
fn PracticeDetailsBody() -> impl IntoView {
    let tin = super::params::use_tin_param();
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
fn ClinicianRow(card: ClinicianCard) -> impl IntoView {
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
        "Can't report as an individual with an election: exceeds none of the low-volume criteria, so not opt-in eligible. May report voluntarily without an election.",
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
