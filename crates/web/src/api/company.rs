//! `/api/v1/samenwerkingen/{id}/partners`, `/personen` and `/portefeuilles`.

use super::collaboration::api_actor;
use super::{ApiResult, Body, Path, created, if_match, versioned};
use crate::AppState;
use crate::access::collaboration_access;
use crate::routes::Routes;
use crate::security::ClientOrigin;
use crate::session::ApiUser;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use domain::access::Action;
use domain::ids::{CollaborationId, PartnerId, PersonId, PortfolioId};
use domain::partner::{NewPartner, Partner, PartnerInput};
use domain::person::{NewPerson, Person, PersonInput};
use domain::portfolio::{NewPortfolio, Portfolio, PortfolioInput};
use serde::Serialize;
use utoipa::ToSchema;

const BASE: &str = "/api/v1/samenwerkingen";

pub fn routes() -> Routes {
    Routes::new()
        .get("/api/v1/samenwerkingen/{id}/partners", list_partners)
        .post("/api/v1/samenwerkingen/{id}/partners", create_partner)
        .get("/api/v1/samenwerkingen/{id}/partners/{item}", show_partner)
        .put("/api/v1/samenwerkingen/{id}/partners/{item}", update_partner)
        .delete("/api/v1/samenwerkingen/{id}/partners/{item}", delete_partner)
        .get("/api/v1/samenwerkingen/{id}/personen", list_people)
        .post("/api/v1/samenwerkingen/{id}/personen", create_person)
        .get("/api/v1/samenwerkingen/{id}/personen/{item}", show_person)
        .put("/api/v1/samenwerkingen/{id}/personen/{item}", update_person)
        .delete("/api/v1/samenwerkingen/{id}/personen/{item}", delete_person)
        .get("/api/v1/samenwerkingen/{id}/portefeuilles", list_portfolios)
        .post("/api/v1/samenwerkingen/{id}/portefeuilles", create_portfolio)
        .get("/api/v1/samenwerkingen/{id}/portefeuilles/{item}", show_portfolio)
        .put("/api/v1/samenwerkingen/{id}/portefeuilles/{item}", update_portfolio)
        .delete("/api/v1/samenwerkingen/{id}/portefeuilles/{item}", delete_portfolio)
}

async fn allowed(state: &AppState, user: &store::user::User, id: i64, action: Action) -> ApiResult<CollaborationId> {
    Ok(collaboration_access(state, user, id, action).await?.0.id)
}

#[derive(Serialize, ToSchema)]
pub struct PartnerJson {
    pub id: i64,
    pub name: String,
    pub sector: String,
    /// binnenring or buitenring
    pub ring: String,
    pub description: String,
    pub version: i64,
}

impl From<&Partner> for PartnerJson {
    fn from(p: &Partner) -> PartnerJson {
        PartnerJson {
            id: p.id.0,
            name: p.name.clone(),
            sector: p.sector.code().into(),
            ring: p.ring.code().into(),
            description: p.description.clone(),
            version: p.version,
        }
    }
}

#[utoipa::path(get, path = "/api/v1/samenwerkingen/{id}/partners", tag = "gezelschap", params(("id" = i64, Path)), responses((status = 200, body = [PartnerJson])))]
pub async fn list_partners(State(state): State<AppState>, ApiUser(user): ApiUser, Path(id): Path<i64>) -> ApiResult<Json<Vec<PartnerJson>>> {
    let c = allowed(&state, &user, id, Action::Read).await?;
    Ok(Json(state.db.partners(c).await?.iter().map(PartnerJson::from).collect()))
}

#[utoipa::path(post, path = "/api/v1/samenwerkingen/{id}/partners", tag = "gezelschap", params(("id" = i64, Path)), request_body = PartnerInput,
    responses((status = 201, body = PartnerJson), (status = 400, body = super::meta::ProblemDetails)))]
pub async fn create_partner(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Body(body): Body<PartnerInput>,
) -> ApiResult<Response> {
    let c = allowed(&state, &user, id, Action::Edit).await?;
    let p = state.db.create_partner(&api_actor(&user, origin), c, &NewPartner::parse(&body)?).await?;
    Ok(created(&PartnerJson::from(&p), format!("{BASE}/{id}/partners/{}", p.id)))
}

#[utoipa::path(get, path = "/api/v1/samenwerkingen/{id}/partners/{item}", tag = "gezelschap", params(("id" = i64, Path), ("item" = i64, Path)), responses((status = 200, body = PartnerJson)))]
pub async fn show_partner(State(state): State<AppState>, ApiUser(user): ApiUser, Path((id, item)): Path<(i64, i64)>) -> ApiResult<Response> {
    let c = allowed(&state, &user, id, Action::Read).await?;
    let p = state.db.partner(c, PartnerId(item)).await?;
    Ok(versioned(&PartnerJson::from(&p), p.version))
}

#[utoipa::path(put, path = "/api/v1/samenwerkingen/{id}/partners/{item}", tag = "gezelschap", params(("id" = i64, Path), ("item" = i64, Path), ("If-Match" = String, Header)), request_body = PartnerInput,
    responses((status = 200, body = PartnerJson), (status = 409, body = super::meta::ProblemDetails), (status = 428, body = super::meta::ProblemDetails)))]
pub async fn update_partner(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path((id, item)): Path<(i64, i64)>,
    headers: HeaderMap,
    Body(body): Body<PartnerInput>,
) -> ApiResult<Response> {
    let c = allowed(&state, &user, id, Action::Edit).await?;
    let version = if_match(&headers)?;
    let p = state.db.update_partner(&api_actor(&user, origin), c, PartnerId(item), version, &NewPartner::parse(&body)?).await?;
    Ok(versioned(&PartnerJson::from(&p), p.version))
}

#[utoipa::path(delete, path = "/api/v1/samenwerkingen/{id}/partners/{item}", tag = "gezelschap", params(("id" = i64, Path), ("item" = i64, Path)), responses((status = 204)))]
pub async fn delete_partner(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path((id, item)): Path<(i64, i64)>,
) -> ApiResult<Response> {
    let c = allowed(&state, &user, id, Action::Manage).await?;
    state.db.delete_partner(&api_actor(&user, origin), c, PartnerId(item)).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Serialize, ToSchema)]
pub struct PersonJson {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub function: String,
    pub partner_id: Option<i64>,
    pub roles: Vec<String>,
    /// True when the person has left the collaboration.
    pub left: bool,
    pub version: i64,
}

impl From<&Person> for PersonJson {
    fn from(p: &Person) -> PersonJson {
        PersonJson {
            id: p.id.0,
            name: p.name.clone(),
            email: p.email.clone(),
            function: p.function.clone(),
            partner_id: p.partner_id.map(|p| p.0),
            roles: p.roles.iter().map(|r| r.code().to_string()).collect(),
            left: p.left,
            version: p.version,
        }
    }
}

#[utoipa::path(get, path = "/api/v1/samenwerkingen/{id}/personen", tag = "gezelschap", params(("id" = i64, Path)), responses((status = 200, body = [PersonJson])))]
pub async fn list_people(State(state): State<AppState>, ApiUser(user): ApiUser, Path(id): Path<i64>) -> ApiResult<Json<Vec<PersonJson>>> {
    let c = allowed(&state, &user, id, Action::Read).await?;
    Ok(Json(state.db.people(c).await?.iter().map(PersonJson::from).collect()))
}

#[utoipa::path(post, path = "/api/v1/samenwerkingen/{id}/personen", tag = "gezelschap", params(("id" = i64, Path)), request_body = PersonInput,
    responses((status = 201, body = PersonJson), (status = 400, body = super::meta::ProblemDetails)))]
pub async fn create_person(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Body(body): Body<PersonInput>,
) -> ApiResult<Response> {
    let c = allowed(&state, &user, id, Action::Edit).await?;
    let p = state.db.create_person(&api_actor(&user, origin), c, &NewPerson::parse(&body)?).await?;
    Ok(created(&PersonJson::from(&p), format!("{BASE}/{id}/personen/{}", p.id)))
}

#[utoipa::path(get, path = "/api/v1/samenwerkingen/{id}/personen/{item}", tag = "gezelschap", params(("id" = i64, Path), ("item" = i64, Path)), responses((status = 200, body = PersonJson)))]
pub async fn show_person(State(state): State<AppState>, ApiUser(user): ApiUser, Path((id, item)): Path<(i64, i64)>) -> ApiResult<Response> {
    let c = allowed(&state, &user, id, Action::Read).await?;
    let p = state.db.person(c, PersonId(item)).await?;
    Ok(versioned(&PersonJson::from(&p), p.version))
}

#[utoipa::path(put, path = "/api/v1/samenwerkingen/{id}/personen/{item}", tag = "gezelschap", params(("id" = i64, Path), ("item" = i64, Path), ("If-Match" = String, Header)), request_body = PersonInput,
    responses((status = 200, body = PersonJson), (status = 409, body = super::meta::ProblemDetails), (status = 428, body = super::meta::ProblemDetails)))]
pub async fn update_person(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path((id, item)): Path<(i64, i64)>,
    headers: HeaderMap,
    Body(body): Body<PersonInput>,
) -> ApiResult<Response> {
    let c = allowed(&state, &user, id, Action::Edit).await?;
    let version = if_match(&headers)?;
    let p = state.db.update_person(&api_actor(&user, origin), c, PersonId(item), version, &NewPerson::parse(&body)?).await?;
    Ok(versioned(&PersonJson::from(&p), p.version))
}

#[utoipa::path(delete, path = "/api/v1/samenwerkingen/{id}/personen/{item}", tag = "gezelschap", params(("id" = i64, Path), ("item" = i64, Path)), responses((status = 204)))]
pub async fn delete_person(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path((id, item)): Path<(i64, i64)>,
) -> ApiResult<Response> {
    let c = allowed(&state, &user, id, Action::Manage).await?;
    state.db.delete_person(&api_actor(&user, origin), c, PersonId(item)).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Serialize, ToSchema)]
pub struct PortfolioJson {
    pub id: i64,
    pub name: String,
    pub mandate: String,
    pub expectations: String,
    pub holder_id: Option<i64>,
    /// True when nobody (still active) holds the portfolio.
    pub vacant: bool,
    pub version: i64,
}

fn portfolio_json(p: &Portfolio, people: &[Person]) -> PortfolioJson {
    let vacant = domain::portfolio::is_vacant(p, |pid| people.iter().find(|h| h.id == pid).is_none_or(|h| h.left));
    PortfolioJson {
        id: p.id.0,
        name: p.name.clone(),
        mandate: p.mandate.clone(),
        expectations: p.expectations.clone(),
        holder_id: p.holder_id.map(|h| h.0),
        vacant,
        version: p.version,
    }
}

#[utoipa::path(get, path = "/api/v1/samenwerkingen/{id}/portefeuilles", tag = "gezelschap", params(("id" = i64, Path)), responses((status = 200, body = [PortfolioJson])))]
pub async fn list_portfolios(State(state): State<AppState>, ApiUser(user): ApiUser, Path(id): Path<i64>) -> ApiResult<Json<Vec<PortfolioJson>>> {
    let c = allowed(&state, &user, id, Action::Read).await?;
    let people = state.db.people(c).await?;
    Ok(Json(state.db.portfolios(c).await?.iter().map(|p| portfolio_json(p, &people)).collect()))
}

#[utoipa::path(post, path = "/api/v1/samenwerkingen/{id}/portefeuilles", tag = "gezelschap", params(("id" = i64, Path)), request_body = PortfolioInput,
    responses((status = 201, body = PortfolioJson), (status = 400, body = super::meta::ProblemDetails)))]
pub async fn create_portfolio(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Body(body): Body<PortfolioInput>,
) -> ApiResult<Response> {
    let c = allowed(&state, &user, id, Action::Edit).await?;
    let p = state.db.create_portfolio(&api_actor(&user, origin), c, &NewPortfolio::parse(&body)?).await?;
    let people = state.db.people(c).await?;
    Ok(created(&portfolio_json(&p, &people), format!("{BASE}/{id}/portefeuilles/{}", p.id)))
}

#[utoipa::path(get, path = "/api/v1/samenwerkingen/{id}/portefeuilles/{item}", tag = "gezelschap", params(("id" = i64, Path), ("item" = i64, Path)), responses((status = 200, body = PortfolioJson)))]
pub async fn show_portfolio(State(state): State<AppState>, ApiUser(user): ApiUser, Path((id, item)): Path<(i64, i64)>) -> ApiResult<Response> {
    let c = allowed(&state, &user, id, Action::Read).await?;
    let p = state.db.portfolio(c, PortfolioId(item)).await?;
    Ok(versioned(&portfolio_json(&p, &state.db.people(c).await?), p.version))
}

#[utoipa::path(put, path = "/api/v1/samenwerkingen/{id}/portefeuilles/{item}", tag = "gezelschap", params(("id" = i64, Path), ("item" = i64, Path), ("If-Match" = String, Header)), request_body = PortfolioInput,
    responses((status = 200, body = PortfolioJson), (status = 409, body = super::meta::ProblemDetails), (status = 428, body = super::meta::ProblemDetails)))]
pub async fn update_portfolio(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path((id, item)): Path<(i64, i64)>,
    headers: HeaderMap,
    Body(body): Body<PortfolioInput>,
) -> ApiResult<Response> {
    let c = allowed(&state, &user, id, Action::Edit).await?;
    let version = if_match(&headers)?;
    let p = state.db.update_portfolio(&api_actor(&user, origin), c, PortfolioId(item), version, &NewPortfolio::parse(&body)?).await?;
    Ok(versioned(&portfolio_json(&p, &state.db.people(c).await?), p.version))
}

#[utoipa::path(delete, path = "/api/v1/samenwerkingen/{id}/portefeuilles/{item}", tag = "gezelschap", params(("id" = i64, Path), ("item" = i64, Path)), responses((status = 204)))]
pub async fn delete_portfolio(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path((id, item)): Path<(i64, i64)>,
) -> ApiResult<Response> {
    let c = allowed(&state, &user, id, Action::Manage).await?;
    state.db.delete_portfolio(&api_actor(&user, origin), c, PortfolioId(item)).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
