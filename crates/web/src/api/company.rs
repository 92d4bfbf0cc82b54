//! `/api/v1/samenwerkingen/{id}/partners`, `/personen` and `/portefeuilles`: the same five
//! handlers for each kind, written once over `company::Child` and annotated per kind by
//! `children!` so each has its own place in the OpenAPI document.

use super::collaboration::api_actor;
use super::{ApiResult, Body, Path, created, if_match, versioned};
use crate::AppState;
use crate::access::collaboration_access;
use crate::company::{Child, vacant};
use crate::routes::Routes;
use crate::security::ClientOrigin;
use crate::session::ApiUser;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use domain::access::Action;
use domain::ids::CollaborationId;
use domain::partner::{Partner, PartnerInput};
use domain::person::{Person, PersonInput};
use domain::portfolio::{Portfolio, PortfolioInput};
use serde::Serialize;
use std::future::Future;
use store::Db;
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

/// A child as the API shows it.
trait Shown: Child {
    type Json: Serialize + Send;
    /// The JSON of `items`, with what it needs of the collaboration read from `db`.
    fn shown(db: &Db, c: CollaborationId, items: Vec<Self>) -> impl Future<Output = store::Result<Vec<Self::Json>>> + Send;
}

/// The JSON of a single child.
async fn one_shown<T: Shown>(db: &Db, c: CollaborationId, item: T) -> ApiResult<(T::Json, i64)> {
    let version = item.version();
    let json = T::shown(db, c, vec![item]).await?.pop().ok_or(crate::error::AppError::NotFound)?;
    Ok((json, version))
}

async fn list<T: Shown>(state: AppState, user: store::user::User, id: i64) -> ApiResult<Json<Vec<T::Json>>> {
    let c = allowed(&state, &user, id, Action::Read).await?;
    Ok(Json(T::shown(&state.db, c, T::list(&state.db, c).await?).await?))
}

async fn create<T: Shown>(state: AppState, origin: String, user: store::user::User, id: i64, body: T::Input) -> ApiResult<Response> {
    let c = allowed(&state, &user, id, Action::Edit).await?;
    let item = T::create(&state.db, &api_actor(&user, origin), c, &T::check(&body)?).await?;
    let location = format!("{BASE}/{id}/{}/{}", T::SEGMENT, item.key());
    Ok(created(&one_shown(&state.db, c, item).await?.0, location))
}

async fn show<T: Shown>(state: AppState, user: store::user::User, (id, item): (i64, i64)) -> ApiResult<Response> {
    let c = allowed(&state, &user, id, Action::Read).await?;
    let (json, version) = one_shown(&state.db, c, T::one(&state.db, c, item).await?).await?;
    Ok(versioned(&json, version))
}

async fn update<T: Shown>(
    state: AppState,
    origin: String,
    user: store::user::User,
    (id, item): (i64, i64),
    headers: HeaderMap,
    body: T::Input,
) -> ApiResult<Response> {
    let c = allowed(&state, &user, id, Action::Edit).await?;
    let version = if_match(&headers)?;
    let changed = T::update(&state.db, &api_actor(&user, origin), c, item, version, &T::check(&body)?).await?;
    let (json, version) = one_shown(&state.db, c, changed).await?;
    Ok(versioned(&json, version))
}

async fn delete<T: Shown>(state: AppState, origin: String, user: store::user::User, (id, item): (i64, i64)) -> ApiResult<Response> {
    let c = allowed(&state, &user, id, Action::Manage).await?;
    T::delete(&state.db, &api_actor(&user, origin), c, item).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The five annotated handlers of one kind: `$list` and `$create` on `$path`, the others on
/// `$item_path`.
macro_rules! children {
    ($kind:ident, $input:ident, $json:ident, $path:literal, $item_path:literal, [$list:ident, $create:ident, $show:ident, $update:ident, $delete:ident]) => {
        #[utoipa::path(get, path = $path, tag = "gezelschap", params(("id" = i64, Path)), responses((status = 200, body = [$json])))]
        pub async fn $list(State(state): State<AppState>, ApiUser(user): ApiUser, Path(id): Path<i64>) -> ApiResult<Json<Vec<$json>>> {
            list::<$kind>(state, user, id).await
        }

        #[utoipa::path(post, path = $path, tag = "gezelschap", params(("id" = i64, Path)), request_body = $input,
            responses((status = 201, body = $json), (status = 400, body = super::meta::ProblemDetails)))]
        pub async fn $create(
            State(state): State<AppState>,
            ClientOrigin(origin): ClientOrigin,
            ApiUser(user): ApiUser,
            Path(id): Path<i64>,
            Body(body): Body<$input>,
        ) -> ApiResult<Response> {
            create::<$kind>(state, origin, user, id, body).await
        }

        #[utoipa::path(get, path = $item_path, tag = "gezelschap", params(("id" = i64, Path), ("item" = i64, Path)), responses((status = 200, body = $json)))]
        pub async fn $show(State(state): State<AppState>, ApiUser(user): ApiUser, Path(ids): Path<(i64, i64)>) -> ApiResult<Response> {
            show::<$kind>(state, user, ids).await
        }

        #[utoipa::path(put, path = $item_path, tag = "gezelschap", params(("id" = i64, Path), ("item" = i64, Path), ("If-Match" = String, Header)), request_body = $input,
            responses((status = 200, body = $json), (status = 409, body = super::meta::ProblemDetails), (status = 428, body = super::meta::ProblemDetails)))]
        pub async fn $update(
            State(state): State<AppState>,
            ClientOrigin(origin): ClientOrigin,
            ApiUser(user): ApiUser,
            Path(ids): Path<(i64, i64)>,
            headers: HeaderMap,
            Body(body): Body<$input>,
        ) -> ApiResult<Response> {
            update::<$kind>(state, origin, user, ids, headers, body).await
        }

        #[utoipa::path(delete, path = $item_path, tag = "gezelschap", params(("id" = i64, Path), ("item" = i64, Path)), responses((status = 204)))]
        pub async fn $delete(
            State(state): State<AppState>,
            ClientOrigin(origin): ClientOrigin,
            ApiUser(user): ApiUser,
            Path(ids): Path<(i64, i64)>,
        ) -> ApiResult<Response> {
            delete::<$kind>(state, origin, user, ids).await
        }
    };
}

children!(
    Partner,
    PartnerInput,
    PartnerJson,
    "/api/v1/samenwerkingen/{id}/partners",
    "/api/v1/samenwerkingen/{id}/partners/{item}",
    [list_partners, create_partner, show_partner, update_partner, delete_partner]
);
children!(
    Person,
    PersonInput,
    PersonJson,
    "/api/v1/samenwerkingen/{id}/personen",
    "/api/v1/samenwerkingen/{id}/personen/{item}",
    [list_people, create_person, show_person, update_person, delete_person]
);
children!(
    Portfolio,
    PortfolioInput,
    PortfolioJson,
    "/api/v1/samenwerkingen/{id}/portefeuilles",
    "/api/v1/samenwerkingen/{id}/portefeuilles/{item}",
    [list_portfolios, create_portfolio, show_portfolio, update_portfolio, delete_portfolio]
);

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

impl Shown for Partner {
    type Json = PartnerJson;
    async fn shown(_: &Db, _: CollaborationId, items: Vec<Partner>) -> store::Result<Vec<PartnerJson>> {
        Ok(items.iter().map(PartnerJson::from).collect())
    }
}

impl Shown for Person {
    type Json = PersonJson;
    async fn shown(_: &Db, _: CollaborationId, items: Vec<Person>) -> store::Result<Vec<PersonJson>> {
        Ok(items.iter().map(PersonJson::from).collect())
    }
}

impl Shown for Portfolio {
    type Json = PortfolioJson;
    async fn shown(db: &Db, c: CollaborationId, items: Vec<Portfolio>) -> store::Result<Vec<PortfolioJson>> {
        let people = db.people(c).await?;
        Ok(items
            .iter()
            .map(|p| PortfolioJson {
                id: p.id.0,
                name: p.name.clone(),
                mandate: p.mandate.clone(),
                expectations: p.expectations.clone(),
                holder_id: p.holder_id.map(|h| h.0),
                vacant: vacant(p, &people),
                version: p.version,
            })
            .collect())
    }
}
