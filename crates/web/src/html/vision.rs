//! The shared vision: write the draft (task, hard data, soft signals, perspective …), adopt
//! it as a version, see at a glance how broad the support is, compare versions side by side.

use super::{AssentError, Page, PageResult, collaboration_access, render, see_other};
use crate::AppState;
use crate::error::AppError;
use crate::form::FormBody;
use crate::html::collaboration::actor;
use crate::i18n::Lang;
use crate::routes::Routes;
use crate::security::ClientOrigin;
use crate::session::Visitor;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use domain::access::Action;
use domain::agreement::Assent;
use domain::vision::{HardDataInput, SignalSource, SoftSignalInput, VisionContent, VisionInput};
use store::StoreError;
use store::agreement::AssentAnswer;

pub fn routes() -> Routes {
    Routes::new()
        .get("/samenwerkingen/{id}/visie", show)
        .get("/samenwerkingen/{id}/visie/bewerken", edit_form)
        .post("/samenwerkingen/{id}/visie/bewerken", save)
        .post("/samenwerkingen/{id}/visie/vaststellen", adopt)
        .get("/samenwerkingen/{id}/visie/vergelijk", compare)
        .post("/samenwerkingen/{id}/visie/draagvlak", endorse)
}

/// Empty rows offered in the form for new hard data and soft signals.
const BLANK_ROWS: usize = 3;

pub struct Support {
    pub partner_id: i64,
    pub name: String,
    pub assent: String,
    pub reason: String,
}

#[derive(Template)]
#[template(path = "vision.html")]
struct ShowTemplate<'a> {
    page: &'a Page,
    id: i64,
    current: Option<(i64, VisionContent, String)>,
    draft_differs: bool,
    /// The saved draft, readable on the page when it differs from the adopted version.
    draft: Option<VisionContent>,
    support: Vec<Support>,
    counts: (usize, usize, usize),
    versions: Vec<(i64, String, String)>,
    assents: Vec<(String, String)>,
    assent_action: String,
    can_edit: bool,
    can_adopt: bool,
    message: String,
    assent_error: Option<AssentError>,
}

async fn show_page(state: &AppState, lang: Lang, visitor: &Visitor, id: i64, message: Option<&str>, status: StatusCode) -> PageResult {
    page_with(state, lang, visitor, id, message, None, status).await
}

/// The vision's page; with `assent_error`, a refused answer shown again in its partner's form.
async fn page_with(
    state: &AppState,
    lang: Lang,
    visitor: &Visitor,
    id: i64,
    message: Option<&str>,
    assent_error: Option<AssentError>,
    status: StatusCode,
) -> PageResult {
    let (c, role) = collaboration_access(state, &visitor.user, id, Action::Read).await?;
    let page = Page::new(lang, "vision.title").user(&visitor.user).in_collab(&c, role, "vision");
    let versions = state.db.vision_versions(c.id).await?;
    let (draft, edit) = state.db.vision_draft(c.id).await?;
    let current = versions.last().map(|v| (v.version, v.content.clone(), lang.datetime(v.adopted_at)));
    let endorsements = state.db.vision_endorsements(c.id).await?;
    let partners = state.db.partners(c.id).await?;
    let latest = versions.last().map(|v| v.version).unwrap_or(0);
    let support: Vec<Support> = partners
        .iter()
        .map(|p| {
            let e = endorsements.iter().find(|e| e.version == latest && e.partner_id == p.id.0);
            Support {
                partner_id: p.id.0,
                name: p.name.clone(),
                assent: e.map(|e| e.assent).unwrap_or(Assent::NogNiet).code().to_string(),
                reason: e.map(|e| e.reason.clone()).unwrap_or_default(),
            }
        })
        .collect();
    let count = |code: &str| support.iter().filter(|s| s.assent == code).count();
    let counts = (count("instemming"), count("voorbehoud"), count("nog_niet"));
    let draft_differs = edit > 0 && versions.last().is_none_or(|v| v.content != draft);
    let mut response = render(&ShowTemplate {
        page: &page,
        id,
        current,
        draft_differs,
        draft: draft_differs.then_some(draft),
        support,
        counts,
        versions: versions.iter().rev().map(|v| (v.version, v.adopted_by.clone(), lang.datetime(v.adopted_at))).collect(),
        assents: super::choices(&page, "assent", Assent::ALL, Assent::code),
        assent_action: format!("/samenwerkingen/{id}/visie/draagvlak"),
        can_edit: role.allows(Action::Edit),
        can_adopt: role.allows(Action::Manage),
        message: message.unwrap_or_default().to_string(),
        assent_error,
    });
    *response.status_mut() = status;
    Ok(response)
}

async fn show(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>) -> PageResult {
    show_page(&state, lang, &visitor, id, None, StatusCode::OK).await
}

#[derive(Template)]
#[template(path = "vision_form.html")]
struct FormTemplate<'a> {
    page: &'a Page,
    id: i64,
    version: i64,
    input: &'a VisionInput,
    sources: Vec<(String, String)>,
    /// The free-text parts: (field, label, value, hint).
    texts: Vec<(&'static str, String, String, String)>,
    /// Each error as (link to its field, message).
    errors: Vec<(String, String)>,
    /// The ids of the row fields an error is about, marked invalid.
    bad: Vec<String>,
    message: String,
}

impl FormTemplate<'_> {
    fn is_bad(&self, kind: &str, row: &usize, part: &str) -> bool {
        let id = format!("{kind}-{row}-{part}");
        self.bad.contains(&id)
    }
}

/// The id of the field in a numbered row that an error is about, and the row's label.
fn row_field(e: &domain::error::FieldError) -> Option<(String, &'static str)> {
    let (prefix, label) = match e.field {
        "hard_data" => ("hard", "vision.figure"),
        "soft_signals" => ("soft", "vision.heard"),
        _ => return None,
    };
    let part = match e.code {
        "err.source_needed" => "source",
        "err.choice" => "from",
        c if c.starts_with("err.date") => "date",
        _ => "what",
    };
    Some((format!("{prefix}-{}-{part}", e.row? - 1), label))
}

fn input_of(v: &VisionContent) -> VisionInput {
    let mut input = VisionInput {
        task: v.task.clone(),
        hard_data: v.hard_data.iter().map(|h| HardDataInput { what: h.what.clone(), source: h.source.clone(), date: h.date.clone() }).collect(),
        soft_signals: v.soft_signals.iter().map(|s| SoftSignalInput { what: s.what.clone(), from: s.from.code().into(), date: s.date.clone() }).collect(),
        bottlenecks: v.bottlenecks.clone(),
        improvements: v.improvements.clone(),
        perspective: v.perspective.clone(),
        principles: v.principles.clone(),
        definition: v.definition.clone(),
    };
    with_blank_rows(&mut input);
    input
}

fn with_blank_rows(input: &mut VisionInput) {
    input.hard_data.retain(|r| !r.what.trim().is_empty());
    input.soft_signals.retain(|r| !r.what.trim().is_empty());
    input.hard_data.extend((0..BLANK_ROWS).map(|_| HardDataInput::default()));
    input.soft_signals.extend((0..BLANK_ROWS).map(|_| SoftSignalInput::default()));
}

fn form_page(
    page: &Page,
    id: i64,
    version: i64,
    input: &VisionInput,
    invalid: Option<&domain::Invalid>,
    message: &str,
    status: StatusCode,
) -> axum::response::Response {
    let (mut errors, mut bad) = (Vec::new(), Vec::new());
    for e in invalid.map(|i| i.errors.as_slice()).unwrap_or_default() {
        match (row_field(e), e.row) {
            (Some((id, label)), Some(row)) => {
                errors.push((format!("#{id}"), format!("{} {row}: {}", page.t(label), page.lang.error(e))));
                bad.push(id);
            }
            _ => errors.push((format!("#{}", e.field), format!("{}: {}", page.t(&format!("field.{}", e.field)), page.lang.error(e)))),
        }
    }
    errors.dedup();
    let mut sources = vec![(String::new(), page.t("form.choose").to_string())];
    sources.extend(super::choices(page, "signal", SignalSource::ALL, SignalSource::code));
    let texts = [
        ("bottlenecks", &input.bottlenecks),
        ("improvements", &input.improvements),
        ("perspective", &input.perspective),
        ("principles", &input.principles),
        ("definition", &input.definition),
    ]
    .into_iter()
    .map(|(name, value)| (name, page.t(&format!("field.{name}")).to_string(), value.clone(), page.t(&format!("vision.{name}_hint")).to_string()))
    .collect();
    let mut response = render(&FormTemplate { page, id, version, input, sources, texts, errors, bad, message: message.to_string() });
    *response.status_mut() = status;
    response
}

async fn edit_form(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let page = Page::new(lang, "vision.edit").user(&visitor.user).in_collab(&c, role, "vision");
    let (draft, version) = state.db.vision_draft(c.id).await?;
    Ok(form_page(&page, id, version, &input_of(&draft), None, "", StatusCode::OK))
}

/// Reads the numbered rows (`hard-0-what`, `soft-2-from`, …) into the input's lists.
fn read_form(body: &FormBody) -> Result<VisionInput, AppError> {
    let mut input: VisionInput = body.parse()?;
    let fields: Vec<(String, String)> = body.parse()?;
    let get = |name: String| fields.iter().find(|(k, _)| *k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    let rows = |prefix: &str| (0..50).take_while(|i| fields.iter().any(|(k, _)| k.starts_with(&format!("{prefix}-{i}-")))).collect::<Vec<_>>();
    input.hard_data = rows("hard")
        .into_iter()
        .map(|i| HardDataInput { what: get(format!("hard-{i}-what")), source: get(format!("hard-{i}-source")), date: get(format!("hard-{i}-date")) })
        .collect();
    input.soft_signals = rows("soft")
        .into_iter()
        .map(|i| SoftSignalInput { what: get(format!("soft-{i}-what")), from: get(format!("soft-{i}-from")), date: get(format!("soft-{i}-date")) })
        .collect();
    Ok(input)
}

async fn save(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path(id): Path<i64>,
    body: FormBody,
) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let page = Page::new(lang, "vision.edit").user(&visitor.user).in_collab(&c, role, "vision");
    let (mut input, version) = (read_form(&body)?, body.version()?);
    let content = match VisionContent::parse(&input) {
        Ok(content) => content,
        Err(invalid) => {
            // The rows stay where they were typed, so the errors' row numbers point at them.
            return Ok(form_page(&page, id, version, &input, Some(&invalid), page.t("error.invalid"), StatusCode::BAD_REQUEST));
        }
    };
    match state.db.save_vision_draft(&actor(&visitor, origin), c.id, version, &content).await {
        Ok(_) => Ok(see_other(&format!("/samenwerkingen/{id}/visie"))),
        Err(StoreError::Conflict(_)) => {
            with_blank_rows(&mut input);
            Ok(form_page(&page, id, version, &input, None, page.t("error.stale"), StatusCode::CONFLICT))
        }
        Err(other) => Err(other.into()),
    }
}

async fn adopt(State(state): State<AppState>, lang: Lang, ClientOrigin(origin): ClientOrigin, visitor: Visitor, Path(id): Path<i64>) -> PageResult {
    let (c, _) = collaboration_access(&state, &visitor.user, id, Action::Manage).await?;
    let (draft, _) = state.db.vision_draft(c.id).await?;
    if draft.adoptable().is_err() {
        return show_page(&state, lang, &visitor, id, Some(lang.t("vision.not_adoptable")), StatusCode::BAD_REQUEST).await;
    }
    state.db.adopt_vision(&actor(&visitor, origin), c.id).await?;
    Ok(see_other(&format!("/samenwerkingen/{id}/visie")))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct EndorseForm {
    partner_id: i64,
    version: i64,
    assent: String,
    reason: String,
}

async fn endorse(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path(id): Path<i64>,
    body: FormBody,
) -> PageResult {
    let (c, _) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let form: EndorseForm = body.parse()?;
    let (assent, reason) = match domain::agreement::parse_assent(&form.assent, &form.reason) {
        Ok(answer) => answer,
        Err(invalid) => {
            let error = AssentError::new(lang, form.partner_id, &form.assent, &form.reason, &invalid);
            return page_with(&state, lang, &visitor, id, None, Some(error), StatusCode::BAD_REQUEST).await;
        }
    };
    state.db.endorse_vision(&actor(&visitor, origin), c.id, form.version, &AssentAnswer { partner: form.partner_id, assent, reason: &reason }).await?;
    Ok(see_other(&format!("/samenwerkingen/{id}/visie#draagvlak")))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct CompareQuery {
    van: Option<i64>,
    naar: Option<i64>,
}

#[derive(Template)]
#[template(path = "vision_compare.html")]
struct CompareTemplate<'a> {
    page: &'a Page,
    id: i64,
    from: i64,
    to: i64,
    rows: Vec<(String, String, String, bool)>,
}

async fn compare(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>, Query(q): Query<CompareQuery>) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Read).await?;
    let versions = state.db.vision_versions(c.id).await?;
    let last = versions.last().map(|v| v.version).ok_or(AppError::NotFound)?;
    let to = q.naar.unwrap_or(last);
    let from = q.van.unwrap_or(to - 1).max(1);
    let find = |n: i64| versions.iter().find(|v| v.version == n).ok_or(AppError::NotFound);
    let (a, b) = (find(from)?, find(to)?);
    let page = Page::new(lang, "vision.compare").user(&visitor.user).in_collab(&c, role, "vision");
    let rows =
        a.content.side_by_side(&b.content).into_iter().map(|(f, x, y)| (page.t(&format!("field.{f}")).to_string(), x.clone(), y.clone(), x != y)).collect();
    Ok(render(&CompareTemplate { page: &page, id, from, to, rows }))
}
