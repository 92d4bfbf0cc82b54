//! The review form: lists what in the lesson might identify a child and saves only after the
//! writer confirms it does not; change with a version check, remove after confirmation.

use super::{base, listed};
use crate::AppState;
use crate::case_review::known;
use crate::error::AppError;
use crate::form::FormBody;
use crate::html::collaboration::actor;
use crate::html::{Form, Page, PageResult, choices, collaboration_access, confirm_page, form_page, render, see_other, with_empty};
use crate::i18n::Lang;
use crate::security::ClientOrigin;
use crate::session::Visitor;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use domain::Invalid;
use domain::access::Action;
use domain::case_review::{AgeBand, Barrier, CaseDomain, CaseReview, CaseReviewInput, Finding, Offer, fingerprint, identifying, unconfirmed};
use domain::collaboration::Collaboration;
use store::{Actor, StoreError};

#[derive(Template)]
#[template(path = "case_review_form.html")]
struct FormTemplate<'a> {
    page: &'a Page,
    form: &'a Form,
    findings: Vec<(String, String)>,
}

/// The review form; with findings it lists them and asks for the confirmation.
async fn review_page(
    state: &AppState,
    page: &Page,
    c: &Collaboration,
    (action, version): (String, Option<i64>),
    input: &CaseReviewInput,
    findings: &[Finding],
) -> Result<Form, AppError> {
    let bodies = state.db.bodies(c.id).await?.into_iter().map(|b| (b.id.to_string(), b.content.name)).collect();
    let choose = page.t("form.choose");
    let mut form = Form::new(action, page.t("form.save"))
        .intro(page.t("case_reviews.form_intro"))
        .select("body", page.t("case_reviews.body"), with_empty(choose, bodies), &input.body, true)
        .text("date", page.t("case_reviews.date"), &input.date, true)
        .hint(page.t("form.date_hint"))
        .select("age_band", page.t("case_reviews.age_band"), with_empty(choose, choices(page, "ageband", AgeBand::ALL, AgeBand::code)), &input.age_band, true)
        .checkboxes("domains", page.t("case_reviews.domains"), choices(page, "casedomain", CaseDomain::ALL, CaseDomain::code), &input.domains)
        .select("offer", page.t("case_reviews.offer"), with_empty(choose, choices(page, "offer", Offer::ALL, Offer::code)), &input.offer, true)
        .number("days", page.t("case_reviews.days"), &input.days, false)
        .hint(page.t("case_reviews.days_hint"))
        .select("barrier", page.t("case_reviews.barrier"), with_empty("—", choices(page, "barrier", Barrier::ALL, Barrier::code)), &input.barrier, false)
        .hint(page.t("case_reviews.barrier_hint"))
        .textarea("lesson", page.t("case_reviews.lesson"), &input.lesson)
        .hint(page.t("case_reviews.lesson_hint"));
    if !findings.is_empty() {
        // Unticked each time: a confirmation covers only the findings listed above it.
        form = form.checkbox("bevestigd", page.t("case_reviews.confirm"), false).hidden("gezien", fingerprint(findings));
    }
    Ok(match version {
        Some(v) => form.hidden("version", v),
        None => form,
    })
}

fn form_response(page: &Page, form: &Form, findings: &[Finding], status: StatusCode) -> axum::response::Response {
    let mut response = render(&FormTemplate { page, form, findings: listed(&page.lang, findings) });
    *response.status_mut() = status;
    response
}

/// Checks, warns or stores a review (`existing`: its id and the version the form was based on).
async fn save(state: &AppState, page: &Page, c: &Collaboration, actor: Actor, input: CaseReviewInput, existing: Option<(i64, i64)>) -> PageResult {
    let id = c.id.0;
    let target = match existing {
        Some((review, version)) => (format!("{}/{review}/bewerken", base(id)), Some(version)),
        None => (base(id), None),
    };
    let findings = unconfirmed(identifying(input.lesson.trim(), &known(state, c).await?), &input);
    let form = review_page(state, page, c, target, &input, &findings).await?.cancel(base(id));
    let review = match CaseReview::parse(&input, &crate::today()) {
        Ok(review) => review,
        Err(invalid) => return Ok(form_response(page, &form.errors(page, Some(&invalid)), &findings, StatusCode::BAD_REQUEST)),
    };
    if !findings.is_empty() {
        return Ok(form_response(page, &form, &findings, StatusCode::UNPROCESSABLE_ENTITY));
    }
    let stored = match existing {
        None => state.db.create_case_review(&actor, c.id, &review).await,
        Some((r, version)) => state.db.update_case_review(&actor, c.id, r, version, &review).await,
    };
    match stored {
        Ok(s) => Ok(see_other(&format!("{}#overleg-{}", base(id), s.review.body.unwrap_or_default()))),
        Err(StoreError::Conflict(_)) => Ok(form_response(page, &form.message(page.t("error.stale")), &[], StatusCode::CONFLICT)),
        Err(StoreError::Reference(field)) => {
            Ok(form_response(page, &form.errors(page, Some(&Invalid::single(field, "err.not_in_collaboration"))), &[], StatusCode::BAD_REQUEST))
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub(super) struct NewQuery {
    overleg: String,
}

pub(super) async fn new_form(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>, Query(q): Query<NewQuery>) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let page = Page::new(lang, "case_reviews.new").user(&visitor.user).in_collab(&c, role, "case_reviews");
    let input = CaseReviewInput { body: q.overleg, date: crate::today(), ..Default::default() };
    let form = review_page(&state, &page, &c, (base(id), None), &input, &[]).await?.cancel(base(id));
    Ok(form_page(&page, &form, StatusCode::OK))
}

pub(super) async fn create(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path(id): Path<i64>,
    body: FormBody,
) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let page = Page::new(lang, "case_reviews.new").user(&visitor.user).in_collab(&c, role, "case_reviews");
    save(&state, &page, &c, actor(&visitor, origin), body.parse()?, None).await
}

fn input_of(r: &CaseReview) -> CaseReviewInput {
    CaseReviewInput {
        body: r.body.map(|b| b.to_string()).unwrap_or_default(),
        date: r.date.clone(),
        age_band: r.age_band.code().into(),
        domains: r.domains.iter().map(|d| d.code().to_string()).collect(),
        offer: r.offer.code().into(),
        days: r.days.map(|d| d.to_string()).unwrap_or_default(),
        barrier: r.barrier.map(|b| b.code().to_string()).unwrap_or_default(),
        lesson: r.lesson.clone(),
        ..Default::default()
    }
}

pub(super) async fn edit_form(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path((id, review)): Path<(i64, i64)>) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let page = Page::new(lang, "case_reviews.edit").user(&visitor.user).in_collab(&c, role, "case_reviews");
    let s = state.db.case_review(c.id, review).await?;
    let target = (format!("{}/{review}/bewerken", base(id)), Some(s.version));
    let form = review_page(&state, &page, &c, target, &input_of(&s.review), &[]).await?.cancel(base(id));
    Ok(form_page(&page, &form, StatusCode::OK))
}

pub(super) async fn update(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path((id, review)): Path<(i64, i64)>,
    body: FormBody,
) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let page = Page::new(lang, "case_reviews.edit").user(&visitor.user).in_collab(&c, role, "case_reviews");
    state.db.case_review(c.id, review).await?;
    let (input, version) = (body.parse()?, body.version()?);
    save(&state, &page, &c, actor(&visitor, origin), input, Some((review, version))).await
}

pub(super) async fn delete_form(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path((id, review)): Path<(i64, i64)>) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Manage).await?;
    let page = Page::new(lang, "case_reviews.delete").user(&visitor.user).in_collab(&c, role, "case_reviews");
    let s = state.db.case_review(c.id, review).await?;
    let question = format!("{} {}.", page.t("case_reviews.delete_question"), lang.date(&s.review.date));
    Ok(confirm_page(&page, &question, &format!("{}/{review}/verwijderen", base(id)), &base(id)))
}

pub(super) async fn delete(
    State(state): State<AppState>,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path((id, review)): Path<(i64, i64)>,
) -> PageResult {
    let (c, _) = collaboration_access(&state, &visitor.user, id, Action::Manage).await?;
    state.db.delete_case_review(&actor(&visitor, origin), c.id, review).await?;
    Ok(see_other(&base(id)))
}
