//! `/api/v1/samenwerkingen/{id}/verantwoordelijkheden`: the responsibility matrix.

use super::collaboration::api_actor;
use super::{ApiResult, Body, Path};
use crate::AppState;
use crate::access::collaboration_access;
use crate::routes::Routes;
use crate::security::ClientOrigin;
use crate::session::ApiUser;
use axum::Json;
use axum::extract::State;
use domain::access::Action;
use domain::ids::CollaborationId;
use domain::responsibility::{TopicInput, gaps, parse_mark, parse_topic};
use serde::{Deserialize, Serialize};
use store::responsibility::CellChange;
use utoipa::ToSchema;

pub fn routes() -> Routes {
    Routes::new()
        .get("/api/v1/samenwerkingen/{id}/verantwoordelijkheden", show)
        .post("/api/v1/samenwerkingen/{id}/verantwoordelijkheden/onderwerpen", add_topic)
        .put("/api/v1/samenwerkingen/{id}/verantwoordelijkheden", change)
}

#[derive(Serialize, ToSchema)]
pub struct MatrixJson {
    pub topics: Vec<TopicJson>,
    /// Topics no partner is responsible for.
    pub without_responsible: Vec<i64>,
    /// Topics with a grey zone.
    pub grey: Vec<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct TopicJson {
    pub id: i64,
    pub name: String,
    /// Partner id and mark (verantwoordelijk, draagt_bij, grijs_gebied).
    pub marks: Vec<(i64, String)>,
}

async fn matrix(state: &AppState, c: CollaborationId) -> ApiResult<MatrixJson> {
    let topics = state.db.responsibility_topics(c).await?;
    let cells = state.db.responsibility_cells(c).await?;
    let g = gaps(&topics, &cells);
    Ok(MatrixJson {
        topics: topics
            .iter()
            .map(|t| TopicJson {
                id: t.id,
                name: t.name.clone(),
                marks: cells.iter().filter(|x| x.topic == t.id).map(|x| (x.partner, x.mark.code().to_string())).collect(),
            })
            .collect(),
        without_responsible: g.without_responsible,
        grey: g.grey,
    })
}

#[utoipa::path(get, path = "/api/v1/samenwerkingen/{id}/verantwoordelijkheden", tag = "samenwerkingen", params(("id" = i64, Path)), responses((status = 200, body = MatrixJson)))]
pub async fn show(State(state): State<AppState>, ApiUser(user): ApiUser, Path(id): Path<i64>) -> ApiResult<Json<MatrixJson>> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Read).await?;
    Ok(Json(matrix(&state, c.id).await?))
}

#[utoipa::path(post, path = "/api/v1/samenwerkingen/{id}/verantwoordelijkheden/onderwerpen", tag = "samenwerkingen", params(("id" = i64, Path)), request_body = TopicInput,
    responses((status = 200, body = MatrixJson), (status = 400, body = super::meta::ProblemDetails)))]
pub async fn add_topic(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Body(body): Body<TopicInput>,
) -> ApiResult<Json<MatrixJson>> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Edit).await?;
    let name = parse_topic(&body)?;
    state.db.add_responsibility_topics(&api_actor(&user, origin), c.id, &[name]).await?;
    Ok(Json(matrix(&state, c.id).await?))
}

#[derive(Serialize, Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct CellJson {
    pub topic: i64,
    pub partner: i64,
    /// The mark you read ("" for none): the change is refused (409) when it is no longer so.
    pub was: String,
    /// The new mark ("" to clear).
    pub mark: String,
}

#[derive(Serialize, Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct CellsJson {
    pub cells: Vec<CellJson>,
}

/// Changes cells, all or none.
#[utoipa::path(put, path = "/api/v1/samenwerkingen/{id}/verantwoordelijkheden", tag = "samenwerkingen", params(("id" = i64, Path)), request_body = CellsJson,
    responses((status = 200, body = MatrixJson), (status = 400, body = super::meta::ProblemDetails), (status = 409, body = super::meta::ProblemDetails)))]
pub async fn change(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Body(body): Body<CellsJson>,
) -> ApiResult<Json<MatrixJson>> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Edit).await?;
    let changes = body
        .cells
        .iter()
        .map(|cell| Ok(CellChange { topic: cell.topic, partner: cell.partner, was: parse_mark(&cell.was)?, now: parse_mark(&cell.mark)? }))
        .collect::<Result<Vec<_>, domain::Invalid>>()?;
    state.db.change_responsibilities(&api_actor(&user, origin), c.id, &changes).await?;
    Ok(Json(matrix(&state, c.id).await?))
}
