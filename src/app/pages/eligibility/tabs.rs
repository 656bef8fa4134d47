//! The year's notices and the tabs of Eligibility & Reporting: practices and the read-only organizations.

use super::practices::*;
use crate::api::{ConnectionsResponse, PerformanceYearInfo, PracticesResponse, RegistryKind};
use crate::app::client::ClientError;
use crate::app::components::{LoadError, Loading};
use crate::domain::lvt::assumed_threshold_notice;
use crate::domain::time::format_iso_date;
use crate::domain::{ElectionRefusal, WindowPhase, WindowSource};
use leptos::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Tab {
    Registries,
    VirtualGroups,
    ApmEntities,
    Practices,
}

impl Tab {
    pub(super) fn slug(self) -> &'static str {
        match self {
            Tab::Registries => "registries",
            Tab::VirtualGroups => "virtual-groups",
            Tab::ApmEntities => "apm-entities",
            Tab::Practices => "practices",
        }
    }
    pub(super) fn label(self) -> &'static str {
        match self {
            Tab::Registries => "Registries",
            Tab::VirtualGroups => "Virtual Groups",
            Tab::ApmEntities => "APM Entities",
            Tab::Practices => "Practices",
        }
    }
    pub(super) fn from_slug(s: &str) -> Tab {
        [Tab::Registries, Tab::VirtualGroups, Tab::ApmEntities]
            .into_iter()
            .find(|t| t.slug() == s)
            .unwrap_or(Tab::Practices)
    }
}

/// The window of the year and the data runs its statuses come from.
#[component]
pub(super) fn YearNotices(info: PerformanceYearInfo) -> impl IntoView {
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
    let unconfirmed = info
        .window
        .clone()
        .filter(|w| w.source != WindowSource::Demo)
        .map(|w| view! { <p class="ds-c-alert__text"><strong>{w.source.evidence_label()}</strong>" "{w.note}</p> });
    let runs = info.data_runs.clone();
    view! {
        <div class="ds-c-alert window-notice" role="region" aria-label="Election period and eligibility data">
            <div class="ds-c-alert__body">
                <p class="ds-c-alert__text">{window_text}</p>
                {demo}
                {unconfirmed}
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
pub(super) fn Tabs(connections: ConnectionsResponse, current: Tab) -> impl IntoView {
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
pub(super) fn org_card(name: String, meta: String, is_demo: bool, lines: Vec<String>) -> impl IntoView {
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

pub(super) fn tins(list: &[crate::domain::Tin]) -> String {
    list.iter().map(|t| t.to_string()).collect::<Vec<_>>().join(", ")
}

/// The read-only tabs: a heading, what the rules say about electing, and the organizations.
pub(super) fn org_tab(title: &'static str, note: Option<(&'static str, String)>, cards: impl IntoView) -> AnyView {
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
pub(super) fn OtherTab(connections: ConnectionsResponse, current: Tab) -> impl IntoView {
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
                    let election = if v.elected_on.is_empty() {
                        "The virtual-group election counts as the opt-in election of its members (its date is not in CMS's eligibility data).".to_string()
                    } else {
                        let elected = format_iso_date(&v.elected_on).unwrap_or(v.elected_on.clone());
                        format!("Virtual-group election made on {elected}; it counts as the opt-in election of its members.")
                    };
                    org_card(
                        v.name,
                        format!("Virtual group ID: {} | {y}", v.vg_id),
                        v.is_demo,
                        vec![
                            election,
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
pub(super) fn PracticesTab(practices: LocalResource<Result<Option<PracticesResponse>, ClientError>>) -> impl IntoView {
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
