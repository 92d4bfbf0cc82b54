//! `/api/v1/samenwerkingen/{id}/indicatoren`: indicators and their measurements. Reading gives
//! only what may be published (rounded, small numbers secret); entering gives drafts.

use super::collaboration::api_actor;
use super::{ApiResult, Body, Path, Query, created, if_match, versioned};
use crate::AppState;
use crate::access::collaboration_access;
use crate::error::AppError;
use crate::import::{Outcome, UploadError, describe, explain, read_body, read_upload};
use crate::indicator::{ExportFormat, checked, export_file};
use crate::routes::Routes;
use crate::security::ClientOrigin;
use crate::session::ApiUser;
use axum::Json;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::HeaderMap;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::access::Action;
use domain::import::Refusal;
use domain::indicator::{IndicatorInput, Measurement, MeasurementInput};
use domain::measure::Published;
use serde::Serialize;
use store::indicator::Indicator;
use utoipa::ToSchema;

pub fn routes() -> Routes {
    Routes::new()
        .get("/api/v1/samenwerkingen/{id}/indicatoren", list)
        .post("/api/v1/samenwerkingen/{id}/indicatoren", create)
        .get("/api/v1/samenwerkingen/{id}/indicatoren/{indicator}", show)
        .put("/api/v1/samenwerkingen/{id}/indicatoren/{indicator}", update)
        .get("/api/v1/samenwerkingen/{id}/indicatoren/{indicator}/metingen", measurements)
        .get("/api/v1/samenwerkingen/{id}/indicatoren/{indicator}/export", export)
        .post("/api/v1/samenwerkingen/{id}/indicatoren/{indicator}/metingen", add_measurements)
        .get("/api/v1/samenwerkingen/{id}/indicatoren/{indicator}/verhalen", stories)
        .put("/api/v1/samenwerkingen/{id}/indicatoren/{indicator}/verhalen/{period}", save_story)
        .merge(Routes::new().post("/api/v1/samenwerkingen/{id}/metingen/import", import).layer(DefaultBodyLimit::disable()))
}

#[derive(Serialize, ToSchema)]
pub struct IndicatorJson {
    pub id: i64,
    pub version: i64,
    #[schema(value_type = Object)]
    pub content: serde_json::Value,
}

fn json(i: &Indicator) -> IndicatorJson {
    IndicatorJson { id: i.id, version: i.version, content: serde_json::to_value(&i.content).unwrap_or_default() }
}

#[utoipa::path(get, path = "/api/v1/samenwerkingen/{id}/indicatoren", tag = "indicatoren", params(("id" = i64, Path)), responses((status = 200, body = [IndicatorJson])))]
pub async fn list(State(state): State<AppState>, ApiUser(user): ApiUser, Path(id): Path<i64>) -> ApiResult<Json<Vec<IndicatorJson>>> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Read).await?;
    Ok(Json(state.indicators(c.id).await?.iter().map(json).collect()))
}

/// Adds an indicator; an active one needs an adopted data-sharing agreement (`sharing`).
#[utoipa::path(post, path = "/api/v1/samenwerkingen/{id}/indicatoren", tag = "indicatoren", params(("id" = i64, Path)), request_body = IndicatorInput,
    responses((status = 201, body = IndicatorJson), (status = 400, body = super::meta::ProblemDetails)))]
pub async fn create(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Body(body): Body<IndicatorInput>,
) -> ApiResult<Response> {
    let (c, role) = collaboration_access(&state, &user, id, Action::Edit).await?;
    let content = checked(&state, &c, role, &body, None).await?;
    let i = state.db.create_indicator(&api_actor(&user, origin), c.id, &content).await?;
    crate::publication::settle(&state, c.id).await;
    Ok(created(&json(&i), format!("/api/v1/samenwerkingen/{id}/indicatoren/{}", i.id)))
}

#[utoipa::path(get, path = "/api/v1/samenwerkingen/{id}/indicatoren/{indicator}", tag = "indicatoren", params(("id" = i64, Path), ("indicator" = i64, Path)), responses((status = 200, body = IndicatorJson)))]
pub async fn show(State(state): State<AppState>, ApiUser(user): ApiUser, Path((id, indicator)): Path<(i64, i64)>) -> ApiResult<Response> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Read).await?;
    let i = state.indicator(c.id, indicator).await?;
    Ok(versioned(&json(&i), i.version))
}

#[utoipa::path(put, path = "/api/v1/samenwerkingen/{id}/indicatoren/{indicator}", tag = "indicatoren", params(("id" = i64, Path), ("indicator" = i64, Path), ("If-Match" = String, Header)),
    request_body = IndicatorInput, responses((status = 200, body = IndicatorJson), (status = 409, body = super::meta::ProblemDetails)))]
pub async fn update(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path((id, indicator)): Path<(i64, i64)>,
    headers: HeaderMap,
    Body(body): Body<IndicatorInput>,
) -> ApiResult<Response> {
    let (c, role) = collaboration_access(&state, &user, id, Action::Edit).await?;
    let version = if_match(&headers)?;
    let previous = state.indicator(c.id, indicator).await?;
    let content = checked(&state, &c, role, &body, Some(&previous)).await?;
    let i = state.db.update_indicator(&api_actor(&user, origin), c.id, indicator, version, &content).await?;
    crate::publication::settle(&state, c.id).await;
    Ok(versioned(&json(&i), i.version))
}

#[derive(Serialize, ToSchema)]
pub struct PeriodJson {
    pub period: String,
    /// The collaboration's approved total as its publication has it: `{"state": "value",
    /// "value": 95}`, `{"state": "secret"}`, `{"state": "denominator"}` (a ratio's denominator
    /// or a mean's n below the minimum), `{"state": "updating"}` (the publication is being
    /// worked out) or `{"state": "incomplete", "value": {"measured": 0, "areas": 1}}` (of the
    /// gemeenten measured, only `measured` are measured whole, so no sum is given).
    #[schema(value_type = Object)]
    pub value: Published,
    pub target: Option<f64>,
}

/// The approved figures per period, rounded and with small numbers secret.
#[utoipa::path(get, path = "/api/v1/samenwerkingen/{id}/indicatoren/{indicator}/metingen", tag = "indicatoren", params(("id" = i64, Path), ("indicator" = i64, Path)), responses((status = 200, body = [PeriodJson])))]
pub async fn measurements(State(state): State<AppState>, ApiUser(user): ApiUser, Path((id, indicator)): Path<(i64, i64)>) -> ApiResult<Json<Vec<PeriodJson>>> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Read).await?;
    let i = state.indicator(c.id, indicator).await?;
    let k = &i.content;
    // From the stored publication, as on the card: a national indicator is never read row by row.
    Ok(Json(
        crate::indicator::published_totals(&state, c.id, indicator)
            .await?
            .into_iter()
            .map(|(period, value)| PeriodJson { value, target: k.target(&period), period })
            .collect(),
    ))
}

#[derive(serde::Deserialize, Default, utoipa::IntoParams)]
#[serde(default)]
pub struct ExportQuery {
    /// `csv` (semicolons and decimal commas, for Dutch spreadsheets) or `xlsx`.
    pub formaat: String,
}

/// The published figures as a file, the same as the card's download: a block on what the
/// indicator is and its publication rules, then per period the collaboration's total with target
/// and baseline and the figure of each area, every one rounded or secret as on the card.
#[utoipa::path(get, path = "/api/v1/samenwerkingen/{id}/indicatoren/{indicator}/export", tag = "indicatoren",
    params(("id" = i64, Path), ("indicator" = i64, Path), ExportQuery),
    responses((status = 200, description = "The published figures", content(
        (String = "text/csv"),
        (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    )), (status = 400, body = super::meta::ProblemDetails)))]
pub async fn export(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path((id, indicator)): Path<(i64, i64)>,
    Query(query): Query<ExportQuery>,
) -> ApiResult<Response> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Read).await?;
    let i = state.indicator(c.id, indicator).await?;
    let format = ExportFormat::from_code(query.formaat.trim()).ok_or_else(|| AppError::Invalid(domain::Invalid::single("formaat", "err.choice")))?;
    Ok(export_file(&state, &crate::i18n::Lang::Nl, &c, &i, format).await?)
}

#[derive(serde::Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct MeasurementsJson {
    pub metingen: Vec<MeasurementInput>,
}

/// Enters measurements as drafts, all or none: one bad value and nothing is stored.
#[utoipa::path(post, path = "/api/v1/samenwerkingen/{id}/indicatoren/{indicator}/metingen", tag = "indicatoren", params(("id" = i64, Path), ("indicator" = i64, Path)),
    request_body = MeasurementsJson, responses((status = 200, body = [PeriodJson]), (status = 400, body = super::meta::ProblemDetails)))]
pub async fn add_measurements(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path((id, indicator)): Path<(i64, i64)>,
    Body(body): Body<MeasurementsJson>,
) -> ApiResult<Json<Vec<PeriodJson>>> {
    let (c, role) = collaboration_access(&state, &user, id, Action::Edit).await?;
    let i = state.indicator(c.id, indicator).await?;
    let values = body.metingen.iter().map(|m| Measurement::parse(m, i.content.kind, i.content.period_type)).collect::<Result<Vec<_>, _>>()?;
    state.db.save_measurements_as(&api_actor(&user, origin), c.id, indicator, &values, role.allows(Action::Manage)).await?;
    measurements(State(state), ApiUser(user), Path((id, indicator))).await
}

#[derive(serde::Deserialize, Default, utoipa::IntoParams)]
#[serde(default)]
pub struct ImportQuery {
    /// Replace stored values that differ from the file (never approved ones).
    pub vervangen: bool,
}

/// What an import stored.
#[derive(Serialize, ToSchema)]
pub struct ImportJson {
    pub regels: usize,
    pub nieuw: usize,
    pub vervangen: usize,
    pub ongewijzigd: usize,
}

/// Why an import stored nothing: every problem, with its line and column where it has one.
#[derive(Serialize, ToSchema)]
pub struct RefusalJson {
    pub status: u16,
    pub title: String,
    pub detail: String,
    pub fouten: Vec<ProblemJson>,
}

#[derive(Serialize, ToSchema)]
pub struct ProblemJson {
    pub regel: usize,
    pub kolom: String,
    pub code: String,
    pub melding: String,
}

/// Imports measurements from a CSV or XLSX file sent as the body, all or nothing. The same
/// file twice changes nothing; values that differ from stored ones are refused unless
/// `vervangen=true`.
#[utoipa::path(post, path = "/api/v1/samenwerkingen/{id}/metingen/import", tag = "indicatoren", params(("id" = i64, Path), ImportQuery),
    request_body(content = String, content_type = "text/csv", description = "The file as the body, or a multipart/form-data upload with the file in a part: CSV (comma, semicolon or tab; UTF-8, UTF-16 with BOM or Windows-1252; an optional `sep=` first line), XLSX, XLS or ODS. At most the instance's upload limit (20 MiB unless set otherwise)."),
    responses((status = 200, body = ImportJson), (status = 400, body = super::meta::ProblemDetails), (status = 413, body = super::meta::ProblemDetails), (status = 422, body = RefusalJson)))]
pub async fn import(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Query(query): Query<ImportQuery>,
    request: Request,
) -> ApiResult<Response> {
    let (c, role) = collaboration_access(&state, &user, id, Action::Edit).await?;
    let lang = crate::i18n::Lang::Nl;
    // The file itself as the body, or a form upload with the file in a part.
    let limit = state.config.max_upload;
    let is_form =
        request.headers().get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|t| t.to_ascii_lowercase().starts_with("multipart/"));
    let read = if is_form { read_upload(request, limit).await.map(|u| u.file) } else { read_body(request, limit).await };
    let body = match read {
        Ok(body) => body,
        Err(UploadError::TooLarge) => return Err(AppError::TooLarge.into()),
        Err(UploadError::Malformed) => return Err(AppError::Invalid(domain::Invalid::single("file", "err.file_empty")).into()),
    };
    // Only a steward (a beheerder) sees stored values raw, so only a steward hears "unchanged".
    let raw = role.allows(Action::Manage);
    match crate::import::measurements(&state.db, &api_actor(&user, origin), c.id, &body, query.vervangen, raw, &mut |_, _| {}).await? {
        Outcome::Stored(plan) => {
            Ok(Json(ImportJson { regels: plan.rows, nieuw: plan.new.len(), vervangen: plan.replaced.len(), ongewijzigd: plan.unchanged }).into_response())
        }
        Outcome::Refused(refusal) => {
            let fouten = match &refusal {
                Refusal::Problems(problems) => problems
                    .iter()
                    .map(|p| ProblemJson { regel: p.line, kolom: p.column.clone(), code: p.message.to_string(), melding: describe(lang, p) })
                    .collect(),
                other => explain(lang, other).into_iter().map(|melding| ProblemJson { regel: 0, kolom: String::new(), code: "file".into(), melding }).collect(),
            };
            let body = RefusalJson { status: 422, title: lang.t("import.refused").to_string(), detail: lang.t("import.refused").to_string(), fouten };
            let mut response = (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response();
            response.headers_mut().insert(axum::http::header::CONTENT_TYPE, axum::http::HeaderValue::from_static(super::contract::PROBLEM));
            Ok(response)
        }
    }
}

/// The story behind one period's figures.
#[derive(Serialize, ToSchema)]
pub struct StoryJson {
    pub periode: String,
    pub version: i64,
    pub wat_zien_we: String,
    pub verklaring: String,
    pub wat_gaan_we_doen: String,
    pub door: String,
    pub bijgewerkt: i64,
}

/// The stories behind the indicator's figures, latest period first.
#[utoipa::path(get, path = "/api/v1/samenwerkingen/{id}/indicatoren/{indicator}/verhalen", tag = "indicatoren",
    params(("id" = i64, Path), ("indicator" = i64, Path)), responses((status = 200, body = [StoryJson])))]
pub async fn stories(State(state): State<AppState>, ApiUser(user): ApiUser, Path((id, indicator)): Path<(i64, i64)>) -> ApiResult<Json<Vec<StoryJson>>> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Read).await?;
    state.indicator(c.id, indicator).await?;
    Ok(Json(
        state
            .db
            .stories(c.id, indicator)
            .await?
            .into_iter()
            .map(|s| StoryJson {
                periode: s.period,
                version: s.version,
                wat_zien_we: s.content.seen,
                verklaring: s.content.explains,
                wat_gaan_we_doen: s.content.will_do,
                door: s.changed_by,
                bijgewerkt: s.changed_at,
            })
            .collect(),
    ))
}

/// Writes the story of one period. Send `If-Match` with the version you read to change an
/// existing story; without it only a new story is written.
#[utoipa::path(put, path = "/api/v1/samenwerkingen/{id}/indicatoren/{indicator}/verhalen/{period}", tag = "indicatoren",
    params(("id" = i64, Path), ("indicator" = i64, Path), ("period" = String, Path)), request_body = domain::story::StoryInput,
    responses((status = 200, body = [StoryJson]), (status = 409, body = super::meta::ProblemDetails), (status = 400, body = super::meta::ProblemDetails)))]
pub async fn save_story(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path((id, indicator, period)): Path<(i64, i64, String)>,
    headers: HeaderMap,
    Body(body): Body<domain::story::StoryInput>,
) -> ApiResult<Json<Vec<StoryJson>>> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Edit).await?;
    let i = state.indicator(c.id, indicator).await?;
    let input = domain::story::StoryInput { period, ..body };
    let (period, content) = domain::story::StoryContent::parse(&input, i.content.period_type)?;
    let seen = if headers.contains_key(axum::http::header::IF_MATCH) { if_match(&headers)? } else { 0 };
    state.db.save_story(&api_actor(&user, origin), c.id, indicator, &period, &content, seen).await?;
    stories(State(state), ApiUser(user), Path((id, indicator))).await
}
