//! `/api/v1`: the travel plan and a collaboration's progress on it, practice examples with
//! Dutch search, and the obstacles register with the regional/national table's view.

use super::collaboration::api_actor;
use super::{ApiResult, Body, Path, Query};
use crate::AppState;
use crate::access::collaboration_access;
use crate::error::AppError;
use crate::routes::Routes;
use crate::security::ClientOrigin;
use crate::session::ApiUser;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::access::Action;
use domain::example::{Example, ExampleInput, Filter, NewExample, find};
use domain::journey::{ReflectionInput, StepInput, journey, tally};
use domain::obstacle::{NewObstacle, Obstacle, ObstacleInput, RecognitionInput, ResponseInput};
use serde::Serialize;
use utoipa::ToSchema;

pub fn routes() -> Routes {
    Routes::new()
        .get("/api/v1/reis", travel_plan)
        .get("/api/v1/samenwerkingen/{id}/reis", progress)
        .put("/api/v1/samenwerkingen/{id}/reis/stappen/{step}", set_step)
        .get("/api/v1/samenwerkingen/{id}/reis/reflecties", reflections)
        .post("/api/v1/samenwerkingen/{id}/reis/reflecties", add_reflection)
        .get("/api/v1/samenwerkingen/{id}/voorbeelden", examples)
        .post("/api/v1/samenwerkingen/{id}/voorbeelden", create_example)
        .get("/api/v1/samenwerkingen/{id}/knelpunten", obstacles)
        .post("/api/v1/samenwerkingen/{id}/knelpunten", create_obstacle)
        .post("/api/v1/samenwerkingen/{id}/knelpunten/{obstacle}/herkenningen", recognise)
        .get("/api/v1/landelijk/knelpunten", national)
        .put("/api/v1/landelijk/knelpunten/{obstacle}/reactie", respond)
}

#[derive(Serialize, ToSchema)]
pub struct ThemeJson {
    pub number: u8,
    pub stage: String,
    pub title: String,
    pub core: String,
    pub tips: Vec<String>,
    /// Step key and text.
    pub steps: Vec<(String, String)>,
    /// Question key and text.
    pub questions: Vec<(String, String)>,
    pub elements: Vec<u8>,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct LangQuery {
    /// nl (default) or en.
    pub lang: String,
}

/// The travel plan: nine themes in five stages.
#[utoipa::path(get, path = "/api/v1/reis", tag = "reis", params(("lang" = Option<String>, Query)), responses((status = 200, body = [ThemeJson])))]
pub async fn travel_plan(_signed_in: ApiUser, Query(q): Query<LangQuery>) -> Json<Vec<ThemeJson>> {
    let en = q.lang == "en";
    Json(
        journey()
            .themes
            .iter()
            .map(|t| ThemeJson {
                number: t.number,
                stage: t.stage.clone(),
                title: t.title.get(en).into(),
                core: t.core.get(en).into(),
                tips: t.tips.iter().map(|x| x.get(en).to_string()).collect(),
                steps: t.steps.iter().map(|s| (s.key.clone(), s.text.get(en).to_string())).collect(),
                questions: t.questions.iter().map(|q| (q.key.clone(), q.text.get(en).to_string())).collect(),
                elements: t.elements.clone(),
            })
            .collect(),
    )
}

#[derive(Serialize, ToSchema)]
pub struct ProgressJson {
    pub themes: Vec<ThemeProgressJson>,
    pub steps: Vec<StepJson>,
}

#[derive(Serialize, ToSchema)]
pub struct ThemeProgressJson {
    pub number: u8,
    pub done: usize,
    pub busy: usize,
    pub applicable: usize,
    pub percent: usize,
}

#[derive(Serialize, ToSchema)]
pub struct StepJson {
    pub step: String,
    /// niet_begonnen, bezig, gedaan or niet_van_toepassing
    pub status: String,
    pub note: String,
    /// The date the state was set (YYYY-MM-DD); empty when it follows the work.
    pub on: String,
    /// Whether someone set the state by hand; otherwise it follows the work in the product.
    pub by_hand: bool,
    /// Where the product shows the step's work, when it does.
    pub work: Option<String>,
}

/// The collaboration's progress per theme and per step: a step whose work the product shows
/// (partners, an adopted vision, a body with its agreements, …) counts as done unless someone
/// marked it by hand.

#[utoipa::path(get, path = "/api/v1/samenwerkingen/{id}/reis", tag = "reis", params(("id" = i64, Path)), responses((status = 200, body = ProgressJson)))]
pub async fn progress(State(state): State<AppState>, ApiUser(user): ApiUser, Path(id): Path<i64>) -> ApiResult<Json<ProgressJson>> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Read).await?;
    let (hand, work) = crate::journey::progress(&state.db, &c).await?;
    let all = domain::journey::with_work(&hand, &work);
    let themes = journey()
        .themes
        .iter()
        .map(|t| {
            let x = tally(t, &all);
            ThemeProgressJson { number: t.number, done: x.done, busy: x.busy, applicable: x.applicable, percent: x.percent() }
        })
        .collect();
    let steps = all
        .into_iter()
        .map(|s| {
            let by_hand = hand.iter().any(|h| h.step_key == s.step_key);
            let work = domain::journey::seen(&s.step_key, &work).map(|place| crate::journey::place_href(c.id.0, place));
            StepJson { step: s.step_key, status: s.status.code().into(), note: s.note, on: s.on, by_hand, work }
        })
        .collect();
    Ok(Json(ProgressJson { themes, steps }))
}

/// Sets the state of one step.
#[utoipa::path(put, path = "/api/v1/samenwerkingen/{id}/reis/stappen/{step}", tag = "reis", params(("id" = i64, Path), ("step" = String, Path)), request_body = StepInput,
    responses((status = 200, body = StepJson), (status = 400, body = super::meta::ProblemDetails)))]
pub async fn set_step(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path((id, step)): Path<(i64, String)>,
    Body(body): Body<StepInput>,
) -> ApiResult<Json<StepJson>> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Edit).await?;
    let progress = domain::journey::parse_step(&step, &body, &crate::today())?;
    state.db.set_step(&api_actor(&user, origin), c.id, &progress).await?;
    let work = domain::journey::seen(&progress.step_key, &crate::journey::work(&state.db, &c).await?).map(|place| crate::journey::place_href(c.id.0, place));
    Ok(Json(StepJson { step: progress.step_key, status: progress.status.code().into(), note: progress.note, on: progress.on, by_hand: true, work }))
}

#[derive(Serialize, ToSchema)]
pub struct ReflectionJson {
    pub id: i64,
    pub question_key: String,
    pub answer: String,
    pub answered_on: String,
    pub author: String,
}

fn reflection_json(r: store::journey::ReflectionRow) -> ReflectionJson {
    ReflectionJson { id: r.id, question_key: r.question_key, answer: r.answer, answered_on: r.answered_on, author: r.author }
}

#[utoipa::path(get, path = "/api/v1/samenwerkingen/{id}/reis/reflecties", tag = "reis", params(("id" = i64, Path)), responses((status = 200, body = [ReflectionJson])))]
pub async fn reflections(State(state): State<AppState>, ApiUser(user): ApiUser, Path(id): Path<i64>) -> ApiResult<Json<Vec<ReflectionJson>>> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Read).await?;
    Ok(Json(state.db.reflections(c.id).await?.into_iter().map(reflection_json).collect()))
}

/// Answers a reflection question, dated today; earlier answers are kept.
#[utoipa::path(post, path = "/api/v1/samenwerkingen/{id}/reis/reflecties", tag = "reis", params(("id" = i64, Path)), request_body = ReflectionInput,
    responses((status = 201, body = ReflectionJson), (status = 400, body = super::meta::ProblemDetails)))]
pub async fn add_reflection(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Body(body): Body<ReflectionInput>,
) -> ApiResult<Response> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Edit).await?;
    let reflection = domain::journey::parse_reflection(&body)?;
    let row = state.db.add_reflection(&api_actor(&user, origin), c.id, &reflection, &crate::today()).await?;
    Ok((StatusCode::CREATED, Json(reflection_json(row))).into_response())
}

#[derive(Serialize, ToSchema)]
pub struct ExampleJson {
    pub key: String,
    pub place: String,
    pub age_group: Option<String>,
    pub themes: Vec<u8>,
    pub sectors: Vec<String>,
    pub title: String,
    pub summary: String,
    pub why: String,
    pub source: String,
    /// guide, own or shared (by another collaboration)
    pub origin: String,
}

fn example_json(e: &Example, collaboration: i64, en: bool) -> ExampleJson {
    let origin = match e.owner {
        None => "guide",
        Some(owner) if owner == collaboration => "own",
        Some(_) => "shared",
    };
    ExampleJson {
        key: e.key.clone(),
        place: e.place.clone(),
        age_group: e.age_group.map(|a| a.code().to_string()),
        themes: e.themes.clone(),
        sectors: e.sectors.iter().map(|s| s.code().to_string()).collect(),
        title: e.title(en).into(),
        summary: e.summary(en).into(),
        why: e.why(en).into(),
        source: e.source.clone(),
        origin: origin.into(),
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct ExampleQuery {
    #[serde(flatten)]
    pub filter: Filter,
    pub lang: String,
}

/// Searches the practice examples in Dutch (with stemming), filtered by theme, age group and sector.
#[utoipa::path(get, path = "/api/v1/samenwerkingen/{id}/voorbeelden", tag = "kennis",
    params(("id" = i64, Path), ("q" = Option<String>, Query), ("thema" = Option<String>, Query), ("leeftijd" = Option<String>, Query), ("sector" = Option<String>, Query), ("lang" = Option<String>, Query)),
    responses((status = 200, body = [ExampleJson])))]
pub async fn examples(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Query(query): Query<ExampleQuery>,
) -> ApiResult<Json<Vec<ExampleJson>>> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Read).await?;
    let all = crate::example::visible(&state, c.id).await?;
    let en = query.lang == "en";
    Ok(Json(find(&all, &query.filter).into_iter().map(|e| example_json(e, c.id.0, en)).collect()))
}

/// Adds one of the collaboration's own examples (private, or shared with the instance).
#[utoipa::path(post, path = "/api/v1/samenwerkingen/{id}/voorbeelden", tag = "kennis", params(("id" = i64, Path)), request_body = ExampleInput,
    responses((status = 201, body = ExampleJson), (status = 400, body = super::meta::ProblemDetails)))]
pub async fn create_example(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Body(body): Body<ExampleInput>,
) -> ApiResult<Response> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Edit).await?;
    let e = state.db.create_example(&api_actor(&user, origin), c.id, &NewExample::parse(&body)?).await?;
    Ok((StatusCode::CREATED, Json(example_json(&e, c.id.0, false))).into_response())
}

#[derive(Serialize, ToSchema)]
pub struct ObstacleJson {
    pub id: i64,
    pub raised_by: String,
    pub region: String,
    pub category: String,
    pub title: String,
    pub description: String,
    pub effect: String,
    pub tried: String,
    pub status: String,
    pub response: String,
    /// The collaborations that recognise it, with their context.
    pub recognitions: Vec<(String, String)>,
}

fn obstacle_json(o: &Obstacle) -> ObstacleJson {
    ObstacleJson {
        id: o.id,
        raised_by: o.collaboration_name.clone(),
        region: o.region.clone(),
        category: o.category.code().into(),
        title: o.title.clone(),
        description: o.description.clone(),
        effect: o.effect.clone(),
        tried: o.tried.clone(),
        status: o.status.code().into(),
        response: o.response.clone(),
        recognitions: o.recognitions.iter().map(|r| (r.collaboration_name.clone(), r.context.clone())).collect(),
    }
}

/// Every obstacle on the instance (the register is shared between collaborations).
#[utoipa::path(get, path = "/api/v1/samenwerkingen/{id}/knelpunten", tag = "kennis", params(("id" = i64, Path)), responses((status = 200, body = [ObstacleJson])))]
pub async fn obstacles(State(state): State<AppState>, ApiUser(user): ApiUser, Path(id): Path<i64>) -> ApiResult<Json<Vec<ObstacleJson>>> {
    collaboration_access(&state, &user, id, Action::Read).await?;
    Ok(Json(state.db.obstacles().await?.iter().map(obstacle_json).collect()))
}

#[utoipa::path(post, path = "/api/v1/samenwerkingen/{id}/knelpunten", tag = "kennis", params(("id" = i64, Path)), request_body = ObstacleInput,
    responses((status = 201, body = ObstacleJson), (status = 400, body = super::meta::ProblemDetails)))]
pub async fn create_obstacle(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Body(body): Body<ObstacleInput>,
) -> ApiResult<Response> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Edit).await?;
    let new = NewObstacle::parse(&body)?;
    let obstacle = state.db.create_obstacle(&api_actor(&user, origin), c.id, &new).await?;
    Ok((StatusCode::CREATED, Json(obstacle_json(&state.db.obstacle(obstacle).await?))).into_response())
}

/// "Herkennen wij ook": the collaboration recognises another's obstacle, with its context.
#[utoipa::path(post, path = "/api/v1/samenwerkingen/{id}/knelpunten/{obstacle}/herkenningen", tag = "kennis", params(("id" = i64, Path), ("obstacle" = i64, Path)), request_body = RecognitionInput,
    responses((status = 200, body = ObstacleJson), (status = 409, body = super::meta::ProblemDetails)))]
pub async fn recognise(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path((id, obstacle)): Path<(i64, i64)>,
    Body(body): Body<RecognitionInput>,
) -> ApiResult<Json<ObstacleJson>> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Edit).await?;
    let context = domain::obstacle::parse_recognition(&body)?;
    state.db.recognise_obstacle(&api_actor(&user, origin), c.id, obstacle, &context).await?;
    Ok(Json(obstacle_json(&state.db.obstacle(obstacle).await?)))
}

fn national_reader(user: &store::user::User) -> Result<(), AppError> {
    if user.national_reader { Ok(()) } else { Err(AppError::Forbidden) }
}

/// All obstacles for the regional or national table, most recognised first.
#[utoipa::path(get, path = "/api/v1/landelijk/knelpunten", tag = "kennis", responses((status = 200, body = [ObstacleJson]), (status = 403, body = super::meta::ProblemDetails)))]
pub async fn national(State(state): State<AppState>, ApiUser(user): ApiUser) -> ApiResult<Json<Vec<ObstacleJson>>> {
    national_reader(&user)?;
    let mut all = state.db.obstacles().await?;
    all.sort_by(|a, b| b.recognitions.len().cmp(&a.recognitions.len()).then(b.id.cmp(&a.id)));
    Ok(Json(all.iter().map(obstacle_json).collect()))
}

/// The table's answer and status, visible to the collaborations that raised and recognised it.
#[utoipa::path(put, path = "/api/v1/landelijk/knelpunten/{obstacle}/reactie", tag = "kennis", params(("obstacle" = i64, Path)), request_body = ResponseInput,
    responses((status = 200, body = ObstacleJson), (status = 400, body = super::meta::ProblemDetails), (status = 403, body = super::meta::ProblemDetails)))]
pub async fn respond(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path(obstacle): Path<i64>,
    Body(body): Body<ResponseInput>,
) -> ApiResult<Json<ObstacleJson>> {
    national_reader(&user)?;
    let (status, response) = domain::obstacle::parse_response(&body)?;
    state.db.respond_to_obstacle(&api_actor(&user, origin), obstacle, status, &response).await?;
    Ok(Json(obstacle_json(&state.db.obstacle(obstacle).await?)))
}
