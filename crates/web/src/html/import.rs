//! The upload page for measurements, and the periods a beheerder locks against change.

use super::{Kept, Page, PageResult, collaboration_access, render, see_other};
use crate::AppState;
use crate::error::AppError;
use crate::form::FormBody;
use crate::html::collaboration::actor;
use crate::i18n::Lang;
use crate::import::{Outcome, UploadError, explain, read_upload};
use crate::routes::Routes;
use crate::security::ClientOrigin;
use crate::session::Visitor;
use askama::Template;
use axum::extract::{DefaultBodyLimit, Path, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::access::Action;

pub fn routes() -> Routes {
    Routes::new()
        .get("/samenwerkingen/{id}/indicatoren/import", page)
        .post("/samenwerkingen/{id}/indicatoren/perioden", lock)
        // The upload reads its body within the instance's own limit (`Config::max_upload`).
        .merge(Routes::new().post("/samenwerkingen/{id}/indicatoren/import", upload).layer(DefaultBodyLimit::disable()))
}

#[derive(Template)]
#[template(path = "import.html")]
struct ImportTemplate<'a> {
    page: &'a Page,
    id: i64,
    indicators: Vec<(String, String, String)>,
    locked: Vec<String>,
    can_manage: bool,
    /// After an upload: the summary, or every reason nothing was stored.
    stored: Option<String>,
    problems: Vec<String>,
    /// The largest file the instance accepts, in MB.
    max_mb: usize,
    /// The period-lock form as it was refused, if it was.
    kept: Kept,
}

async fn show(state: &AppState, lang: Lang, visitor: &Visitor, id: i64, stored: Option<String>, problems: Vec<String>) -> Result<Response, AppError> {
    show_kept(state, lang, visitor, id, stored, problems, Kept::default()).await
}

/// The import page; `kept` holds the period-lock form as it was refused, if it was (then 400).
async fn show_kept(
    state: &AppState,
    lang: Lang,
    visitor: &Visitor,
    id: i64,
    stored: Option<String>,
    problems: Vec<String>,
    kept: Kept,
) -> Result<Response, AppError> {
    let (c, role) = collaboration_access(state, &visitor.user, id, Action::Edit).await?;
    let page = Page::new(lang, "import.title").user(&visitor.user).in_collab(&c, role, "indicators");
    let indicators = state
        .db
        .indicators(c.id)
        .await?
        .into_iter()
        .map(|i| (i.content.code.clone(), i.content.name.clone(), lang.label("periodhint", i.content.period_type.code())))
        .collect();
    let locked = state.db.locked_periods(c.id).await?;
    let status = if !kept.errors.is_empty() {
        StatusCode::BAD_REQUEST
    } else if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let max_mb = state.config.max_upload.div_ceil(1 << 20);
    let mut response = render(&ImportTemplate { page: &page, id, indicators, locked, can_manage: role.allows(Action::Manage), stored, problems, max_mb, kept });
    if response.status().is_success() {
        *response.status_mut() = status;
    }
    Ok(response)
}

async fn page(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>) -> PageResult {
    Ok(show(&state, lang, &visitor, id, None, Vec::new()).await?)
}

async fn upload(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    lang: Lang,
    visitor: Visitor,
    Path(id): Path<i64>,
    request: Request,
) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let form = match read_upload(request, state.config.max_upload).await {
        Ok(form) if !form.file.is_empty() => form,
        Ok(_) => return Ok(show(&state, lang, &visitor, id, None, vec![lang.t("err.file_empty").to_string()]).await?),
        Err(e) => {
            let mut response = show(&state, lang, &visitor, id, None, vec![lang.t(e.message()).to_string()]).await?;
            if e == UploadError::TooLarge && response.status().is_client_error() {
                *response.status_mut() = StatusCode::PAYLOAD_TOO_LARGE;
            }
            return Ok(response);
        }
    };
    let replace = form.field("replace").is_some();
    let outcome =
        crate::import::measurements(&state.db, &actor(&visitor, origin), c.id, &form.file, replace, role.allows(Action::Manage), &mut |_, _| {}).await?;
    let (stored, problems) = match outcome {
        Outcome::Stored(plan) => {
            let summary = format!(
                "{} {}: {} {}, {} {}, {} {}.",
                plan.rows,
                lang.t("import.rows_read"),
                plan.new.len(),
                lang.t("import.new"),
                plan.replaced.len(),
                lang.t("import.replaced"),
                plan.unchanged,
                lang.t("import.unchanged")
            );
            (Some(summary), Vec::new())
        }
        Outcome::Refused(refusal) => (None, explain(lang, &refusal)),
    };
    Ok(show(&state, lang, &visitor, id, stored, problems).await?)
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct LockForm {
    period: String,
    locked: String,
}

async fn lock(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path(id): Path<i64>,
    body: FormBody,
) -> PageResult {
    let (c, _) = collaboration_access(&state, &visitor.user, id, Action::Manage).await?;
    let (form, control): (LockForm, domain::Invalid) = body.parse_kept()?;
    let period = form.period.trim();
    if period.is_empty() || period.chars().count() > 20 || !control.errors.is_empty() {
        let invalid = control.before(Err::<(), _>(domain::Invalid::single("period", "err.period"))).err().unwrap_or_default();
        let kept = Kept::new(lang, "lock", "f-lock-", &body, &invalid, &[("period", "field.period")]);
        return Ok(show_kept(&state, lang, &visitor, id, None, Vec::new(), kept).await?);
    }
    state.db.set_period_lock(&actor(&visitor, origin), c.id, period, form.locked == "1").await?;
    Ok(see_other(&format!("/samenwerkingen/{id}/indicatoren/import#perioden")))
}
