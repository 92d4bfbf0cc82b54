//! `/api/v1/samenwerkingen`: collaborations, their company check, members and audit log.

use super::{ApiResult, Body, Path, created, if_match, versioned};
use crate::AppState;
use crate::access::collaboration_access;
use crate::collaboration::current_year;
use crate::error::AppError;
use crate::routes::Routes;
use crate::security::ClientOrigin;
use crate::session::ApiUser;
use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use domain::access::{Action, Role};
use domain::collaboration::{Collaboration, CollaborationInput, NewCollaboration};
use serde::{Deserialize, Serialize};
use store::Actor;
use utoipa::ToSchema;

pub fn routes() -> Routes {
    Routes::new()
        .get("/api/v1/samenwerkingen", list)
        .post("/api/v1/samenwerkingen", create)
        .get("/api/v1/samenwerkingen/{id}", show)
        .put("/api/v1/samenwerkingen/{id}", update)
        .get("/api/v1/samenwerkingen/{id}/wie-missen-we-nog", company_check)
        .get("/api/v1/samenwerkingen/{id}/leden", members)
        .get("/api/v1/samenwerkingen/{id}/logboek", audit)
        .get("/api/v1/samenwerkingen/{id}/vier-ogen", four_eyes)
        .put("/api/v1/samenwerkingen/{id}/vier-ogen", set_four_eyes)
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct FourEyesJson {
    /// When true, figures are approved by another member than the one who submitted them.
    pub four_eyes: bool,
}

/// The setting as sent: read after the caller is known to be the beheerder, so others learn
/// nothing from how their body is judged.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct FourEyesInput {
    four_eyes: Option<bool>,
}

/// Whether figures are approved by another member than the one who submitted them.
#[utoipa::path(get, path = "/api/v1/samenwerkingen/{id}/vier-ogen", tag = "samenwerkingen", params(("id" = i64, Path)), responses((status = 200, body = FourEyesJson)))]
pub async fn four_eyes(State(state): State<AppState>, ApiUser(user): ApiUser, Path(id): Path<i64>) -> ApiResult<Json<FourEyesJson>> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Read).await?;
    Ok(Json(FourEyesJson { four_eyes: state.db.four_eyes(c.id).await? }))
}

/// Sets four eyes (beheerder): approval of figures by another member than the submitter.
#[utoipa::path(put, path = "/api/v1/samenwerkingen/{id}/vier-ogen", tag = "samenwerkingen", params(("id" = i64, Path)), request_body = FourEyesJson,
    responses((status = 200, body = FourEyesJson), (status = 400, body = super::meta::ProblemDetails), (status = 403, body = super::meta::ProblemDetails)))]
pub async fn set_four_eyes(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Body(body): Body<FourEyesInput>,
) -> ApiResult<Json<FourEyesJson>> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Manage).await?;
    let Some(on) = body.four_eyes else { return Err(AppError::Invalid(domain::Invalid::single("four_eyes", "err.required")).into()) };
    state.db.set_four_eyes(&api_actor(&user, origin), c.id, on).await?;
    Ok(Json(FourEyesJson { four_eyes: state.db.four_eyes(c.id).await? }))
}

pub fn api_actor(user: &store::user::User, origin: String) -> Actor {
    Actor { user_id: Some(user.id), label: user.email.clone(), origin }
}

#[derive(Serialize, ToSchema)]
pub struct CollaborationJson {
    pub id: i64,
    pub name: String,
    pub description: String,
    /// wijk, gemeente, regio or landelijk
    pub scale: String,
    pub area_codes: Vec<String>,
    pub area_year: i32,
    /// 12-, 12+ or beide
    pub age_focus: String,
    pub status: String,
    pub version: i64,
    /// The caller's role in this collaboration.
    pub role: Option<String>,
}

impl CollaborationJson {
    fn from(c: &Collaboration, role: Option<Role>) -> CollaborationJson {
        CollaborationJson {
            id: c.id.0,
            name: c.name.clone(),
            description: c.description.clone(),
            scale: c.scale.code().into(),
            area_codes: c.area_codes.iter().map(|a| a.to_string()).collect(),
            area_year: c.area_year,
            age_focus: c.age_focus.code().into(),
            status: c.status.code().into(),
            version: c.version,
            role: role.map(|r| r.code().to_string()),
        }
    }
}

/// The collaborations the caller is a member of.
#[utoipa::path(get, path = "/api/v1/samenwerkingen", tag = "samenwerkingen", responses((status = 200, body = [CollaborationJson]), (status = 401, body = super::meta::ProblemDetails)))]
pub async fn list(State(state): State<AppState>, ApiUser(user): ApiUser) -> ApiResult<Json<Vec<CollaborationJson>>> {
    let mine = state.db.collaborations_of(user.id()).await?;
    Ok(Json(mine.iter().map(|(c, role)| CollaborationJson::from(c, Some(*role))).collect()))
}

#[derive(Deserialize, ToSchema)]
pub struct NewCollaborationBody {
    #[serde(flatten)]
    pub collaboration: CollaborationInput,
    /// The e-mail of the first beheerder. When no account has it, one is made with an
    /// invitation link that sets its password.
    #[serde(default)]
    pub beheerder_email: String,
    /// The name of the first beheerder, needed only when no account has the e-mail yet.
    #[serde(default)]
    pub beheerder_name: String,
}

/// An invitation link, shown once: it sets the account's first password and works once.
#[derive(Serialize, ToSchema)]
pub struct InvitationJson {
    pub url: String,
    /// Unix seconds after which the link no longer works.
    pub expires_at: i64,
}

#[derive(Serialize, ToSchema)]
pub struct CreatedCollaborationJson {
    #[serde(flatten)]
    pub collaboration: CollaborationJson,
    /// The e-mail of the first beheerder.
    pub beheerder_email: String,
    /// Present when the first beheerder's account was made in this step.
    pub invitation: Option<InvitationJson>,
}

/// Creates a collaboration with its first beheerder (instance administrators only).
#[utoipa::path(post, path = "/api/v1/samenwerkingen", tag = "samenwerkingen", request_body = NewCollaborationBody,
    responses((status = 201, body = CreatedCollaborationJson), (status = 400, body = super::meta::ProblemDetails), (status = 403, body = super::meta::ProblemDetails)))]
pub async fn create(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    headers: HeaderMap,
    ApiUser(user): ApiUser,
    Body(body): Body<NewCollaborationBody>,
) -> ApiResult<Response> {
    if !user.is_admin {
        return Err(AppError::Forbidden.into());
    }
    let made = crate::collaboration::create(
        &state.db,
        &api_actor(&user, origin),
        &body.collaboration,
        &body.beheerder_email,
        &body.beheerder_name,
        domain::Invalid::default(),
    )
    .await?;
    let c = &made.collaboration;
    let role = state.db.role_of(user.id(), c.id).await?;
    let json = CreatedCollaborationJson {
        collaboration: CollaborationJson::from(c, role),
        beheerder_email: made.beheerder.email.clone(),
        invitation: made.invitation.as_ref().map(|i| InvitationJson { url: crate::accounts::invitation_url(&headers, &i.path()), expires_at: i.expires_at }),
    };
    Ok(created(&json, format!("/api/v1/samenwerkingen/{}", c.id)))
}

#[utoipa::path(get, path = "/api/v1/samenwerkingen/{id}", tag = "samenwerkingen", params(("id" = i64, Path)),
    responses((status = 200, body = CollaborationJson), (status = 404, body = super::meta::ProblemDetails)))]
pub async fn show(State(state): State<AppState>, ApiUser(user): ApiUser, Path(id): Path<i64>) -> ApiResult<Response> {
    let (c, role) = collaboration_access(&state, &user, id, Action::Read).await?;
    Ok(versioned(&CollaborationJson::from(&c, Some(role)), c.version))
}

/// Changes a collaboration's settings (beheerder). Send the version you read as `If-Match`.
#[utoipa::path(put, path = "/api/v1/samenwerkingen/{id}", tag = "samenwerkingen", params(("id" = i64, Path), ("If-Match" = String, Header)), request_body = CollaborationInput,
    responses((status = 200, body = CollaborationJson), (status = 400, body = super::meta::ProblemDetails), (status = 409, body = super::meta::ProblemDetails), (status = 428, body = super::meta::ProblemDetails)))]
pub async fn update(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Body(body): Body<CollaborationInput>,
) -> ApiResult<Response> {
    let (c, role) = collaboration_access(&state, &user, id, Action::Manage).await?;
    let version = if_match(&headers)?;
    let new = NewCollaboration::parse(&body, current_year())?;
    let c = state.db.update_collaboration(&api_actor(&user, origin), c.id, version, &new).await?;
    crate::publication::settle(&state, c.id).await;
    Ok(versioned(&CollaborationJson::from(&c, Some(role)), c.version))
}

#[derive(Serialize, ToSchema)]
pub struct CompanyCheckJson {
    /// Expected sectors not yet present, the often-forgotten ones first.
    pub missing: Vec<MissingJson>,
    /// Inner-ring partners without an active ambassador.
    pub inner_ring_without_ambassador: Vec<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct MissingJson {
    pub sector: String,
    pub often_forgotten: bool,
}

/// "Wie missen we nog?": missing sectors and the ambassador check.
#[utoipa::path(get, path = "/api/v1/samenwerkingen/{id}/wie-missen-we-nog", tag = "samenwerkingen", params(("id" = i64, Path)), responses((status = 200, body = CompanyCheckJson)))]
pub async fn company_check(State(state): State<AppState>, ApiUser(user): ApiUser, Path(id): Path<i64>) -> ApiResult<Json<CompanyCheckJson>> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Read).await?;
    let check = domain::company::check(c.age_focus, &state.db.partners(c.id).await?, &state.db.people(c.id).await?);
    Ok(Json(CompanyCheckJson {
        missing: check.missing.iter().map(|m| MissingJson { sector: m.sector.code().into(), often_forgotten: m.often_forgotten }).collect(),
        inner_ring_without_ambassador: check.inner_ring_without_ambassador.iter().map(|p| p.0).collect(),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct MemberJson {
    pub user_id: i64,
    pub name: String,
    pub email: String,
    pub role: String,
}

#[utoipa::path(get, path = "/api/v1/samenwerkingen/{id}/leden", tag = "samenwerkingen", params(("id" = i64, Path)), responses((status = 200, body = [MemberJson])))]
pub async fn members(State(state): State<AppState>, ApiUser(user): ApiUser, Path(id): Path<i64>) -> ApiResult<Json<Vec<MemberJson>>> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Read).await?;
    let members = state.db.members(c.id).await?;
    Ok(Json(members.into_iter().map(|m| MemberJson { user_id: m.user_id, name: m.name, email: m.email, role: m.role }).collect()))
}

#[derive(Serialize, ToSchema)]
pub struct AuditJson {
    pub seq: i64,
    /// Unix time (UTC).
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub object: String,
    pub result: String,
    pub origin: String,
}

/// The collaboration's audit log, newest first (beheerder).
#[utoipa::path(get, path = "/api/v1/samenwerkingen/{id}/logboek", tag = "samenwerkingen", params(("id" = i64, Path)), responses((status = 200, body = [AuditJson])))]
pub async fn audit(State(state): State<AppState>, ApiUser(user): ApiUser, Path(id): Path<i64>) -> ApiResult<Json<Vec<AuditJson>>> {
    let (c, _) = collaboration_access(&state, &user, id, Action::Manage).await?;
    let entries = state.db.audit_for_collaboration(c.id.0, 500).await?;
    Ok(Json(
        entries
            .into_iter()
            .map(|e| AuditJson { seq: e.seq, at: e.at, actor: e.actor, action: e.action, object: e.object, result: e.result, origin: e.origin })
            .collect(),
    ))
}
