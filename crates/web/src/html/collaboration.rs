//! The home page (my collaborations), creating a collaboration, its overview with the
//! "wie missen we nog?" check, and editing its settings.

use super::{Cell, Form, Link, Page, PageResult, Table, choices, collaboration_access, form_page, render, see_other, table_page, with_empty};
use crate::AppState;
use crate::collaboration::current_year;
use crate::error::AppError;
use crate::form::FormBody;
use crate::i18n::Lang;
use crate::routes::Routes;
use crate::security::ClientOrigin;
use crate::session::Visitor;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use domain::access::Action;
use domain::collaboration::{AgeFocus, Collaboration, CollaborationInput, CollaborationStatus, NewCollaboration, Scale, split_codes};
use domain::company::CompanyCheck;
use serde::Deserialize;
use store::Actor;

pub fn routes() -> Routes {
    Routes::new()
        .get("/", home)
        .get("/samenwerkingen/nieuw", new_form)
        .post("/samenwerkingen", create)
        .get("/samenwerkingen/{id}", show)
        .get("/samenwerkingen/{id}/bewerken", edit_form)
        .post("/samenwerkingen/{id}/bewerken", update)
}

pub fn actor(visitor: &Visitor, origin: String) -> Actor {
    Actor { user_id: Some(visitor.user.id), label: visitor.user.email.clone(), origin }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct HomeQuery {
    /// Set after an administrator created a collaboration they are no member of.
    aangemaakt: Option<i64>,
}

async fn home(State(state): State<AppState>, lang: Lang, visitor: Visitor, axum::extract::Query(query): axum::extract::Query<HomeQuery>) -> PageResult {
    let page = Page::new(lang, "home.title").user(&visitor.user);
    let mut intro = page.t("home.intro").to_string();
    if let (Some(id), true) = (query.aangemaakt, visitor.user.is_admin) {
        // Name and first beheerder only: the members are the collaboration's own business.
        let created = state.db.collaboration_summary(domain::ids::CollaborationId(id)).await?;
        intro = format!(
            "{} “{}” · {}: {} ({}).",
            page.t("home.created"),
            created.name,
            page.t("home.first_beheerder"),
            created.beheerder_email.unwrap_or_default(),
            page.t("collab.existing_account")
        );
    }
    let mine = state.db.collaborations_of(visitor.user.id()).await?;
    let mut actions = Vec::new();
    if visitor.user.is_admin {
        actions.push(Link::to(page.t("collab.new").to_string(), "/samenwerkingen/nieuw"));
        actions.push(Link::to(page.t("admin.collaborations").to_string(), "/beheer/samenwerkingen"));
    }
    let table = Table {
        intro,
        actions,
        caption: page.t("home.caption").to_string(),
        headers: vec![page.t("field.name").into(), page.t("field.scale").into(), page.t("field.age_focus").into(), page.t("field.my_role").into()],
        rows: mine
            .iter()
            .map(|(c, role)| {
                vec![
                    Cell::link(&c.name, format!("/samenwerkingen/{}", c.id)),
                    Cell::text(lang.label("scale", c.scale.code())),
                    Cell::text(lang.label("age", c.age_focus.code())),
                    Cell::text(lang.label("role", role.code())),
                ]
            })
            .collect(),
        empty: page.t("home.empty").to_string(),
    };
    Ok(table_page(&page, &table, None))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CollaborationForm {
    name: String,
    description: String,
    scale: String,
    age_focus: String,
    status: String,
    area_codes: String,
    area_year: String,
    beheerder_email: String,
    beheerder_name: String,
}

impl CollaborationForm {
    fn input(&self) -> CollaborationInput {
        CollaborationInput {
            name: self.name.clone(),
            description: self.description.clone(),
            scale: self.scale.clone(),
            age_focus: self.age_focus.clone(),
            status: self.status.clone(),
            area_codes: split_codes(&self.area_codes),
            area_year: self.area_year.trim().parse().ok(),
        }
    }

    fn from(c: &Collaboration) -> CollaborationForm {
        CollaborationForm {
            name: c.name.clone(),
            description: c.description.clone(),
            scale: c.scale.code().into(),
            age_focus: c.age_focus.code().into(),
            status: c.status.code().into(),
            area_codes: c.area_codes.iter().map(|a| a.as_str()).collect::<Vec<_>>().join(" "),
            area_year: c.area_year.to_string(),
            beheerder_email: String::new(),
            beheerder_name: String::new(),
        }
    }
}

fn collaboration_view(page: &Page, action: String, input: &CollaborationForm, creating: bool, default_year: i32) -> Form {
    let year = if input.area_year.is_empty() { default_year.to_string() } else { input.area_year.clone() };
    let mut form = Form::new(action, page.t("form.save"))
        .text("name", page.t("field.name"), &input.name, true)
        .textarea("description", page.t("field.description"), &input.description)
        .select("scale", page.t("field.scale"), with_empty(page.t("form.choose"), choices(page, "scale", Scale::ALL, Scale::code)), &input.scale, true)
        .select(
            "age_focus",
            page.t("field.age_focus"),
            with_empty(page.t("form.choose"), choices(page, "age", AgeFocus::ALL, AgeFocus::code)),
            &input.age_focus,
            true,
        )
        .hint(page.t("collab.age_hint"))
        .textarea("area_codes", page.t("field.area_codes"), &input.area_codes)
        .hint(page.t("collab.area_hint"))
        .number("area_year", page.t("field.area_year"), &year, true)
        .hint(page.t("collab.year_hint"));
    if creating {
        form = form
            .email("beheerder_email", page.t("field.beheerder_email"), &input.beheerder_email, true)
            .autocomplete("off")
            .hint(page.t("collab.beheerder_hint"))
            .text("beheerder_name", page.t("field.beheerder_name"), &input.beheerder_name, false)
            .autocomplete("off")
            .hint(page.t("collab.beheerder_name_hint"));
    } else {
        form = form.select("status", page.t("field.status"), choices(page, "status", CollaborationStatus::ALL, CollaborationStatus::code), &input.status, true);
    }
    form
}

async fn new_form(State(state): State<AppState>, lang: Lang, visitor: Visitor) -> PageResult {
    super::admin::require_admin(&visitor)?;
    let page = Page::new(lang, "collab.new").user(&visitor.user);
    let year = crate::collaboration::default_area_year(&state.db).await?;
    let form = collaboration_view(&page, "/samenwerkingen".into(), &CollaborationForm::default(), true, year).cancel("/");
    Ok(form_page(&page, &form, StatusCode::OK))
}

async fn create(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    headers: HeaderMap,
    visitor: Visitor,
    body: FormBody,
) -> PageResult {
    super::admin::require_admin(&visitor)?;
    let (input, control): (CollaborationForm, _) = body.parse_kept()?;
    let page = Page::new(lang, "collab.new").user(&visitor.user);
    let made = crate::collaboration::create(&state.db, &actor(&visitor, origin), &input.input(), &input.beheerder_email, &input.beheerder_name, control).await;
    let created = match made {
        Ok(created) => created,
        Err(AppError::Invalid(invalid)) => {
            let year = crate::collaboration::default_area_year(&state.db).await?;
            let form = collaboration_view(&page, "/samenwerkingen".into(), &input, true, year).errors(&page, Some(&invalid)).cancel("/");
            return Ok(form_page(&page, &form, StatusCode::BAD_REQUEST));
        }
        Err(other) => return Err(other.into()),
    };
    let c = &created.collaboration;
    let b = &created.beheerder;
    // Without a link to pass on, the answer is a redirect (a reload sends nothing twice): the
    // administrator who is not a member goes home, where the new collaboration is confirmed;
    // a member goes to the new collaboration.
    if created.invitation.is_none() {
        let to = if b.id == visitor.user.id { format!("/samenwerkingen/{}", c.id) } else { format!("/?aangemaakt={}", c.id) };
        return Ok(see_other(&to));
    }
    let mut confirmed = Page::new(lang, "collab.created_title").user(&visitor.user);
    confirmed.title = format!("{} “{}”", page.t("collab.created_title"), c.name);
    let mut lines = vec![format!("{} “{}” ({}).", page.t("home.created"), c.name, lang.label("scale", c.scale.code()))];
    lines.push(format!("{} {} ({}).", page.t("collab.beheerder_invited"), b.name, b.email));
    let actions = vec![
        Link::to(page.t("admin.collaborations").to_string(), "/beheer/samenwerkingen"),
        Link::to(page.t("collab.new_another").to_string(), "/samenwerkingen/nieuw"),
    ];
    Ok(render(&super::CreatedTemplate {
        page: &confirmed,
        lines,
        invitation: created.invitation.as_ref().map(|i| crate::accounts::invitation_url(&headers, &i.path())),
        valid_until: created.invitation.as_ref().map(|i| lang.datetime(i.expires_at)).unwrap_or_default(),
        actions,
    }))
}

#[derive(Template)]
#[template(path = "collaboration.html")]
struct OverviewTemplate<'a> {
    page: &'a Page,
    c: &'a Collaboration,
    check: &'a CompanyCheck,
    partners: usize,
    people: usize,
    portfolios: usize,
    /// Portfolios without an active holder, with the reason.
    vacant: Vec<(String, &'static str)>,
    without_ambassador: Vec<String>,
    inner_ring: usize,
    /// Agreements whose review date has come: (id, title, review date).
    reviews_due: Vec<(i64, String, String)>,
    /// Running work whose funding ends within the horizon or rests on one year's money.
    funding: Vec<(i64, String, String)>,
    can_edit: bool,
    /// The first open step of the current stage of the travel plan.
    next: Option<NextStep>,
    done: usize,
    applicable: usize,
}

pub struct NextStep {
    stage: String,
    number: u8,
    theme: String,
    text: String,
    theme_href: String,
    place: Option<String>,
}

async fn show(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Read).await?;
    let mut page = Page::new(lang, "nav.overview").user(&visitor.user).in_collab(&c, role, "overview");
    page.title = c.name.clone();
    let partners = state.db.partners(c.id).await?;
    let people = state.db.people(c.id).await?;
    let portfolios = state.db.portfolios(c.id).await?;
    let check = domain::company::check(c.age_focus, &partners, &people);
    let left = |pid| people.iter().find(|p| p.id == pid).is_none_or(|p| p.left);
    let vacant = portfolios
        .iter()
        .filter_map(|p| {
            domain::portfolio::vacancy(p, left).map(|why| {
                let key = match why {
                    domain::portfolio::Vacancy::NeverHeld => "company.vacant_never_held",
                    domain::portfolio::Vacancy::HolderLeft => "company.vacant_holder_left",
                };
                (p.name.clone(), key)
            })
        })
        .collect();
    let inner_ring = partners.iter().filter(|p| p.ring == domain::partner::Ring::Binnenring).count();
    let today = crate::today();
    let reviews_due =
        state.db.agreements(c.id).await?.into_iter().filter(|a| a.content.review_due(&today)).map(|a| (a.id, a.content.title, a.content.review)).collect();
    let without_ambassador =
        check.inner_ring_without_ambassador.iter().filter_map(|id| partners.iter().find(|p| p.id == *id)).map(|p| p.name.clone()).collect();
    let (hand, work) = crate::journey::progress(&state.db, &c).await?;
    let en = lang == Lang::En;
    let next = domain::journey::next_step(&hand, &work).map(|(stage, theme, step)| NextStep {
        stage: stage.name.get(en).to_string(),
        number: theme.number,
        theme: theme.title.get(en).to_string(),
        text: step.text.get(en).to_string(),
        theme_href: format!("/samenwerkingen/{id}/reis/{}#stap-{}", theme.number, step.key),
        place: super::journey::step_place(id, step),
    });
    let all = domain::journey::with_work(&hand, &work);
    let (mut done, mut applicable) = (0, 0);
    for theme in &domain::journey::journey().themes {
        let t = domain::journey::tally(theme, &all);
        done += t.done;
        applicable += t.applicable;
    }
    Ok(render(&OverviewTemplate {
        next,
        done,
        applicable,
        page: &page,
        c: &c,
        check: &check,
        partners: partners.len(),
        people: people.len(),
        portfolios: portfolios.len(),
        vacant,
        without_ambassador,
        inner_ring,
        reviews_due,
        funding: crate::finance::attention_now(&state, c.id, &today).await?.iter().map(|a| super::finance::attention_line(lang, a)).collect(),
        can_edit: role.allows(Action::Manage),
    }))
}

async fn edit_form(State(state): State<AppState>, lang: Lang, visitor: Visitor, Path(id): Path<i64>) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Manage).await?;
    let page = Page::new(lang, "collab.edit").user(&visitor.user).in_collab(&c, role, "overview");
    let action = format!("/samenwerkingen/{id}/bewerken");
    let form = collaboration_view(&page, action, &CollaborationForm::from(&c), false, c.area_year)
        .hidden("version", c.version)
        .cancel(format!("/samenwerkingen/{id}"));
    Ok(form_page(&page, &form, StatusCode::OK))
}

async fn update(
    State(state): State<AppState>,
    lang: Lang,
    ClientOrigin(origin): ClientOrigin,
    visitor: Visitor,
    Path(id): Path<i64>,
    body: FormBody,
) -> PageResult {
    let (c, role) = collaboration_access(&state, &visitor.user, id, Action::Manage).await?;
    let (input, control): (CollaborationForm, _) = body.parse_kept()?;
    let version = body.version()?;
    let page = Page::new(lang, "collab.edit").user(&visitor.user).in_collab(&c, role, "overview");
    let view = || {
        collaboration_view(&page, format!("/samenwerkingen/{id}/bewerken"), &input, false, c.area_year)
            .hidden("version", version)
            .cancel(format!("/samenwerkingen/{id}"))
    };
    let new = match control.before(NewCollaboration::parse(&input.input(), current_year())) {
        Ok(new) => new,
        Err(invalid) => return Ok(form_page(&page, &view().errors(&page, Some(&invalid)), StatusCode::BAD_REQUEST)),
    };
    match state.db.update_collaboration(&actor(&visitor, origin), c.id, version, &new).await {
        Ok(_) => {
            crate::publication::settle(&state, c.id).await;
            Ok(see_other(&format!("/samenwerkingen/{id}")))
        }
        Err(store::StoreError::Conflict(_)) => Ok(form_page(&page, &view().message(page.t("error.stale")), StatusCode::CONFLICT)),
        Err(other) => Err(other.into()),
    }
}
