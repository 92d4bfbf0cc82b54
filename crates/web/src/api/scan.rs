//! `/api/v1/samenwerkingen/{id}/scans`: rounds and their results (with the same suppression as
//! the pages), and `/api/v1/vragenlijst/{token}`: answering through an invitation link.

use super::collaboration::api_actor;
use super::{ApiResult, Body, Path, Query, created};
use crate::AppState;
use crate::access::collaboration_access;
use crate::error::AppError;
use crate::routes::Routes;
use crate::security::ClientOrigin;
use crate::session::ApiUser;
use axum::Json;
use axum::extract::State;
use axum::response::Response;
use domain::access::Action;
use domain::scan::{RoundInput, Value, check_response, divergence, select, shown_groups, stat};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use store::scan::{Refusal, Round};
use utoipa::ToSchema;

pub fn routes() -> Routes {
    Routes::new()
        .get("/api/v1/samenwerkingen/{id}/scans", list)
        .post("/api/v1/samenwerkingen/{id}/scans", create)
        .get("/api/v1/samenwerkingen/{id}/scans/{round}/resultaten", results)
        .post("/api/v1/vragenlijst/{token}", answer)
}

#[derive(Serialize, ToSchema)]
pub struct RoundJson {
    pub id: i64,
    pub title: String,
    pub template: String,
    pub opens: String,
    pub closes: String,
    pub min_group: usize,
    /// The one dimension results are split along: sector, niveau, or empty.
    pub split_by: String,
}

fn json(r: &Round) -> RoundJson {
    RoundJson {
        id: r.id,
        title: r.title.clone(),
        template: r.template.key.clone(),
        opens: r.opens.clone(),
        closes: r.closes.clone(),
        min_group: r.min_group,
        split_by: r.split_by.map(|d| d.code().to_string()).unwrap_or_default(),
    }
}

#[utoipa::path(get, path = "/api/v1/samenwerkingen/{id}/scans", tag = "scans", params(("id" = i64, Path)), responses((status = 200, body = [RoundJson])))]
pub async fn list(State(state): State<AppState>, ApiUser(user): ApiUser, Path(id): Path<i64>) -> ApiResult<Json<Vec<RoundJson>>> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Read).await?;
    Ok(Json(state.db.rounds(c.id).await?.iter().map(json).collect()))
}

/// Starts a round with its own copy of a built-in questionnaire (`questions` left empty keeps all).
#[utoipa::path(post, path = "/api/v1/samenwerkingen/{id}/scans", tag = "scans", params(("id" = i64, Path)), request_body = RoundInput,
    responses((status = 201, body = RoundJson), (status = 400, body = super::meta::ProblemDetails)))]
pub async fn create(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Body(body): Body<RoundInput>,
) -> ApiResult<Response> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Edit).await?;
    let round = state.db.create_round(&api_actor(&user, origin), c.id, &body.parse(state.floors())?).await?;
    Ok(created(&json(&round), format!("/api/v1/samenwerkingen/{id}/scans/{}/resultaten", round.id)))
}

#[derive(Serialize, ToSchema)]
pub struct QuestionResultJson {
    pub question: String,
    pub n: usize,
    /// Empty, with `withheld` saying why, when fewer than the minimum answered the question.
    pub mean: Option<f64>,
    /// Per answer option, how many chose it.
    pub counts: Vec<(String, usize)>,
    pub texts: Vec<String>,
    pub withheld: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ResultsJson {
    /// How many answered; empty until the round closes.
    pub answers: Option<usize>,
    pub min_group: usize,
    /// Whether the round has closed: results are published then, all at once, never per answer.
    pub published: bool,
    /// Whether the chosen group has enough answers to be shown; if not, nothing else is filled.
    pub shown: bool,
    /// Why nothing is shown, in Dutch, when nothing is.
    pub withheld: Option<String>,
    /// The groups of the round's one split that may be chosen, as "sector:…" or "niveau:…".
    pub groups: Vec<String>,
    /// Per working element, the mean.
    pub elements: Vec<(u8, Option<f64>)>,
    /// Per working element, the largest difference between the means of the round's groups.
    pub divergence: Vec<(u8, Option<f64>)>,
    pub questions: Vec<QuestionResultJson>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ResultsQuery {
    groep: String,
}

/// Results of a round for everyone or for one group (`groep=sector:gemeente`), never for a group below the minimum.
#[utoipa::path(get, path = "/api/v1/samenwerkingen/{id}/scans/{round}/resultaten", tag = "scans", params(("id" = i64, Path), ("round" = i64, Path), ("groep" = Option<String>, Query)),
    responses((status = 200, body = ResultsJson)))]
pub async fn results(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path((id, round)): Path<(i64, i64)>,
    Query(q): Query<ResultsQuery>,
) -> ApiResult<Json<ResultsJson>> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Read).await?;
    let r = state.db.round(c.id, round).await?;
    let min = domain::scan::minimum(r.min_group, state.floors().min_group);
    let published = domain::scan::is_published(&r.closes, &crate::today());
    // Until the round closes nothing here depends on the answers, not even how many there are.
    let all = if published { state.db.answers(c.id, round).await? } else { Vec::new() };
    let filter = domain::scan::round_filter(r.split_by, &q.groep);
    let selected = if published { select(&all, filter, min) } else { None };
    let groups = r.split_by.map(|d| shown_groups(&all, d, min).into_iter().map(|g| format!("{}:{g}", d.code())).collect()).unwrap_or_default();
    let rs = selected.clone().unwrap_or_default();
    let lang = crate::i18n::Lang::Nl;
    let too_few = lang.t("withheld.too_few_participants").to_string();
    Ok(Json(ResultsJson {
        answers: published.then_some(all.len()),
        min_group: min,
        published,
        shown: selected.is_some(),
        withheld: match (published, selected.is_some()) {
            (false, _) => Some(lang.t("withheld.after_close").to_string()),
            (true, false) => Some(too_few.clone()),
            (true, true) => None,
        },
        groups,
        elements: if selected.is_some() { domain::scan::element_means_shown(&r.template, &all, r.split_by, filter, &rs, min) } else { Vec::new() },
        divergence: match r.split_by {
            Some(d) if selected.is_some() => divergence(&r.template, &all, d, min),
            _ => Vec::new(),
        },
        questions: if selected.is_some() {
            r.template
                .questions()
                .map(|(_, q)| {
                    let s = stat(q, &rs);
                    // Also withheld where the total minus the other groups would give it away.
                    if !domain::scan::question_shown(&all, r.split_by, filter, q, min) {
                        QuestionResultJson {
                            question: q.key.clone(),
                            n: s.n,
                            mean: None,
                            counts: Vec::new(),
                            texts: Vec::new(),
                            withheld: Some(too_few.clone()),
                        }
                    } else {
                        QuestionResultJson { question: q.key.clone(), n: s.n, mean: s.mean, counts: s.counts, texts: s.texts, withheld: None }
                    }
                })
                .collect()
        } else {
            Vec::new()
        },
    }))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct AnswerJson {
    pub sector: String,
    pub level: String,
    /// Per question key: 1–5 or "weet_niet" on a scale, 0–100 on a slider, an option key, a list of option keys, or text.
    #[schema(value_type = Object)]
    pub answers: BTreeMap<String, Value>,
}

/// Answers through an invitation link. No sign-in: the link is the key.
#[utoipa::path(post, path = "/api/v1/vragenlijst/{token}", tag = "scans", security(()), params(("token" = String, Path)), request_body = AnswerJson,
    responses((status = 204), (status = 400, body = super::meta::ProblemDetails), (status = 409, body = super::meta::ProblemDetails), (status = 429, body = super::meta::ProblemDetails)))]
pub async fn answer(
    State(state): State<AppState>,
    ClientOrigin(client): ClientOrigin,
    Path(token): Path<String>,
    Body(body): Body<AnswerJson>,
) -> ApiResult<axum::http::StatusCode> {
    let (_, round) = state.db.link_by_token(&token).await?;
    let response = check_response(&round.template, &body.sector, &body.level, body.answers)?;
    match crate::scan::take_answer(&state, &token, &client, &response).await? {
        Ok(()) => Ok(axum::http::StatusCode::NO_CONTENT),
        Err(Refusal::UnknownLink) => Err(AppError::NotFound.into()),
        Err(Refusal::Used | Refusal::Closed) => Err(AppError::Conflict("closed").into()),
    }
}
