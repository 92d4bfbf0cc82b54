//! A breakthrough budget on its pot's page: who holds its mandate now, the maximum per
//! decision, what the decisions used and what is left, the results per half year (a small
//! group shows no figures), and for lid and beheerder every decision; the form that records a
//! decision, which lists what in the situation's words might identify a child and saves only
//! after the writer confirms it does not.

use super::{Form, Page, PageResult, choices, collaboration_access, render, see_other, with_empty};
use crate::AppState;
use crate::error::AppError;
use crate::finance::{Breakthrough, DecisionSaved};
use crate::form::FormBody;
use crate::html::collaboration::actor;
use crate::i18n::Lang;
use crate::routes::Routes;
use crate::security::ClientOrigin;
use crate::session::Visitor;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use domain::access::Action;
use domain::case_review::{Barrier, Finding, fingerprint};
use domain::collaboration::Collaboration;
use domain::finance::{DecisionInput, DecisionOutcome};

pub fn routes() -> Routes {
    Routes::new()
        .get("/samenwerkingen/{id}/financien/potten/{pot}/besluiten/nieuw", new_decision)
        .post("/samenwerkingen/{id}/financien/potten/{pot}/besluiten", create_decision)
}

fn pot_href(id: i64, pot: i64) -> String {
    format!("/samenwerkingen/{id}/financien/potten/{pot}")
}

pub struct DecisionRow {
    pub decided: String,
    pub amount: String,
    pub holders: String,
    pub within: bool,
    pub days: i64,
    pub stall: String,
    pub situation: String,
    pub outcome: String,
}

pub struct ResultRow {
    pub half: String,
    pub shown: bool,
    pub count: usize,
    pub total: String,
    pub median: String,
    pub above: usize,
}

/// What the pot's page shows of a breakthrough budget.
pub struct BreakthroughView {
    pub holders: Vec<String>,
    pub max: String,
    pub used: String,
    /// Why a half year may show no figures, with the minimum.
    pub hint: String,
    pub results: Vec<ResultRow>,
    /// Only for lid and beheerder.
    pub decisions: Vec<DecisionRow>,
    pub show_decisions: bool,
}

pub fn view(lang: Lang, b: &Breakthrough, show_decisions: bool) -> BreakthroughView {
    let name = |id: i64| b.holders.iter().find(|(h, _)| *h == id).map(|(_, n)| n.clone()).unwrap_or_else(|| format!("#{id}"));
    let decimal = |v: f64| {
        let text = if v.fract() == 0.0 { format!("{v:.0}") } else { format!("{v:.1}") };
        if lang == Lang::Nl { text.replace('.', ",") } else { text }
    };
    BreakthroughView {
        holders: b.holders.iter().map(|(_, n)| n.clone()).collect(),
        max: lang.money(b.mandate.max_cents),
        used: lang.money(b.used),
        hint: lang.t("finance.results_hint").replace("{value}", &b.minimum.to_string()),
        results: b
            .results
            .iter()
            .map(|r| ResultRow {
                half: r.half.replace("-H", " H"),
                shown: r.figures.is_some(),
                count: r.figures.as_ref().map(|f| f.count).unwrap_or(0),
                total: r.figures.as_ref().map(|f| lang.money(f.total_cents)).unwrap_or_default(),
                median: r.figures.as_ref().map(|f| decimal(f.median_days)).unwrap_or_default(),
                above: r.figures.as_ref().map(|f| f.above_mandate).unwrap_or(0),
            })
            .collect(),
        decisions: if show_decisions {
            b.decisions
                .iter()
                .map(|d| {
                    let c = &d.content;
                    DecisionRow {
                        decided: lang.date(&c.decided),
                        amount: lang.money(c.amount_cents),
                        holders: [Some(c.holder), c.second_holder].into_iter().flatten().filter(|h| *h != 0).map(name).collect::<Vec<_>>().join(" en "),
                        within: c.within_mandate,
                        days: c.days(),
                        stall: c.stall.iter().map(|s| lang.label("barrier", s.code())).collect::<Vec<_>>().join(", "),
                        situation: c.situation.clone(),
                        outcome: lang.label("decisionoutcome", c.outcome.code()),
                    }
                })
                .collect()
        } else {
            Vec::new()
        },
        show_decisions,
    }
}

#[derive(Template)]
#[template(path = "finance_decision_form.html")]
struct FormTemplate<'a> {
    page: &'a Page,
    form: &'a Form,
    findings: Vec<(String, String)>,
}

async fn decision_form(state: &AppState, page: &Page, c: &Collaboration, pot: i64, input: &DecisionInput, findings: &[Finding]) -> Result<Form, AppError> {
    let people = state.db.people(c.id).await?;
    let holders: Vec<(String, String)> = state
        .db
        .mandate_holders(c.id, pot)
        .await?
        .into_iter()
        .map(|h| (h.to_string(), people.iter().find(|p| p.id.0 == h).map(|p| p.name.clone()).unwrap_or_default()))
        .collect();
    let choose = page.t("form.choose");
    let mut form = Form::new(format!("{}/besluiten", pot_href(c.id.0, pot)), page.t("form.save"))
        .intro(page.t("finance.decision_intro"))
        .date(page, "requested", page.t("field.requested"), &input.requested, true)
        .date(page, "decided", page.t("field.decided"), &input.decided, true)
        .text("amount", page.t("field.amount"), &input.amount, true)
        .hint(page.t("finance.amount_hint_plain"))
        .select("holder", page.t("field.decided_by"), with_empty(choose, holders.clone()), &input.holder, true)
        .select("second_holder", page.t("field.second_holder"), with_empty("—", holders), &input.second_holder, false)
        .hint(page.t("finance.second_holder_hint"))
        .checkboxes("stall", page.t("field.stall"), choices(page, "barrier", Barrier::ALL, Barrier::code), &input.stall)
        .textarea("situation", page.t("field.situation"), &input.situation)
        .hint(page.t("finance.situation_hint"))
        .select(
            "outcome",
            page.t("field.decision_outcome"),
            with_empty(choose, choices(page, "decisionoutcome", DecisionOutcome::ALL, DecisionOutcome::code)),
            &input.outcome,
            true,
        )
        .cancel(pot_href(c.id.0, pot));
    if !findings.is_empty() {
        // Unticked each time: a confirmation covers only the findings listed above it.
        form = form.checkbox("bevestigd", page.t("finance.confirm_situation"), false).hidden("gezien", fingerprint(findings));
    }
    Ok(form)
}

fn form_response(page: &Page, form: &Form, findings: &[Finding], status: StatusCode) -> axum::response::Response {
    let listed = findings.iter().map(|f| (page.lang.label("clue", f.clue.code()), f.text.clone())).collect();
    let mut response = render(&FormTemplate { page, form, findings: listed });
    *response.status_mut() = status;
    response
}

async fn new_decision(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path((id, pot)): Path<(i64, i64)>) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let page = Page::new(lang, "finance.new_decision").user(&visitor.user).in_collab(&c, role, "finance");
    state.db.pot(c.id, pot).await?;
    let today = crate::today();
    let input = DecisionInput { requested: today.clone(), decided: today, ..Default::default() };
    let form = decision_form(&state, &page, &c, pot, &input, &[]).await?;
    Ok(form_response(&page, &form, &[], StatusCode::OK))
}

/// The decision form as posted: the categories come as repeated fields.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct DecisionForm {
    requested: String,
    decided: String,
    amount: String,
    holder: String,
    second_holder: String,
    stall: Vec<String>,
    situation: String,
    outcome: String,
    bevestigd: String,
    gezien: String,
}

async fn create_decision(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path((id, pot)): Path<(i64, i64)>,
    body: FormBody,
) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Edit).await?;
    let page = Page::new(lang, "finance.new_decision").user(&visitor.user).in_collab(&c, role, "finance");
    state.db.pot(c.id, pot).await?;
    let (f, control): (DecisionForm, _) = body.parse_kept()?;
    let input = DecisionInput {
        requested: f.requested,
        decided: f.decided,
        amount: f.amount,
        holder: f.holder,
        second_holder: f.second_holder,
        stall: f.stall,
        situation: f.situation,
        outcome: f.outcome,
        confirmed: !f.bevestigd.is_empty(),
        seen: f.gezien,
    };
    if !control.errors.is_empty() {
        let form = decision_form(&state, &page, &c, pot, &input, &[]).await?.errors(&page, Some(&control));
        return Ok(form_response(&page, &form, &[], StatusCode::BAD_REQUEST));
    }
    match crate::finance::add_decision(&state, &actor(&visitor, origin), &c, pot, &input).await {
        Ok(DecisionSaved::Stored(_)) => Ok(see_other(&format!("{}#besluiten", pot_href(id, pot)))),
        Ok(DecisionSaved::Check(findings)) => {
            let form = decision_form(&state, &page, &c, pot, &input, &findings).await?;
            Ok(form_response(&page, &form, &findings, StatusCode::UNPROCESSABLE_ENTITY))
        }
        Err(AppError::Invalid(invalid)) => {
            let form = decision_form(&state, &page, &c, pot, &input, &[]).await?.errors(&page, Some(&invalid));
            Ok(form_response(&page, &form, &[], StatusCode::BAD_REQUEST))
        }
        Err(other) => Err(other.into()),
    }
}
