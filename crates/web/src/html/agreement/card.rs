//! One agreement: its current version with the parties' assent, the comparison of two
//! versions, and recording a party's assent.

use super::base;
use crate::AppState;
use crate::error::AppError;
use crate::form::FormBody;
use crate::html::collaboration::actor;
use crate::html::{AssentError, Page, PageResult, choices, collaboration_access, render, see_other};
use crate::i18n::Lang;
use crate::security::ClientOrigin;
use crate::session::Visitor;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use domain::access::Action;
use domain::agreement::{AgreementContent, Assent, Line, changed_fields, diff_lines};
use std::collections::HashMap;
use store::agreement::{AssentAnswer, AssentRow};

pub struct PartyView {
    pub partner_id: i64,
    pub name: String,
    pub contribution: String,
    pub responsibility: String,
    pub data_role: String,
    pub assent: String,
    pub reason: String,
}

#[derive(Template)]
#[template(path = "agreement.html")]
struct ShowTemplate<'a> {
    page: &'a Page,
    id: i64,
    agreement: i64,
    version: i64,
    c: &'a AgreementContent,
    parties: Vec<PartyView>,
    versions: Vec<(i64, String, String)>,
    assents: Vec<(String, String)>,
    assent_action: String,
    review_due: bool,
    assent_error: Option<AssentError>,
    /// The earlier version the parties answered, when the text changed after their answers
    /// and they are asked again.
    asked_again: Option<i64>,
    /// The body that owns the agreement.
    owner: String,
    /// The indicators it owns or whose data it covers: id, code and name, status.
    indicators: Vec<(i64, String, String)>,
    can_edit: bool,
}

pub(super) async fn show(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path((id, agreement)): Path<(i64, i64)>) -> PageResult {
    show_page(&state, lang, &visitor, id, agreement, None).await
}

/// The agreement's page; with `assent_error`, the refused answer shown again in its party's form (400).
async fn show_page(state: &AppState, lang: Lang, visitor: &Visitor, id: i64, agreement: i64, assent_error: Option<AssentError>) -> PageResult {
    let (c, role) = collaboration_access(state, &visitor.user, id, Action::Read).await?;
    let a = state.db.agreement(c.id, agreement).await?;
    let mut page = Page::new(lang, "agreements.title").user(&visitor.user).in_collab(&c, role, "agreements");
    page.title = a.content.title.clone();
    let partners = state.db.partners(c.id).await?;
    let names: HashMap<i64, String> = partners.iter().map(|p| (p.id.0, p.name.clone())).collect();
    let all = state.db.assents(c.id, agreement).await?;
    let asked_again = all.iter().map(|r| r.version).filter(|v| *v < a.version).max().filter(|_| all.iter().all(|r| r.version != a.version));
    let current: Vec<AssentRow> = all.into_iter().filter(|r| r.version == a.version).collect();
    let parties = a
        .content
        .parties
        .iter()
        .map(|p| {
            let answer = current.iter().find(|r| r.partner_id == p.partner_id);
            PartyView {
                partner_id: p.partner_id,
                name: names.get(&p.partner_id).cloned().unwrap_or_default(),
                contribution: p.contribution.clone(),
                responsibility: p.responsibility.clone(),
                data_role: p.data_role.map(|r| lang.label("datarole", r.code())).unwrap_or_default(),
                assent: answer.map(|r| r.assent.code()).unwrap_or(Assent::NogNiet.code()).to_string(),
                reason: answer.map(|r| r.reason.clone()).unwrap_or_default(),
            }
        })
        .collect();
    let versions =
        state.db.agreement_versions(c.id, agreement).await?.iter().rev().map(|v| (v.version, v.changed_by.clone(), lang.datetime(v.changed_at))).collect();
    let assents = choices(&page, "assent", Assent::ALL, Assent::code);
    let owner = match a.content.body {
        Some(body) => state.db.bodies(c.id).await?.into_iter().find(|b| b.id == body).map(|b| b.content.name).unwrap_or_default(),
        None => String::new(),
    };
    let indicators = state
        .db
        .indicators(c.id)
        .await?
        .into_iter()
        .filter(|i| i.content.agreement == Some(agreement) || i.content.sharing == Some(agreement))
        .map(|i| (i.id, format!("{} {}", i.content.code, i.content.name), lang.label("indicatorstatus", i.content.status.code())))
        .collect();
    let status = if assent_error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    let mut response = render(&ShowTemplate {
        assent_error,
        owner,
        indicators,
        page: &page,
        id,
        agreement,
        version: a.version,
        review_due: a.content.review_due(&crate::today()),
        asked_again,
        c: &a.content,
        parties,
        versions,
        assents,
        assent_action: format!("{}/{agreement}/instemming", base(id)),
        can_edit: role.allows(Action::Edit),
    });
    *response.status_mut() = status;
    Ok(response)
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub(super) struct CompareQuery {
    van: Option<i64>,
    naar: Option<i64>,
}

#[derive(Template)]
#[template(path = "compare.html")]
struct CompareTemplate<'a> {
    page: &'a Page,
    back: String,
    from: i64,
    to: i64,
    fields: Vec<(String, String, String)>,
    lines: Vec<Line>,
}

pub(super) async fn compare(
    State(state): State<AppState>,
    lang: Lang,
    visitor: Visitor,
    Path((id, agreement)): Path<(i64, i64)>,
    Query(q): Query<CompareQuery>,
) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Read).await?;
    let versions = state.db.agreement_versions(c.id, agreement).await?;
    let last = versions.last().map(|v| v.version).ok_or(AppError::NotFound)?;
    let to = q.naar.unwrap_or(last);
    let from = q.van.unwrap_or(to - 1).max(1);
    let find = |n: i64| versions.iter().find(|v| v.version == n).ok_or(AppError::NotFound);
    let (a, b) = (find(from)?, find(to)?);
    let mut page = Page::new(lang, "agreements.compare").user(&visitor.user).in_collab(&c, role, "agreements");
    page.title = format!("{} – {} {from} → {to}", b.content.title, page.t("agreements.version"));
    let fields = changed_fields(&a.content, &b.content).into_iter().map(|(f, x, y)| (page.t(&format!("field.{f}")).to_string(), x, y)).collect();
    Ok(render(&CompareTemplate {
        page: &page,
        back: format!("{}/{agreement}", base(id)),
        from,
        to,
        fields,
        lines: diff_lines(&a.content.text, &b.content.text),
    }))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub(super) struct AssentForm {
    partner_id: i64,
    version: i64,
    assent: String,
    reason: String,
}

pub(super) async fn assent(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path((id, agreement)): Path<(i64, i64)>,
    body: FormBody,
) -> PageResult {
    let (c, _) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let form: AssentForm = body.parse()?;
    let (assent, reason) = match domain::agreement::parse_assent(&form.assent, &form.reason) {
        Ok(answer) => answer,
        Err(invalid) => {
            let error = AssentError::new(lang, form.partner_id, &form.assent, &form.reason, &invalid);
            return show_page(&state, lang, &visitor, id, agreement, Some(error)).await;
        }
    };
    let answer = AssentAnswer { partner: form.partner_id, assent, reason: &reason };
    state.db.set_assent(&actor(&visitor, origin), c.id, agreement, form.version, &answer).await?;
    Ok(see_other(&format!("{}/{agreement}#partijen", base(id))))
}
