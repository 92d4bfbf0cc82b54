//! Agreements and convenants: list, write, change (each change a new version), compare
//! versions, and record each party's assent.

use super::{AssentError, Cell, Form, Link, Page, PageResult, Table, choices, collaboration_access, render, see_other, table_page, with_empty};
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
use domain::agreement::{AgreementContent, AgreementInput, AgreementKind, AgreementStatus, Assent, DataRole, Line, PartyInput, changed_fields, diff_lines};
use domain::collaboration::Collaboration;
use domain::partner::Partner;
use std::collections::HashMap;
use store::StoreError;
use store::agreement::{AssentAnswer, AssentRow};

pub fn routes() -> Routes {
    Routes::new()
        .get("/samenwerkingen/{id}/afspraken", list)
        .get("/samenwerkingen/{id}/afspraken/nieuw", new_form)
        .post("/samenwerkingen/{id}/afspraken", create)
        .get("/samenwerkingen/{id}/afspraken/{agreement}", show)
        .get("/samenwerkingen/{id}/afspraken/{agreement}/bewerken", edit_form)
        .post("/samenwerkingen/{id}/afspraken/{agreement}/bewerken", update)
        .get("/samenwerkingen/{id}/afspraken/{agreement}/vergelijk", compare)
        .post("/samenwerkingen/{id}/afspraken/{agreement}/instemming", assent)
}

fn base(id: i64) -> String {
    format!("/samenwerkingen/{id}/afspraken")
}

async fn list(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Read).await?;
    let page = Page::new(lang, "agreements.title").user(&visitor.user).in_collab(&c, role, "agreements");
    let today = crate::today();
    let table = Table {
        intro: page.t("agreements.intro").to_string(),
        actions: if role.allows(Action::Edit) { vec![Link::to(page.t("agreements.new"), format!("{}/nieuw", base(id)))] } else { Vec::new() },
        caption: page.t("agreements.title").to_string(),
        headers: ["field.title", "field.kind", "field.status", "agreements.version", "field.review"].iter().map(|k| page.t(k).to_string()).collect(),
        rows: state
            .db
            .agreements(c.id)
            .await?
            .iter()
            .map(|a| {
                let review = if a.content.review_due(&today) {
                    Cell::flag(format!("{} {}", page.t("agreements.review_due"), lang.date(&a.content.review)))
                } else {
                    Cell::text(lang.date(&a.content.review))
                };
                vec![
                    Cell::link(&a.content.title, format!("{}/{}", base(id), a.id)),
                    Cell::text(lang.label("agreementkind", a.content.kind.code())),
                    Cell::text(lang.label("agreementstatus", a.content.status.code())),
                    Cell::text(a.version.to_string()),
                    review,
                ]
            })
            .collect(),
        empty: page.t("agreements.empty").to_string(),
    };
    Ok(table_page(&page, &table, None))
}

/// One partner's row in the form's parties section.
pub struct PartyRow {
    pub partner_id: i64,
    pub name: String,
    pub included: bool,
    pub contribution: String,
    pub responsibility: String,
    pub data_role: String,
}

#[derive(Template)]
#[template(path = "agreement_form.html")]
struct FormTemplate<'a> {
    page: &'a Page,
    form: &'a Form,
    parties: Vec<PartyRow>,
    roles: Vec<(String, String)>,
}

/// The bodies an agreement can belong to, for the form's owner field.
async fn owner_choices(state: &AppState, page: &Page, c: &Collaboration) -> Result<Vec<(String, String)>, AppError> {
    let bodies = state.db.bodies(c.id).await?;
    Ok(with_empty(page.t("agreements.no_body"), bodies.into_iter().map(|b| (b.id.to_string(), b.content.name)).collect()))
}

fn agreement_view(page: &Page, action: String, input: &AgreementInput, bodies: Vec<(String, String)>) -> Form {
    Form::new(action, page.t("form.save"))
        .intro(page.t("agreements.form_intro"))
        .text("title", page.t("field.title"), &input.title, true)
        .select(
            "kind",
            page.t("field.kind"),
            with_empty(page.t("form.choose"), choices(page, "agreementkind", AgreementKind::ALL, AgreementKind::code)),
            &input.kind,
            true,
        )
        .select(
            "status",
            page.t("field.status"),
            choices(page, "agreementstatus", AgreementStatus::ALL, AgreementStatus::code),
            if input.status.is_empty() { "concept" } else { &input.status },
            true,
        )
        .textarea("text", page.t("field.agreement_text"), &input.text)
        .text("mandate", page.t("field.mandate"), &input.mandate, false)
        .hint(page.t("agreements.mandate_hint"))
        .text("start", page.t("field.start"), &input.start, false)
        .hint(page.t("form.date_hint"))
        .text("end", page.t("field.end"), &input.end, false)
        .hint(page.t("form.date_hint"))
        .text("review", page.t("field.review"), &input.review, false)
        .hint(page.t("form.date_hint"))
        .select("body", page.t("field.body"), bodies, &input.body, false)
        .hint(page.t("agreements.body_hint"))
        .textarea("legal_basis", page.t("field.legal_basis"), &input.legal_basis)
        .hint(page.t("agreements.data_hint"))
        .textarea("purpose", page.t("field.purpose"), &input.purpose)
        .textarea("data_categories", page.t("field.data_categories"), &input.data_categories)
        .hint(page.t("agreements.aggregates_only"))
        .text("retention", page.t("field.retention"), &input.retention, false)
}

async fn form_response(state: &AppState, page: &Page, c: &Collaboration, form: &Form, input: &AgreementInput, status: StatusCode) -> PageResult {
    let partners: Vec<Partner> = state.db.partners(c.id).await?;
    let parties = partners
        .iter()
        .map(|p| {
            let party = input.parties.iter().find(|x| x.partner_id == p.id.0);
            PartyRow {
                partner_id: p.id.0,
                name: p.name.clone(),
                included: party.is_some(),
                contribution: party.map(|x| x.contribution.clone()).unwrap_or_default(),
                responsibility: party.map(|x| x.responsibility.clone()).unwrap_or_default(),
                data_role: party.map(|x| x.data_role.clone()).unwrap_or_default(),
            }
        })
        .collect();
    let roles = with_empty(page.t("agreements.no_data_role"), choices(page, "datarole", DataRole::ALL, DataRole::code));
    let mut response = render(&FormTemplate { page, form, parties, roles });
    *response.status_mut() = status;
    Ok(response)
}

/// The form's fields, with the parties read from `party-{id}`, `contribution-{id}`, … fields.
fn read_form(body: &FormBody) -> Result<AgreementInput, AppError> {
    let mut input: AgreementInput = body.parse()?;
    let fields: Vec<(String, String)> = body.parse()?;
    let get = |name: String| fields.iter().find(|(k, _)| *k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    input.parties = fields
        .iter()
        .filter_map(|(k, _)| k.strip_prefix("party-").and_then(|id| id.parse::<i64>().ok()))
        .map(|id| PartyInput {
            partner_id: id,
            contribution: get(format!("contribution-{id}")),
            responsibility: get(format!("responsibility-{id}")),
            data_role: get(format!("role-{id}")),
        })
        .collect();
    Ok(input)
}

fn input_of(content: &AgreementContent) -> AgreementInput {
    AgreementInput {
        title: content.title.clone(),
        text: content.text.clone(),
        kind: content.kind.code().into(),
        status: content.status.code().into(),
        mandate: content.mandate.clone(),
        start: content.start.clone(),
        end: content.end.clone(),
        review: content.review.clone(),
        legal_basis: content.legal_basis.clone(),
        purpose: content.purpose.clone(),
        data_categories: content.data_categories.clone(),
        retention: content.retention.clone(),
        body: content.body.map(|b| b.to_string()).unwrap_or_default(),
        parties: content
            .parties
            .iter()
            .map(|p| PartyInput {
                partner_id: p.partner_id,
                contribution: p.contribution.clone(),
                responsibility: p.responsibility.clone(),
                data_role: p.data_role.map(|r| r.code().to_string()).unwrap_or_default(),
            })
            .collect(),
    }
}

async fn new_form(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let page = Page::new(lang, "agreements.new").user(&visitor.user).in_collab(&c, role, "agreements");
    let input = AgreementInput::default();
    form_response(&state, &page, &c, &agreement_view(&page, base(id), &input, owner_choices(&state, &page, &c).await?).cancel(base(id)), &input, StatusCode::OK)
        .await
}

async fn create(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path(id): Path<i64>,
    body: FormBody,
) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let page = Page::new(lang, "agreements.new").user(&visitor.user).in_collab(&c, role, "agreements");
    let input = read_form(&body)?;
    let view = agreement_view(&page, base(id), &input, owner_choices(&state, &page, &c).await?);
    match AgreementContent::parse(&input) {
        Ok(content) => match state.db.create_agreement(&actor(&visitor, origin), c.id, &content).await {
            Ok(a) => Ok(see_other(&format!("{}/{}", base(id), a.id))),
            Err(StoreError::Reference(field)) => {
                form_response(
                    &state,
                    &page,
                    &c,
                    &view.errors(&page, Some(&domain::Invalid::single(field, "err.not_in_collaboration"))),
                    &input,
                    StatusCode::BAD_REQUEST,
                )
                .await
            }
            Err(other) => Err(other.into()),
        },
        Err(invalid) => form_response(&state, &page, &c, &view.errors(&page, Some(&invalid)), &input, StatusCode::BAD_REQUEST).await,
    }
}

async fn edit_form(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path((id, agreement)): Path<(i64, i64)>) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let a = state.db.agreement(c.id, agreement).await?;
    let page = Page::new(lang, "agreements.edit").user(&visitor.user).in_collab(&c, role, "agreements");
    let input = input_of(&a.content);
    let form = agreement_view(&page, format!("{}/{agreement}/bewerken", base(id)), &input, owner_choices(&state, &page, &c).await?)
        .hidden("version", a.version)
        .cancel(format!("{}/{agreement}", base(id)));
    form_response(&state, &page, &c, &form, &input, StatusCode::OK).await
}

async fn update(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path((id, agreement)): Path<(i64, i64)>,
    body: FormBody,
) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let page = Page::new(lang, "agreements.edit").user(&visitor.user).in_collab(&c, role, "agreements");
    let (input, version) = (read_form(&body)?, body.version()?);
    let view = agreement_view(&page, format!("{}/{agreement}/bewerken", base(id)), &input, owner_choices(&state, &page, &c).await?).hidden("version", version);
    let content = match AgreementContent::parse(&input) {
        Ok(content) => content,
        Err(invalid) => return form_response(&state, &page, &c, &view.errors(&page, Some(&invalid)), &input, StatusCode::BAD_REQUEST).await,
    };
    match state.db.update_agreement(&actor(&visitor, origin), c.id, agreement, version, &content).await {
        Ok(_) => Ok(see_other(&format!("{}/{agreement}", base(id)))),
        Err(StoreError::Conflict(_)) => form_response(&state, &page, &c, &view.message(page.t("error.stale")), &input, StatusCode::CONFLICT).await,
        Err(StoreError::Reference(field)) => {
            let invalid = domain::Invalid::single(field, "err.not_in_collaboration");
            form_response(&state, &page, &c, &view.errors(&page, Some(&invalid)), &input, StatusCode::BAD_REQUEST).await
        }
        Err(other) => Err(other.into()),
    }
}

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
    can_edit: bool,
}

async fn show(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path((id, agreement)): Path<(i64, i64)>) -> PageResult {
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
    let status = if assent_error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    let mut response = render(&ShowTemplate {
        assent_error,
        owner,
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
struct CompareQuery {
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

async fn compare(
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
struct AssentForm {
    partner_id: i64,
    version: i64,
    assent: String,
    reason: String,
}

async fn assent(
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
