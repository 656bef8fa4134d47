//! What a page reads from its address: the selected performance year and the `:tin`.

use crate::app::context::use_app;
use crate::domain::{PerformanceYear, Tin};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The performance year of the page: `?year=` when given and valid, else the API's default year.
pub fn use_selected_year() -> Memo<Option<PerformanceYear>> {
    let query = use_query_map();
    let app = use_app();
    Memo::new(move |_| {
        let from_query = query.read().get("year").and_then(|y| PerformanceYear::parse(&y).ok());
        from_query.or_else(|| app.years.get().and_then(|r| r.ok()).map(|y| y.default_year))
    })
}

/// The `:tin` of the route, validated.
pub fn use_tin_param() -> Memo<Result<Tin, String>> {
    let params = use_params_map();
    Memo::new(move |_| Tin::parse(&params.read().get("tin").unwrap_or_default()).map_err(|e| e.0))
}
