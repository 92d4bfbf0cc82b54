//! Health and the OpenAPI document.

use super::contract::Contract;
use super::idempotency::OpenApiDoc as IdempotencyKeys;
use crate::AppState;
use crate::routes::Routes;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use utoipa::OpenApi;

pub fn routes() -> Routes {
    Routes::new().get("/healthz", healthz).get("/api/v1/openapi.json", openapi)
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Reisgenoot API", version = "1.0.0", description = "Samenwerkingen rond de pedagogische basis: partners, personen en portefeuilles."),
    paths(
        super::collaboration::list, super::collaboration::create, super::collaboration::show, super::collaboration::update,
        super::collaboration::company_check, super::collaboration::members, super::collaboration::audit, super::collaboration::four_eyes, super::collaboration::set_four_eyes,
        super::company::list_partners, super::company::create_partner, super::company::show_partner, super::company::update_partner, super::company::delete_partner,
        super::company::list_people, super::company::create_person, super::company::show_person, super::company::update_person, super::company::delete_person,
        super::company::list_portfolios, super::company::create_portfolio, super::company::show_portfolio, super::company::update_portfolio, super::company::delete_portfolio,
        super::knowledge::travel_plan, super::knowledge::progress, super::knowledge::set_step, super::knowledge::reflections, super::knowledge::add_reflection,
        super::knowledge::examples, super::knowledge::create_example, super::knowledge::obstacles, super::knowledge::create_obstacle, super::knowledge::recognise,
        super::knowledge::national, super::knowledge::respond, super::legal::answer, super::responsibility::show, super::responsibility::add_topic, super::responsibility::change,
        super::agreement::list, super::agreement::create, super::agreement::show, super::agreement::update, super::agreement::versions, super::agreement::assent,
        super::vision::show, super::vision::save_draft, super::vision::adopt, super::vision::endorse,
        super::body::list, super::body::create, super::body::show, super::body::update, super::body::delete,
        super::meeting::list, super::meeting::create, super::meeting::show, super::meeting::update, super::meeting::actions, super::meeting::add_action,
        super::meeting::update_action, super::meeting::mine,
        super::scan::list, super::scan::create, super::scan::results, super::scan::answer,
        super::indicator::list, super::indicator::create, super::indicator::show, super::indicator::update, super::indicator::measurements, super::indicator::export,
        super::indicator::add_measurements, super::indicator::import, super::indicator::stories, super::indicator::save_story, super::cycle::list, super::cycle::create, super::cycle::show, super::cycle::add_decision,
        super::case_review::list, super::case_review::create, super::case_review::show, super::case_review::update, super::case_review::delete,
        super::case_review::results,
        super::rollup::trend, super::rollup::areas,
        super::scope::list, super::scope::create, super::scope::show, super::scope::update, super::scope::delete, super::scope::figures_of,
        super::programme::list, super::programme::create_ambition, super::programme::update_ambition, super::programme::create_goal,
        super::programme::update_goal, super::programme::create_activity, super::programme::show_activity, super::programme::update_activity,
        super::programme::change_status, super::programme::add_note,
        super::finance::summary, super::finance::create_contribution, super::finance::show_contribution, super::finance::update_contribution,
        super::finance::pots, super::finance::create_pot, super::finance::show_pot, super::finance::update_pot, super::finance::create_plan, super::finance::create_spending,
        super::finance::decisions, super::finance::create_decision, super::finance::continuity, super::finance::set_horizon, super::finance::work_money, super::finance::import,
        super::token::list, super::token::create, super::token::revoke,
    ),
    components(schemas(
        domain::collaboration::CollaborationInput, domain::partner::PartnerInput, domain::person::PersonInput, domain::portfolio::PortfolioInput,
        super::collaboration::CollaborationJson, super::collaboration::NewCollaborationBody, super::collaboration::CreatedCollaborationJson, super::collaboration::InvitationJson, super::collaboration::CompanyCheckJson, super::collaboration::MemberJson, super::collaboration::FourEyesJson,
        super::collaboration::AuditJson, super::company::PartnerJson, super::company::PersonJson, super::company::PortfolioJson, ProblemDetails, InvalidParam,
        domain::journey::StepInput, domain::journey::ReflectionInput, domain::example::ExampleInput, domain::obstacle::ObstacleInput, domain::obstacle::RecognitionInput,
        domain::obstacle::ResponseInput, super::knowledge::ThemeJson, super::knowledge::ProgressJson, super::knowledge::ThemeProgressJson, super::knowledge::StepJson,
        super::knowledge::ReflectionJson, super::knowledge::ExampleJson, super::knowledge::ObstacleJson, super::legal::LawJson, super::legal::LegalAnswerJson,
        super::responsibility::MatrixJson, super::responsibility::TopicJson, super::responsibility::CellJson, super::responsibility::CellsJson, domain::responsibility::TopicInput,
        super::agreement::AgreementJson, super::agreement::VersionJson, super::agreement::AssentJson, domain::agreement::AgreementInput, domain::agreement::PartyInput,
        super::vision::VisionJson, super::vision::AdoptedJson, domain::vision::VisionInput, domain::vision::HardDataInput, domain::vision::SoftSignalInput,
        super::body::OverlegJson, domain::body::BodyInput, super::meeting::MeetingJson, super::meeting::ActionPointJson, domain::meeting::PlanInput, domain::meeting::MeetingInput, domain::meeting::AgendaItemInput,
        domain::meeting::AttendanceInput, domain::meeting::ActionPointInput,
        super::scan::RoundJson, super::scan::ResultsJson, super::scan::QuestionResultJson, super::scan::AnswerJson, domain::scan::RoundInput,
        super::indicator::IndicatorJson, super::indicator::PeriodJson, super::indicator::MeasurementsJson, super::indicator::ImportJson, super::indicator::StoryJson, super::cycle::CycleJson, domain::cycle::CycleInput,
        super::case_review::CaseReviewJson, super::case_review::FindingJson, super::case_review::FindingsProblem, super::case_review::CategoryJson,
        super::case_review::AgeBandJson, super::case_review::PeriodResultJson, super::case_review::CaseResultsJson, domain::case_review::CaseReviewInput, domain::cycle::DecisionInput, domain::story::StoryInput, super::indicator::RefusalJson, super::indicator::ProblemJson, domain::indicator::IndicatorInput, domain::indicator::MeasurementInput,
        super::rollup::AreaPeriodJson, super::rollup::AreasJson, super::rollup::AreaJson,
        super::scope::ScopeJson, super::scope::ScopeFiguresJson, super::scope::ScopeFigureJson, domain::scope::ScopeInput,
        super::programme::AmbitionJson, super::programme::GoalJson, super::programme::ActivityJson, super::programme::NoteJson, domain::programme::AmbitionInput,
        domain::programme::GoalInput, domain::programme::ActivityInput, domain::programme::StatusInput, domain::programme::NoteInput,
        super::finance::FinanceJson, super::finance::TotalJson, super::finance::ContributionJson, super::finance::ContributionVersionJson, domain::finance::ContributionInput,
        super::finance::PotJson, super::finance::ShareJson, super::finance::PlanJson, super::finance::SpendingJson, super::finance::PotDetailJson, domain::finance::PotInput,
        domain::finance::ShareInput, domain::finance::PlanInput, domain::finance::SpendingInput,
        super::finance::DecisionJson, super::finance::DecisionResultJson, super::finance::BreakthroughJson, domain::finance::DecisionInput,
        super::finance::ContinuityJson, super::finance::FinanceImportJson, super::finance::PartnerYearsJson, super::finance::WarningJson, super::finance::HorizonInput,
        super::token::TokenJson, super::token::NewTokenJson, super::token::NewTokenBody,
    )),
    modifiers(&BearerAuth, &IdempotencyKeys, &Contract),
    security(("token" = [])),
    tags((name = "samenwerkingen"), (name = "gezelschap"), (name = "reis"), (name = "kennis"), (name = "afspraken"), (name = "overleggen"), (name = "vergaderingen"), (name = "scans"), (name = "indicatoren"), (name = "programma"), (name = "financien"), (name = "leercyclus"), (name = "casusbesprekingen"), (name = "account"))
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).description(Some("Persoonlijk API-token (rg_…)")).build()),
        );
    }
}

/// An error as RFC 9457 problem details.
#[derive(utoipa::ToSchema, serde::Serialize)]
pub struct ProblemDetails {
    /// Always `about:blank`: the status says what kind of error it is.
    #[serde(rename = "type")]
    pub kind: String,
    /// The HTTP status.
    pub status: u16,
    /// The status's name.
    pub title: String,
    /// What went wrong, in Dutch.
    pub detail: String,
    /// For invalid input (400): every field that is wrong.
    #[serde(rename = "invalidParams")]
    pub invalid_params: Option<Vec<InvalidParam>>,
}

/// One field of the input that is wrong.
#[derive(utoipa::ToSchema, serde::Serialize)]
pub struct InvalidParam {
    /// The field (`body`, `path` and `query` for what could not be read at all).
    pub name: String,
    /// A stable code, such as `err.required`.
    pub code: String,
    /// The reason, in Dutch.
    pub reason: String,
}

async fn openapi() -> impl IntoResponse {
    Json(ApiDoc::openapi())
}

/// Whether the service and its database answer, and whether the storage takes writes.
/// After the storage refused a write (a full disk, I/O errors) this answers 503 `degraded`
/// with the reason, and tries one small write each time it is asked; once a write succeeds
/// it answers `ok` again.
#[utoipa::path(get, path = "/healthz", security(()), responses(
    (status = 200, description = "Gezond: de database antwoordt en neemt schrijfacties aan"),
    (status = 503, description = "Database onbereikbaar (`unavailable`), of de opslag weigert schrijfacties (`degraded`, met `reason`)")))]
pub async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    let backend = match state.db.backend() {
        store::Backend::Sqlite => "sqlite",
        store::Backend::Postgres => "postgres",
    };
    if let Err(err) = state.db.ping().await {
        tracing::error!(%err, "health check failed");
        return (StatusCode::SERVICE_UNAVAILABLE, Json(serde_json::json!({"status": "unavailable", "database": backend})));
    }
    if state.health.failure().is_some() {
        match state.db.probe_write().await {
            Ok(()) => state.health.succeeded(),
            Err(store::StoreError::Storage(kind, err)) => {
                tracing::warn!(%kind, %err, "storage still refuses writes");
                state.health.failed(kind);
            }
            Err(err) => tracing::warn!(%err, "write probe failed"),
        }
    }
    match state.health.failure() {
        None => (StatusCode::OK, Json(serde_json::json!({"status": "ok", "database": backend}))),
        Some(failure) => {
            let detail = crate::error::AppError::Unavailable(failure.kind).message_key();
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({
                    "status": "degraded",
                    "database": backend,
                    "reason": failure.kind.code(),
                    "detail": crate::i18n::Lang::Nl.t(detail),
                    "since": failure.since,
                    "last_failure": failure.last,
                    "refused_writes": failure.count,
                })),
            )
        }
    }
}
