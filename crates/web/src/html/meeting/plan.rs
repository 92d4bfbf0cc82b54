//! Planning meetings: one at a time or as a series at the body's rhythm, from an agenda template.

use super::base;
use crate::AppState;
use crate::error::AppError;
use crate::form::FormBody;
use crate::html::collaboration::actor;
use crate::html::{Form, Page, PageResult, collaboration_access, form_page, see_other, with_empty};
use crate::i18n::Lang;
use crate::meeting::plan_meetings;
use crate::security::ClientOrigin;
use crate::session::Visitor;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use domain::access::Action;
use domain::collaboration::Collaboration;
use domain::meeting::{PlanInput, templates};
use store::StoreError;

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub(super) struct PlanQuery {
    overleg: String,
}

async fn plan_view(state: &AppState, page: &Page, c: &Collaboration, input: &PlanInput) -> Result<Form, AppError> {
    let bodies = state.db.bodies(c.id).await?;
    let english = page.lang == Lang::En;
    let body_choices = with_empty(page.t("meetings.no_body"), bodies.iter().map(|b| (b.id.to_string(), b.content.name.clone())).collect());
    let template_choices = templates().iter().map(|t| (t.key.clone(), t.name.get(english).to_string())).collect();
    let template_hint = templates().iter().map(|t| format!("{}: {}", t.name.get(english), t.intro.get(english))).collect::<Vec<_>>().join(" ");
    Ok(Form::new(base(c.id.0), page.t("meetings.plan"))
        .intro(page.t("meetings.plan_intro"))
        .select("body", page.t("field.body"), body_choices, &input.body, false)
        .select("template", page.t("field.template"), template_choices, if input.template.is_empty() { "leeg" } else { &input.template }, true)
        .hint(&template_hint)
        .date(page, "date", page.t("field.date"), &input.date, true)
        .time(page, "time", page.t("field.time"), &input.time, false)
        .number("minutes", page.t("field.minutes"), &input.minutes, false)
        .text("place", page.t("field.place"), &input.place, false)
        .number("count", page.t("field.count"), if input.count.is_empty() { "1" } else { &input.count }, false)
        .hint(page.t("meetings.count_hint"))
        .cancel(base(c.id.0)))
}

pub(super) async fn new_form(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>, Query(q): Query<PlanQuery>) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let page = Page::new(lang, "meetings.plan").user(&visitor.user).in_collab(&c, role, "meetings");
    let bodies = state.db.bodies(c.id).await?;
    // Prefill from the chosen body: its duration, and the template that fits its kind.
    let body = bodies.iter().find(|b| b.id.to_string() == q.overleg);
    let template = match body.map(|b| b.content.kind) {
        Some(domain::body::BodyKind::LeaBestuurlijk) => "lea_bestuurlijk",
        Some(domain::body::BodyKind::Oogo) => "oogo_bestuurlijk",
        Some(domain::body::BodyKind::Werkgroep) => "lea_werkgroep",
        _ => "leeg",
    };
    let input = PlanInput {
        body: body.map(|b| b.id.to_string()).unwrap_or_default(),
        template: template.into(),
        minutes: body.and_then(|b| b.content.minutes).map(|m| m.to_string()).unwrap_or_default(),
        ..Default::default()
    };
    Ok(form_page(&page, &plan_view(&state, &page, &c, &input).await?, StatusCode::OK))
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
    let page = Page::new(lang, "meetings.plan").user(&visitor.user).in_collab(&c, role, "meetings");
    let input: PlanInput = body.parse()?;
    let view = plan_view(&state, &page, &c, &input).await?;
    let planned = match plan_meetings(&state, &c, lang, &input).await {
        Ok(planned) => planned,
        Err(AppError::Invalid(invalid)) => return Ok(form_page(&page, &view.errors(&page, Some(&invalid)), StatusCode::BAD_REQUEST)),
        Err(other) => return Err(other.into()),
    };
    match state.db.create_meetings(&actor(&visitor, origin), c.id, &planned).await {
        Ok(created) => Ok(see_other(&format!("{}/{}", base(id), created.first().map(|m| m.id).unwrap_or_default()))),
        Err(StoreError::Reference(field)) => {
            Ok(form_page(&page, &view.errors(&page, Some(&domain::Invalid::single(field, "err.not_in_collaboration"))), StatusCode::BAD_REQUEST))
        }
        Err(other) => Err(other.into()),
    }
}
