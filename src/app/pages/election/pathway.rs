//! Reporting Options of a MIPS APM participant: traditional MIPS or the APP.

use super::entity::*;
use crate::api::endpoints;
use crate::api::PathwayRequest;
use crate::app::client::{self};
use crate::app::components::{ErrorSummary, FieldError};
use crate::domain::pathway::PathwayRefusal;
use crate::domain::{check_pathway, ReportingPathway};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

/// Reporting Options (MIPS APM participants only): traditional MIPS or the APP.
#[component]
pub fn PathwayOptionsPage() -> impl IntoView {
    entity_page("Reporting Options", |entity| view! { <PathwayOptions entity/> })
}

#[component]
pub(super) fn PathwayOptions(entity: EntityView) -> impl IntoView {
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
    let app_refusal =
        check_pathway(entity.year, e.mips_apm_participant, e.low_volume_status, election, None, ReportingPathway::App)
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
