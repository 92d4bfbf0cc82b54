//! Writing and changing an agreement: the form with its parties, each save a new version.

use super::base;
use crate::AppState;
use crate::error::AppError;
use crate::form::FormBody;
use crate::html::collaboration::actor;
use crate::html::{Form, Page, PageResult, choices, collaboration_access, render, see_other, with_empty};
use crate::i18n::Lang;
use crate::security::ClientOrigin;
use crate::session::Visitor;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use domain::access::Action;
use domain::agreement::{AgreementContent, AgreementInput, AgreementKind, AgreementStatus, DataRole, PartyInput};
use domain::collaboration::Collaboration;
use domain::partner::Partner;
use store::StoreError;

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
        .date(page, "start", page.t("field.start"), &input.start, false)
        .date(page, "end", page.t("field.end"), &input.end, false)
        .date(page, "review", page.t("field.review"), &input.review, false)
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

pub(super) async fn new_form(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let page = Page::new(lang, "agreements.new").user(&visitor.user).in_collab(&c, role, "agreements");
    let input = AgreementInput::default();
    form_response(&state, &page, &c, &agreement_view(&page, base(id), &input, owner_choices(&state, &page, &c).await?).cancel(base(id)), &input, StatusCode::OK)
        .await
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

pub(super) async fn edit_form(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path((id, agreement)): Path<(i64, i64)>) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let a = state.db.agreement(c.id, agreement).await?;
    let page = Page::new(lang, "agreements.edit").user(&visitor.user).in_collab(&c, role, "agreements");
    let input = input_of(&a.content);
    let form = agreement_view(&page, format!("{}/{agreement}/bewerken", base(id)), &input, owner_choices(&state, &page, &c).await?)
        .hidden("version", a.version)
        .cancel(format!("{}/{agreement}", base(id)));
    form_response(&state, &page, &c, &form, &input, StatusCode::OK).await
}

pub(super) async fn update(
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
