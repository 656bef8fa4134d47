//! Group and Individual Reporting Options: the election itself.

use super::entity::*;
use crate::api::endpoints;
use crate::api::ElectionRequest;
use crate::app::client::{self};
use crate::app::components::ConfirmElectionDialog;
use crate::domain::{Election, LowVolumeStatus};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

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
pub(super) fn ElectionOptions(entity: EntityView) -> impl IntoView {
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
    // The APP exists from 2021: before it there is nothing to choose after an Opt-In.
    let apm_note = (e.mips_apm_participant && e.low_volume_status == LowVolumeStatus::OptInEligible && year.has_app()).then(|| view! {
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
