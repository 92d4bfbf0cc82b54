//! `POST /api/v1/samenwerkingen/{id}/financien/import`: contributions or spending from a CSV or
//! XLSX file, all or nothing, with the same refusal as the measurement import.

use crate::AppState;
use crate::access::collaboration_access;
use crate::api::collaboration::api_actor;
use crate::api::indicator::{refused, upload_body};
use crate::api::{ApiResult, Path};
use crate::finance_import::Outcome;
use crate::security::ClientOrigin;
use crate::session::ApiUser;
use axum::Json;
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use domain::access::Action;
use serde::Serialize;
use utoipa::ToSchema;

/// What a finance import stored.
#[derive(Serialize, ToSchema)]
pub struct FinanceImportJson {
    /// `bijdragen` or `uitgaven`.
    pub soort: String,
    /// How many rows were stored.
    pub opgeslagen: usize,
}

/// Imports contributions (columns partner, jaar, bron, bedrag, uren, uurtarief, status, afspraak,
/// begin, eind, pot, toelichting) or spending (pot, activiteit, datum, bedrag, omschrijving) from
/// a CSV or XLSX file, all or nothing. Partners, pots, activities and agreements go by id or
/// name. A lid may import only indicatief contributions; spending may not take a pot beyond its
/// secured money, counted over the whole file, unless the pot allows it.
#[utoipa::path(post, path = "/api/v1/samenwerkingen/{id}/financien/import", tag = "financien", params(("id" = i64, Path)),
    request_body(content = String, content_type = "text/csv", description = "The file as the body, or a multipart/form-data upload with the file in a part: CSV (comma, semicolon or tab, decimal comma or point), XLSX, XLS or ODS. At most the instance's upload limit."),
    responses((status = 200, body = FinanceImportJson), (status = 400, body = crate::api::meta::ProblemDetails), (status = 413, body = crate::api::meta::ProblemDetails), (status = 422, body = crate::api::indicator::RefusalJson)))]
pub async fn import(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    request: Request,
) -> ApiResult<Response> {
    let (c, role) = collaboration_access(&state, &user, id, Action::Edit).await?;
    let body = upload_body(request, state.config.max_upload).await?;
    let json = |soort: &str, opgeslagen| Json(FinanceImportJson { soort: soort.into(), opgeslagen }).into_response();
    Ok(match crate::finance_import::import(&state, &api_actor(&user, origin), c.id, role, &body).await? {
        Outcome::Contributions(n) => json("bijdragen", n),
        Outcome::Spendings(n) => json("uitgaven", n),
        Outcome::Refused(refusal) => refused(crate::i18n::Lang::Nl, &refusal),
    })
}
