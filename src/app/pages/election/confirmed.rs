//! Your Election Is Confirmed.

use super::entity::*;
use super::facts::*;
use crate::domain::pathway::needs_pathway_choice;
use leptos::prelude::*;

#[component]
pub fn ElectionConfirmed() -> impl IntoView {
    entity_page("Your Election Is Confirmed", |entity| {
        let y = entity.year;
        match entity.eligibility.election.clone() {
            Some(e) => {
                let next = if needs_pathway_choice(y, entity.eligibility.mips_apm_participant, e.election)
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
