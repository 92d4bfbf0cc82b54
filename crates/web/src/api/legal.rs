//! `/api/v1/wettelijk-kader`: the legal map, answered for one age.

use super::{ApiResult, Query};
use crate::error::AppError;
use crate::routes::Routes;
use crate::session::ApiUser;
use axum::Json;
use domain::legal::{Age, at, legal_map};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub fn routes() -> Routes {
    Routes::new().get("/api/v1/wettelijk-kader", answer)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LegalQuery {
    /// Whole years 0–27, or "zwangerschap".
    pub leeftijd: String,
    /// nl (default) or en.
    pub lang: String,
}

#[derive(Serialize, ToSchema)]
pub struct LawJson {
    pub key: String,
    pub name: String,
    pub summary: String,
    pub from_months: i32,
    pub to_months: i32,
    pub instances: Vec<String>,
    pub bodies: Vec<String>,
    pub sources: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct LegalAnswerJson {
    pub laws: Vec<LawJson>,
    /// Laws that apply at this age only through a conditional extension.
    pub extended: Vec<LawJson>,
    pub instances: Vec<String>,
    pub bodies: Vec<String>,
}

fn law_json(law: &domain::legal::Law, en: bool) -> LawJson {
    LawJson {
        key: law.key.clone(),
        name: law.name.clone(),
        summary: law.summary.get(en).to_string(),
        from_months: law.from_months,
        to_months: law.to_months,
        instances: law.instances.clone(),
        bodies: law.bodies.clone(),
        sources: law.sources.clone(),
    }
}

/// Which laws, instances and consultation bodies apply at an age.
#[utoipa::path(get, path = "/api/v1/wettelijk-kader", tag = "kennis", params(("leeftijd" = String, Query), ("lang" = Option<String>, Query)),
    responses((status = 200, body = LegalAnswerJson), (status = 400, body = super::meta::ProblemDetails)))]
pub async fn answer(_signed_in: ApiUser, Query(q): Query<LegalQuery>) -> ApiResult<Json<LegalAnswerJson>> {
    let age = Age::parse(&q.leeftijd).ok_or_else(|| AppError::Invalid(domain::Invalid::single("leeftijd", "err.age")))?;
    let en = q.lang == "en";
    let a = at(legal_map(), age);
    Ok(Json(LegalAnswerJson {
        laws: a.laws.iter().map(|l| law_json(l, en)).collect(),
        extended: a.extended.iter().map(|l| law_json(l, en)).collect(),
        instances: a.instances.iter().map(|s| s.to_string()).collect(),
        bodies: a.bodies.iter().map(|s| s.to_string()).collect(),
    }))
}
