//! Eligibility & Reporting: the year, its notices, and the tabs.

use super::super::params::{use_selected_year, YearPanel};
use super::tabs::*;
use crate::api::endpoints;
use crate::app::client::{self, ClientError};
use crate::app::components::{LoadError, Loading, PageHeading};
use crate::domain::PerformanceYear;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

/// The page's content; the router puts it in `SignedInPage`.
#[component]
pub fn EligibilityReporting() -> impl IntoView {
    let year = use_selected_year();
    let query = use_query_map();
    let tab = Memo::new(move |_| Tab::from_slug(&query.read().get("tab").unwrap_or_default()));
    let practices = for_year(year, &endpoints::PRACTICES);
    let connections = for_year(year, &endpoints::CONNECTIONS);
    let navigate = use_navigate();
    let choose_year = move |y: PerformanceYear| {
        navigate(&format!("/eligibility?year={y}&tab={}", tab.get_untracked().slug()), Default::default())
    };

    view! {
        <PageHeading text="Eligibility & Reporting"/>
        <YearPanel year loading="performance years" on_change=choose_year details=|info| view! { <YearNotices info/> }/>
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

/// A GET of the selected year, read again whenever the year changes; `None` until a year is known.
fn for_year<Res: serde::de::DeserializeOwned + 'static>(
    year: Memo<Option<PerformanceYear>>, endpoint: &'static crate::api::endpoints::Endpoint<(), Res>,
) -> LocalResource<Result<Option<Res>, ClientError>> {
    LocalResource::new(move || {
        let y = year.get();
        async move {
            match y {
                Some(y) => client::call(endpoint, &[], &client::year_query(y), None).await.map(Some),
                None => Ok(None),
            }
        }
    })
}
