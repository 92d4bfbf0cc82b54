//! The authorisation matrix: every route of the router, called as anonymous, as each role,
//! as the administrator (who is no member) and as members of another collaboration. Only the
//! allowed calls get through, and no answer to an outsider carries the collaboration's data.
//! A route missing from `MATRIX` fails `every_route_is_in_the_matrix`.

mod common;

use axum::http::Method;
use common::{Auth, TestApp, actor, web};
use domain::access::Role;
use domain::example::{ExampleInput, NewExample};
use domain::ids::CollaborationId;
use domain::obstacle::{NewObstacle, ObstacleInput};
use domain::partner::{NewPartner, PartnerInput};
use domain::person::{NewPerson, PersonInput};
use domain::portfolio::{NewPortfolio, PortfolioInput};
use std::collections::BTreeSet;

/// What a route asks of its caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Need {
    /// Anyone; only checked for leaks and server errors.
    Public,
    /// A session that still owes its second factor: none of the principals has one.
    Pending,
    SignedIn,
    Admin,
    Read,
    Edit,
    Manage,
    /// Only the owner of the object (the beheerder's own API token).
    Owner,
    /// The instance-wide regional or national reader.
    National,
}

use Need::*;

const MATRIX: &[(&str, &str, Need)] = &[
    ("GET", "/inloggen", Public),
    ("POST", "/inloggen", Public),
    ("GET", "/inloggen/code", Pending),
    ("POST", "/inloggen/code", Pending),
    ("POST", "/uitloggen", Public),
    ("POST", "/taal", Public),
    ("GET", "/account/tweede-factor", SignedIn),
    ("POST", "/account/tweede-factor", SignedIn),
    ("GET", "/account", SignedIn),
    ("POST", "/account/wachtwoord", SignedIn),
    ("GET", "/account/tokens", SignedIn),
    ("POST", "/account/tokens", SignedIn),
    ("POST", "/account/tokens/{token_id}/intrekken", Owner),
    ("GET", "/beheer/gebruikers", Admin),
    ("POST", "/beheer/gebruikers", Admin),
    ("POST", "/beheer/gebruikers/{user_id}/blokkeren", Admin),
    ("POST", "/beheer/gebruikers/{user_id}/landelijk", Admin),
    ("GET", "/", SignedIn),
    ("GET", "/samenwerkingen/nieuw", Admin),
    ("POST", "/samenwerkingen", Admin),
    ("GET", "/samenwerkingen/{id}", Read),
    ("GET", "/samenwerkingen/{id}/bewerken", Manage),
    ("POST", "/samenwerkingen/{id}/bewerken", Manage),
    ("GET", "/samenwerkingen/{id}/partners", Read),
    ("GET", "/samenwerkingen/{id}/partners/nieuw", Edit),
    ("POST", "/samenwerkingen/{id}/partners", Edit),
    ("GET", "/samenwerkingen/{id}/partners/{item}/bewerken", Edit),
    ("POST", "/samenwerkingen/{id}/partners/{item}/bewerken", Edit),
    ("GET", "/samenwerkingen/{id}/personen", Read),
    ("GET", "/samenwerkingen/{id}/personen/nieuw", Edit),
    ("POST", "/samenwerkingen/{id}/personen", Edit),
    ("GET", "/samenwerkingen/{id}/personen/{item}/bewerken", Edit),
    ("POST", "/samenwerkingen/{id}/personen/{item}/bewerken", Edit),
    ("GET", "/samenwerkingen/{id}/portefeuilles", Read),
    ("GET", "/samenwerkingen/{id}/portefeuilles/nieuw", Edit),
    ("POST", "/samenwerkingen/{id}/portefeuilles", Edit),
    ("GET", "/samenwerkingen/{id}/portefeuilles/{item}/bewerken", Edit),
    ("POST", "/samenwerkingen/{id}/portefeuilles/{item}/bewerken", Edit),
    ("GET", "/samenwerkingen/{id}/{kind}/{item}/verwijderen", Manage),
    ("POST", "/samenwerkingen/{id}/{kind}/{item}/verwijderen", Manage),
    ("GET", "/samenwerkingen/{id}/leden", Read),
    ("POST", "/samenwerkingen/{id}/leden", Manage),
    ("GET", "/samenwerkingen/{id}/leden/{user_id}/verwijderen", Manage),
    ("POST", "/samenwerkingen/{id}/leden/{user_id}/verwijderen", Manage),
    ("GET", "/samenwerkingen/{id}/logboek", Manage),
    ("GET", "/samenwerkingen/{id}/reis", Read),
    ("GET", "/samenwerkingen/{id}/reis/{theme}", Read),
    ("POST", "/samenwerkingen/{id}/reis/{theme}/stappen", Edit),
    ("POST", "/samenwerkingen/{id}/reis/{theme}/reflecties", Edit),
    ("GET", "/samenwerkingen/{id}/voorbeelden", Read),
    ("GET", "/samenwerkingen/{id}/voorbeelden/nieuw", Edit),
    ("POST", "/samenwerkingen/{id}/voorbeelden", Edit),
    ("GET", "/samenwerkingen/{id}/voorbeelden/{key}", Read),
    ("GET", "/samenwerkingen/{id}/voorbeelden/{key}/bewerken", Edit),
    ("POST", "/samenwerkingen/{id}/voorbeelden/{key}/bewerken", Edit),
    ("GET", "/samenwerkingen/{id}/knelpunten", Read),
    ("GET", "/samenwerkingen/{id}/knelpunten/nieuw", Edit),
    ("POST", "/samenwerkingen/{id}/knelpunten", Edit),
    ("GET", "/samenwerkingen/{id}/knelpunten/{obstacle}", Read),
    ("POST", "/samenwerkingen/{id}/knelpunten/{obstacle}/herkennen", Edit),
    ("GET", "/wettelijk-kader", SignedIn),
    ("GET", "/samenwerkingen/{id}/overleg", Read),
    ("GET", "/samenwerkingen/{id}/overleg/nieuw", Edit),
    ("POST", "/samenwerkingen/{id}/overleg", Edit),
    ("GET", "/samenwerkingen/{id}/overleg/{item}/bewerken", Edit),
    ("POST", "/samenwerkingen/{id}/overleg/{item}/bewerken", Edit),
    ("GET", "/samenwerkingen/{id}/vergaderingen", Read),
    ("GET", "/samenwerkingen/{id}/vergaderingen.ics", Read),
    ("GET", "/samenwerkingen/{id}/vergaderingen/nieuw", Edit),
    ("POST", "/samenwerkingen/{id}/vergaderingen", Edit),
    ("GET", "/samenwerkingen/{id}/vergaderingen/{meeting}", Read),
    ("GET", "/samenwerkingen/{id}/vergaderingen/{meeting}/bewerken", Edit),
    ("POST", "/samenwerkingen/{id}/vergaderingen/{meeting}/bewerken", Edit),
    ("GET", "/samenwerkingen/{id}/vergaderingen/{meeting}/agenda.ics", Read),
    ("POST", "/samenwerkingen/{id}/vergaderingen/{meeting}/actiepunten", Edit),
    ("POST", "/samenwerkingen/{id}/actiepunten/{action}", Edit),
    ("GET", "/actiepunten", SignedIn),
    ("GET", "/samenwerkingen/{id}/scans", Read),
    ("GET", "/samenwerkingen/{id}/scans/nieuw", Edit),
    ("POST", "/samenwerkingen/{id}/scans", Edit),
    ("GET", "/samenwerkingen/{id}/scans/{round}", Read),
    ("POST", "/samenwerkingen/{id}/scans/{round}/links", Edit),
    ("GET", "/samenwerkingen/{id}/scans/{round}/resultaten", Read),
    ("GET", "/samenwerkingen/{id}/scans/{round}/export/{format}", Read),
    ("GET", "/samenwerkingen/{id}/indicatoren", Read),
    ("GET", "/samenwerkingen/{id}/indicatoren/nieuw", Edit),
    ("POST", "/samenwerkingen/{id}/indicatoren", Edit),
    ("GET", "/samenwerkingen/{id}/indicatoren/{indicator}", Read),
    ("GET", "/samenwerkingen/{id}/indicatoren/{indicator}/export.csv", Read),
    ("GET", "/samenwerkingen/{id}/indicatoren/{indicator}/export.xlsx", Read),
    ("GET", "/samenwerkingen/{id}/indicatoren/{indicator}/bewerken", Edit),
    ("POST", "/samenwerkingen/{id}/indicatoren/{indicator}/bewerken", Edit),
    ("POST", "/samenwerkingen/{id}/indicatoren/{indicator}/metingen", Edit),
    ("POST", "/samenwerkingen/{id}/indicatoren/{indicator}/metingen/status", Edit),
    ("GET", "/samenwerkingen/{id}/indicatoren/import", Edit),
    ("POST", "/samenwerkingen/{id}/indicatoren/import", Edit),
    ("POST", "/samenwerkingen/{id}/indicatoren/perioden", Manage),
    ("POST", "/samenwerkingen/{id}/indicatoren/{indicator}/verhaal", Edit),
    ("GET", "/samenwerkingen/{id}/cycli", Read),
    ("GET", "/samenwerkingen/{id}/cycli/nieuw", Edit),
    ("POST", "/samenwerkingen/{id}/cycli", Edit),
    ("GET", "/samenwerkingen/{id}/cycli/{cycle}", Read),
    ("GET", "/samenwerkingen/{id}/cycli/{cycle}/bewerken", Edit),
    ("POST", "/samenwerkingen/{id}/cycli/{cycle}/bewerken", Edit),
    ("POST", "/samenwerkingen/{id}/cycli/{cycle}/besluiten", Edit),
    ("GET", "/samenwerkingen/{id}/casusbesprekingen", Edit),
    ("GET", "/samenwerkingen/{id}/casusbesprekingen/nieuw", Edit),
    ("POST", "/samenwerkingen/{id}/casusbesprekingen", Edit),
    ("GET", "/samenwerkingen/{id}/casusbesprekingen/resultaten", Read),
    ("POST", "/samenwerkingen/{id}/casusbesprekingen/meting", Edit),
    ("POST", "/samenwerkingen/{id}/casusbesprekingen/minimum", Manage),
    ("GET", "/samenwerkingen/{id}/casusbesprekingen/{review}/bewerken", Edit),
    ("POST", "/samenwerkingen/{id}/casusbesprekingen/{review}/bewerken", Edit),
    ("GET", "/samenwerkingen/{id}/casusbesprekingen/{review}/verwijderen", Manage),
    ("POST", "/samenwerkingen/{id}/casusbesprekingen/{review}/verwijderen", Manage),
    ("GET", "/samenwerkingen/{id}/werkgebieden", Read),
    ("GET", "/samenwerkingen/{id}/werkgebieden/nieuw", Edit),
    ("POST", "/samenwerkingen/{id}/werkgebieden", Edit),
    ("GET", "/samenwerkingen/{id}/werkgebieden/{scope}", Read),
    ("GET", "/samenwerkingen/{id}/werkgebieden/{scope}/bewerken", Edit),
    ("POST", "/samenwerkingen/{id}/werkgebieden/{scope}/bewerken", Edit),
    ("POST", "/samenwerkingen/{id}/scans/{round}/meting", Edit),
    ("GET", "/samenwerkingen/{id}/programma", Read),
    ("GET", "/samenwerkingen/{id}/programma/tijdlijn", Read),
    ("GET", "/samenwerkingen/{id}/programma/ambities/nieuw", Edit),
    ("POST", "/samenwerkingen/{id}/programma/ambities", Edit),
    ("GET", "/samenwerkingen/{id}/programma/ambities/{ambition}/bewerken", Edit),
    ("POST", "/samenwerkingen/{id}/programma/ambities/{ambition}/bewerken", Edit),
    ("GET", "/samenwerkingen/{id}/programma/ambities/{ambition}/doelen/nieuw", Edit),
    ("POST", "/samenwerkingen/{id}/programma/ambities/{ambition}/doelen", Edit),
    ("GET", "/samenwerkingen/{id}/programma/doelen/{goal}/bewerken", Edit),
    ("POST", "/samenwerkingen/{id}/programma/doelen/{goal}/bewerken", Edit),
    ("GET", "/samenwerkingen/{id}/programma/doelen/{goal}/activiteiten/nieuw", Edit),
    ("POST", "/samenwerkingen/{id}/programma/doelen/{goal}/activiteiten", Edit),
    ("GET", "/samenwerkingen/{id}/programma/activiteiten/{activity}", Read),
    ("GET", "/samenwerkingen/{id}/programma/activiteiten/{activity}/bewerken", Edit),
    ("POST", "/samenwerkingen/{id}/programma/activiteiten/{activity}/bewerken", Edit),
    ("POST", "/samenwerkingen/{id}/programma/activiteiten/{activity}/status", Edit),
    ("POST", "/samenwerkingen/{id}/programma/activiteiten/{activity}/voortgang", Edit),
    ("GET", "/vragenlijst/{token}", Public),
    ("POST", "/vragenlijst/{token}", Public),
    ("GET", "/samenwerkingen/{id}/visie", Read),
    ("GET", "/samenwerkingen/{id}/visie/bewerken", Edit),
    ("POST", "/samenwerkingen/{id}/visie/bewerken", Edit),
    ("POST", "/samenwerkingen/{id}/visie/vaststellen", Manage),
    ("GET", "/samenwerkingen/{id}/visie/vergelijk", Read),
    ("POST", "/samenwerkingen/{id}/visie/draagvlak", Edit),
    ("GET", "/samenwerkingen/{id}/afspraken", Read),
    ("GET", "/samenwerkingen/{id}/afspraken/nieuw", Edit),
    ("POST", "/samenwerkingen/{id}/afspraken", Edit),
    ("GET", "/samenwerkingen/{id}/afspraken/{agreement}", Read),
    ("GET", "/samenwerkingen/{id}/afspraken/{agreement}/bewerken", Edit),
    ("POST", "/samenwerkingen/{id}/afspraken/{agreement}/bewerken", Edit),
    ("GET", "/samenwerkingen/{id}/afspraken/{agreement}/vergelijk", Read),
    ("POST", "/samenwerkingen/{id}/afspraken/{agreement}/instemming", Edit),
    ("GET", "/samenwerkingen/{id}/verantwoordelijkheden", Read),
    ("POST", "/samenwerkingen/{id}/verantwoordelijkheden", Edit),
    ("POST", "/samenwerkingen/{id}/verantwoordelijkheden/onderwerpen", Edit),
    ("GET", "/landelijk", National),
    ("GET", "/landelijk/knelpunten/{obstacle}", National),
    ("POST", "/landelijk/knelpunten/{obstacle}", National),
    ("GET", "/healthz", Public),
    ("GET", "/api/v1/openapi.json", Public),
    ("GET", "/api/v1/samenwerkingen", SignedIn),
    ("POST", "/api/v1/samenwerkingen", Admin),
    ("GET", "/api/v1/samenwerkingen/{id}", Read),
    ("PUT", "/api/v1/samenwerkingen/{id}", Manage),
    ("GET", "/api/v1/samenwerkingen/{id}/wie-missen-we-nog", Read),
    ("GET", "/api/v1/samenwerkingen/{id}/leden", Read),
    ("GET", "/api/v1/samenwerkingen/{id}/logboek", Manage),
    ("GET", "/api/v1/samenwerkingen/{id}/partners", Read),
    ("POST", "/api/v1/samenwerkingen/{id}/partners", Edit),
    ("GET", "/api/v1/samenwerkingen/{id}/partners/{item}", Read),
    ("PUT", "/api/v1/samenwerkingen/{id}/partners/{item}", Edit),
    ("DELETE", "/api/v1/samenwerkingen/{id}/partners/{item}", Manage),
    ("GET", "/api/v1/samenwerkingen/{id}/personen", Read),
    ("POST", "/api/v1/samenwerkingen/{id}/personen", Edit),
    ("GET", "/api/v1/samenwerkingen/{id}/personen/{item}", Read),
    ("PUT", "/api/v1/samenwerkingen/{id}/personen/{item}", Edit),
    ("DELETE", "/api/v1/samenwerkingen/{id}/personen/{item}", Manage),
    ("GET", "/api/v1/samenwerkingen/{id}/portefeuilles", Read),
    ("POST", "/api/v1/samenwerkingen/{id}/portefeuilles", Edit),
    ("GET", "/api/v1/samenwerkingen/{id}/portefeuilles/{item}", Read),
    ("PUT", "/api/v1/samenwerkingen/{id}/portefeuilles/{item}", Edit),
    ("DELETE", "/api/v1/samenwerkingen/{id}/portefeuilles/{item}", Manage),
    ("GET", "/api/v1/reis", SignedIn),
    ("GET", "/api/v1/wettelijk-kader", SignedIn),
    ("GET", "/api/v1/samenwerkingen/{id}/visie", Read),
    ("PUT", "/api/v1/samenwerkingen/{id}/visie", Edit),
    ("POST", "/api/v1/samenwerkingen/{id}/visie/vaststellen", Manage),
    ("POST", "/api/v1/samenwerkingen/{id}/visie/draagvlak", Edit),
    ("GET", "/api/v1/samenwerkingen/{id}/afspraken", Read),
    ("POST", "/api/v1/samenwerkingen/{id}/afspraken", Edit),
    ("GET", "/api/v1/samenwerkingen/{id}/afspraken/{agreement}", Read),
    ("PUT", "/api/v1/samenwerkingen/{id}/afspraken/{agreement}", Edit),
    ("GET", "/api/v1/samenwerkingen/{id}/afspraken/{agreement}/versies", Read),
    ("POST", "/api/v1/samenwerkingen/{id}/afspraken/{agreement}/instemmingen", Edit),
    ("GET", "/api/v1/samenwerkingen/{id}/overleggen", Read),
    ("POST", "/api/v1/samenwerkingen/{id}/overleggen", Edit),
    ("GET", "/api/v1/samenwerkingen/{id}/overleggen/{overleg}", Read),
    ("PUT", "/api/v1/samenwerkingen/{id}/overleggen/{overleg}", Edit),
    ("DELETE", "/api/v1/samenwerkingen/{id}/overleggen/{overleg}", Manage),
    ("GET", "/api/v1/samenwerkingen/{id}/vergaderingen", Read),
    ("POST", "/api/v1/samenwerkingen/{id}/vergaderingen", Edit),
    ("GET", "/api/v1/samenwerkingen/{id}/vergaderingen/{meeting}", Read),
    ("PUT", "/api/v1/samenwerkingen/{id}/vergaderingen/{meeting}", Edit),
    ("GET", "/api/v1/samenwerkingen/{id}/vergaderingen/{meeting}/actiepunten", Read),
    ("POST", "/api/v1/samenwerkingen/{id}/vergaderingen/{meeting}/actiepunten", Edit),
    ("PUT", "/api/v1/samenwerkingen/{id}/actiepunten/{action}", Edit),
    ("GET", "/api/v1/actiepunten", SignedIn),
    ("GET", "/api/v1/samenwerkingen/{id}/scans", Read),
    ("POST", "/api/v1/samenwerkingen/{id}/scans", Edit),
    ("GET", "/api/v1/samenwerkingen/{id}/scans/{round}/resultaten", Read),
    ("POST", "/api/v1/vragenlijst/{token}", Public),
    ("GET", "/api/v1/samenwerkingen/{id}/indicatoren", Read),
    ("POST", "/api/v1/samenwerkingen/{id}/indicatoren", Edit),
    ("GET", "/api/v1/samenwerkingen/{id}/indicatoren/{indicator}", Read),
    ("PUT", "/api/v1/samenwerkingen/{id}/indicatoren/{indicator}", Edit),
    ("GET", "/api/v1/samenwerkingen/{id}/indicatoren/{indicator}/metingen", Read),
    ("GET", "/api/v1/samenwerkingen/{id}/indicatoren/{indicator}/export", Read),
    ("POST", "/api/v1/samenwerkingen/{id}/indicatoren/{indicator}/metingen", Edit),
    ("GET", "/api/v1/samenwerkingen/{id}/indicatoren/{indicator}/reeks", Read),
    ("GET", "/api/v1/samenwerkingen/{id}/indicatoren/{indicator}/gebieden", Read),
    ("POST", "/api/v1/samenwerkingen/{id}/metingen/import", Edit),
    ("GET", "/api/v1/samenwerkingen/{id}/indicatoren/{indicator}/verhalen", Read),
    ("GET", "/api/v1/samenwerkingen/{id}/cycli", Read),
    ("POST", "/api/v1/samenwerkingen/{id}/cycli", Edit),
    ("GET", "/api/v1/samenwerkingen/{id}/cycli/{cycle}", Read),
    ("POST", "/api/v1/samenwerkingen/{id}/cycli/{cycle}/besluiten", Edit),
    ("GET", "/api/v1/samenwerkingen/{id}/casusbesprekingen", Edit),
    ("POST", "/api/v1/samenwerkingen/{id}/casusbesprekingen", Edit),
    ("GET", "/api/v1/samenwerkingen/{id}/casusbesprekingen/resultaten", Read),
    ("GET", "/api/v1/samenwerkingen/{id}/casusbesprekingen/{review}", Edit),
    ("PUT", "/api/v1/samenwerkingen/{id}/casusbesprekingen/{review}", Edit),
    ("DELETE", "/api/v1/samenwerkingen/{id}/casusbesprekingen/{review}", Manage),
    ("GET", "/api/v1/samenwerkingen/{id}/werkgebieden", Read),
    ("POST", "/api/v1/samenwerkingen/{id}/werkgebieden", Edit),
    ("GET", "/api/v1/samenwerkingen/{id}/werkgebieden/{scope}", Read),
    ("PUT", "/api/v1/samenwerkingen/{id}/werkgebieden/{scope}", Edit),
    ("DELETE", "/api/v1/samenwerkingen/{id}/werkgebieden/{scope}", Manage),
    ("GET", "/api/v1/samenwerkingen/{id}/werkgebieden/{scope}/cijfers", Read),
    ("PUT", "/api/v1/samenwerkingen/{id}/indicatoren/{indicator}/verhalen/{period}", Edit),
    ("GET", "/api/v1/samenwerkingen/{id}/programma", Read),
    ("POST", "/api/v1/samenwerkingen/{id}/programma/ambities", Edit),
    ("PUT", "/api/v1/samenwerkingen/{id}/programma/ambities/{ambition}", Edit),
    ("POST", "/api/v1/samenwerkingen/{id}/programma/ambities/{ambition}/doelen", Edit),
    ("PUT", "/api/v1/samenwerkingen/{id}/programma/doelen/{goal}", Edit),
    ("POST", "/api/v1/samenwerkingen/{id}/programma/doelen/{goal}/activiteiten", Edit),
    ("GET", "/api/v1/samenwerkingen/{id}/programma/activiteiten/{activity}", Read),
    ("PUT", "/api/v1/samenwerkingen/{id}/programma/activiteiten/{activity}", Edit),
    ("PUT", "/api/v1/samenwerkingen/{id}/programma/activiteiten/{activity}/status", Edit),
    ("POST", "/api/v1/samenwerkingen/{id}/programma/activiteiten/{activity}/voortgang", Edit),
    ("GET", "/api/v1/samenwerkingen/{id}/verantwoordelijkheden", Read),
    ("POST", "/api/v1/samenwerkingen/{id}/verantwoordelijkheden/onderwerpen", Edit),
    ("PUT", "/api/v1/samenwerkingen/{id}/verantwoordelijkheden", Edit),
    ("GET", "/api/v1/samenwerkingen/{id}/reis", Read),
    ("PUT", "/api/v1/samenwerkingen/{id}/reis/stappen/{step}", Edit),
    ("GET", "/api/v1/samenwerkingen/{id}/reis/reflecties", Read),
    ("POST", "/api/v1/samenwerkingen/{id}/reis/reflecties", Edit),
    ("GET", "/api/v1/samenwerkingen/{id}/voorbeelden", Read),
    ("POST", "/api/v1/samenwerkingen/{id}/voorbeelden", Edit),
    ("GET", "/api/v1/samenwerkingen/{id}/knelpunten", Read),
    ("POST", "/api/v1/samenwerkingen/{id}/knelpunten", Edit),
    ("POST", "/api/v1/samenwerkingen/{id}/knelpunten/{obstacle}/herkenningen", Edit),
    ("GET", "/api/v1/landelijk/knelpunten", National),
    ("PUT", "/api/v1/landelijk/knelpunten/{obstacle}/reactie", National),
    ("GET", "/static/utrecht.css", Public),
    ("GET", "/static/app.css", Public),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Principal {
    Anonymous,
    Admin,
    Beheerder,
    Lid,
    Lezer,
    ForeignBeheerder,
    Outsider,
    NationalReader,
}

const PRINCIPALS: &[Principal] = &[
    Principal::Anonymous,
    Principal::Admin,
    Principal::Beheerder,
    Principal::Lid,
    Principal::Lezer,
    Principal::ForeignBeheerder,
    Principal::Outsider,
    Principal::NationalReader,
];

fn allowed(need: Need, who: Principal) -> bool {
    use Principal::{Anonymous, Beheerder, Lezer, Lid};
    match need {
        Public => true,
        Pending => false,
        SignedIn => who != Anonymous,
        Need::Admin => who == Principal::Admin,
        Read => matches!(who, Beheerder | Lid | Lezer),
        Edit => matches!(who, Beheerder | Lid),
        Manage | Owner => who == Beheerder,
        National => who == Principal::NationalReader,
    }
}

/// A marker that appears only in collaboration A's data.
const SECRET: &str = "Alfa-vertrouwelijk";

#[test]
fn every_route_is_in_the_matrix() {
    let routes: BTreeSet<(String, String)> = web::route_list().into_iter().map(|(m, p)| (m.to_string(), p.to_string())).collect();
    let matrix: BTreeSet<(String, String)> = MATRIX.iter().map(|(m, p, _)| (m.to_string(), p.to_string())).collect();
    let unlisted: Vec<_> = routes.difference(&matrix).collect();
    let stale: Vec<_> = matrix.difference(&routes).collect();
    assert!(unlisted.is_empty(), "routes without a row in the authorisation matrix: {unlisted:?}");
    assert!(stale.is_empty(), "matrix rows for routes that no longer exist: {stale:?}");
}

struct Fixture {
    app: TestApp,
    a: CollaborationId,
    b: CollaborationId,
    users: Vec<(Principal, store::user::User)>,
}

impl Fixture {
    async fn new() -> Fixture {
        let app = TestApp::new().await;
        let (admin, _) = app.admin("admin@test.example").await;
        let beheerder = app.user("beheerder@a.example").await;
        let lid = app.user("lid@a.example").await;
        let lezer = app.user("lezer@a.example").await;
        let foreign = app.user("beheerder@b.example").await;
        let outsider = app.user("buiten@test.example").await;
        let national = app.user("landelijk@test.example").await;
        app.db.set_national_reader(&actor(), national.id(), true).await.expect("national reader");
        let national = app.db.user_by_id(national.id()).await.expect("reload");
        let a = app.collaboration(&format!("Samenwerking {SECRET}"), &beheerder).await;
        app.member(a, &lid, Role::Lid).await;
        app.member(a, &lezer, Role::Lezer).await;
        let vision = domain::vision::VisionInput { task: format!("Opgave {SECRET}"), perspective: "Samen".into(), ..Default::default() };
        app.db.save_vision_draft(&actor(), a, 0, &domain::vision::VisionContent::parse(&vision).expect("valid")).await.expect("draft");
        app.db.adopt_vision(&actor(), a).await.expect("adopt");
        let b = app.collaboration("Samenwerking Bravo", &foreign).await;
        let partner =
            NewPartner::parse(&PartnerInput { name: "Bravo-partner".into(), sector: "mbo".into(), ring: "binnenring".into(), description: String::new() })
                .expect("valid");
        app.db.create_partner(&actor(), b, &partner).await.expect("b partner");
        let users = vec![
            (Principal::Admin, admin),
            (Principal::Beheerder, beheerder),
            (Principal::Lid, lid),
            (Principal::Lezer, lezer),
            (Principal::ForeignBeheerder, foreign),
            (Principal::Outsider, outsider),
            (Principal::NationalReader, national),
        ];
        Fixture { app, a, b, users }
    }

    fn user(&self, who: Principal) -> Option<&store::user::User> {
        self.users.iter().find(|(p, _)| *p == who).map(|(_, u)| u)
    }

    /// Fresh objects in collaboration A for one call, so destructive calls never disturb the
    /// next one; returns the path with every parameter filled in.
    async fn path(&self, template: &str, n: usize) -> String {
        let db = &self.app.db;
        let partner = NewPartner::parse(&PartnerInput {
            name: format!("Partner {SECRET} {n}"),
            sector: "kinderopvang".into(),
            ring: "binnenring".into(),
            description: String::new(),
        })
        .expect("valid");
        let partner = db.create_partner(&actor(), self.a, &partner).await.expect("partner");
        let person =
            NewPerson::parse(&PersonInput { name: format!("Persoon {SECRET} {n}"), partner_id: Some(partner.id.0), ..Default::default() }).expect("valid");
        let person = db.create_person(&actor(), self.a, &person).await.expect("person");
        let portfolio = NewPortfolio::parse(&PortfolioInput { name: format!("Portefeuille {SECRET} {n}"), holder_id: Some(person.id.0), ..Default::default() })
            .expect("valid");
        let portfolio = db.create_portfolio(&actor(), self.a, &portfolio).await.expect("portfolio");
        let extra = db
            .create_user(&actor(), &store::user::NewUser { email: &format!("extra{n}@a.example"), name: "extra", password_hash: "x", is_admin: false })
            .await
            .expect("extra user");
        db.set_member(&actor(), self.a, extra.id(), Role::Lid).await.expect("extra member");
        let owner = self.user(Principal::Beheerder).expect("beheerder");
        let token = db.create_api_token(&actor(), owner.id, "matrix", &web::session::digest(&format!("rg_matrix_{n}"))).await.expect("token");
        let example = NewExample::parse(&ExampleInput {
            place: "Alfadorp".into(),
            title: format!("Voorbeeld {SECRET} {n}"),
            summary: "Wat we deden".into(),
            ..Default::default()
        })
        .expect("valid");
        let example = db.create_example(&actor(), self.a, &example).await.expect("example");
        let obstacle = NewObstacle::parse(&ObstacleInput {
            category: "financiering".into(),
            title: format!("Bravo-knelpunt {n}"),
            description: "d".into(),
            effect: "e".into(),
            tried: String::new(),
        })
        .expect("valid");
        let obstacle = db.create_obstacle(&actor(), self.b, &obstacle).await.expect("obstacle");
        let step = &domain::journey::journey().themes[0].steps[0].key;
        let input = domain::agreement::AgreementInput {
            title: format!("Afspraak {SECRET} {n}"),
            text: "Tekst".into(),
            kind: "werkafspraak".into(),
            ..Default::default()
        };
        let agreement = db.create_agreement(&actor(), self.a, &domain::agreement::AgreementContent::parse(&input).expect("valid")).await.expect("agreement");
        let body = domain::body::BodyInput { name: format!("Overleg {SECRET} {n}"), level: "bestuurlijk".into(), kind: "oogo".into(), ..Default::default() };
        let body = db.create_body(&actor(), self.a, &domain::body::BodyContent::parse(&body).expect("valid")).await.expect("body");
        let meeting = domain::meeting::MeetingInput {
            body: body.id.to_string(),
            date: "2026-05-01".into(),
            notes: format!("Notulen {SECRET} {n}"),
            ..Default::default()
        };
        let meeting = db.create_meetings(&actor(), self.a, &[domain::meeting::MeetingContent::parse(&meeting).expect("valid")]).await.expect("meeting")[0].id;
        let action = domain::meeting::ActionPoint::parse(&domain::meeting::ActionPointInput { title: format!("Actie {SECRET} {n}"), ..Default::default() })
            .expect("valid");
        let action = db.create_action_point(&actor(), self.a, meeting, &action).await.expect("action point").id;
        let plan = domain::scan::RoundInput {
            template: "werkzame_elementen".into(),
            title: format!("Ronde {SECRET} {n}"),
            opens: "2026-01-01".into(),
            closes: "2099-12-31".into(),
            ..Default::default()
        };
        let round = db.create_round(&actor(), self.a, &plan.parse().expect("valid")).await.expect("round").id;
        let invite = format!("matrix-link-{n}");
        let group = store::scan::LinkGroup { label: "Matrix", sector: "", reusable: true };
        db.create_links(&actor(), self.a, round, &group, std::slice::from_ref(&invite)).await.expect("link");
        let indicator = domain::indicator::IndicatorInput {
            code: format!("I{n}"),
            name: format!("Indicator {SECRET} {n}"),
            kind: "aantal".into(),
            direction: "lager_beter".into(),
            perspective: "netwerk".into(),
            period_type: "jaar".into(),
            ..Default::default()
        };
        let indicator =
            db.create_indicator(&actor(), self.a, &domain::indicator::IndicatorContent::parse(&indicator).expect("valid")).await.expect("indicator").id;
        let ambition = domain::programme::AmbitionInput { title: format!("Ambitie {SECRET} {n}"), ..Default::default() };
        let ambition = db.create_ambition(&actor(), self.a, &domain::programme::AmbitionContent::parse(&ambition).expect("valid")).await.expect("ambition").id;
        let goal = domain::programme::GoalInput { title: format!("Doel {SECRET} {n}"), ..Default::default() };
        let goal = db.create_goal(&actor(), self.a, ambition, &domain::programme::GoalContent::parse(&goal).expect("valid")).await.expect("goal").id;
        let activity = domain::programme::ActivityInput {
            title: format!("Activiteit {SECRET} {n}"),
            starts: "2026-01-01".into(),
            ends: "2026-12-31".into(),
            partners: vec![partner.id.0.to_string()],
            trekker: person.id.0.to_string(),
            ..Default::default()
        };
        let activity =
            db.create_activity(&actor(), self.a, goal, &domain::programme::ActivityContent::parse(&activity).expect("valid")).await.expect("activity").id;
        let cycle = domain::cycle::CycleContent { period: "2026-H1".into(), title: format!("Cyclus {SECRET} {n}"), ..Default::default() };
        let cycle = db.create_cycle(&actor(), self.a, &cycle).await.expect("cycle").id;
        let review = domain::case_review::CaseReview {
            body: Some(body.id),
            date: "2026-03-01".into(),
            age_band: domain::case_review::AgeBand::Van4,
            domains: vec![domain::case_review::CaseDomain::Onderwijs],
            offer: domain::case_review::Offer::Ja,
            days: Some(10),
            barrier: None,
            lesson: format!("Les {SECRET} {n}"),
        };
        let review = db.create_case_review(&actor(), self.a, &review).await.expect("case review").id;
        let scope =
            domain::scope::ScopeInput { name: format!("Werkgebied {SECRET} {n}"), kind: "gebieden".into(), members: "GM0344".into(), ..Default::default() };
        let scope = db.create_scope(&actor(), self.a, &domain::scope::ScopeContent::parse(&scope).expect("valid")).await.expect("scope").id;
        let item = if template.contains("/overleg/") {
            body.id
        } else if template.contains("/personen/") {
            person.id.0
        } else if template.contains("/portefeuilles/") {
            portfolio.id.0
        } else {
            partner.id.0
        };
        template
            .replace("{id}", &self.a.0.to_string())
            .replace("{kind}", "partners")
            .replace("{item}", &item.to_string())
            .replace("{user_id}", &extra.id.to_string())
            .replace("{token_id}", &token.id.to_string())
            .replace("{theme}", "1")
            .replace("{step}", step)
            .replace("{key}", &example.key)
            .replace("{obstacle}", &obstacle.to_string())
            .replace("{agreement}", &agreement.id.to_string())
            .replace("{meeting}", &meeting.to_string())
            .replace("{overleg}", &body.id.to_string())
            .replace("{action}", &action.to_string())
            .replace("{round}", &round.to_string())
            .replace("{token}", &invite)
            .replace("{format}", "xlsx")
            .replace("{indicator}", &indicator.to_string())
            .replace("{period}", "2026")
            .replace("{cycle}", &cycle.to_string())
            .replace("{review}", &review.to_string())
            .replace("{scope}", &scope.to_string())
            .replace("{ambition}", &ambition.to_string())
            .replace("{goal}", &goal.to_string())
            .replace("{activity}", &activity.to_string())
    }
}

fn refused(reply: &common::Reply) -> bool {
    let to_sign_in = reply.status.is_redirection() && ["/inloggen", "/inloggen/code", "/account/tweede-factor"].contains(&reply.location());
    matches!(reply.status.as_u16(), 401 | 403 | 404 | 405) || to_sign_in
}

#[tokio::test]
async fn only_allowed_callers_get_through_and_outsiders_see_nothing_of_a() {
    let fx = Fixture::new().await;
    let mut failures = Vec::new();
    let mut calls = 0;
    for (method, template, need) in MATRIX {
        for &who in PRINCIPALS {
            calls += 1;
            let path = fx.path(template, calls).await;
            let api = path.starts_with("/api/");
            let auth = match fx.user(who) {
                None => Auth::None,
                Some(user) if api => Auth::Token(fx.app.token(user).await),
                Some(user) => Auth::Cookie(fx.app.session(user).await),
            };
            let method: Method = method.parse().expect("method");
            let body = match (method.clone(), api) {
                (Method::GET | Method::DELETE, _) => None,
                (_, true) => Some(("application/json", "{}".to_string())),
                (_, false) => Some(("application/x-www-form-urlencoded", String::new())),
            };
            let reply = fx.app.send(method.clone(), &path, &auth, body).await;
            let what = format!("{method} {path} as {who:?} -> {} {}", reply.status, reply.location());
            if reply.status.is_server_error() {
                failures.push(format!("server error: {what}"));
            }
            if api && reply.header("api-version") != web::api::VERSION {
                failures.push(format!("no API-Version header: {what}"));
            }
            if api && reply.status.as_u16() >= 400 {
                let problem: serde_json::Value = serde_json::from_str(&reply.body).unwrap_or_default();
                let complete = problem["status"] == reply.status.as_u16() && problem["title"].is_string() && problem["detail"].is_string();
                if reply.header("content-type") != "application/problem+json" || !complete {
                    failures.push(format!("error not as problem+json ({}): {what}", reply.header("content-type")));
                }
            }
            if *need != Public {
                let expected = allowed(*need, who);
                if expected == refused(&reply) {
                    failures.push(format!(
                        "{} but expected {}: {what}",
                        if expected { "refused" } else { "allowed" },
                        if expected { "allowed" } else { "refused" }
                    ));
                }
            }
            let outsider =
                matches!(who, Principal::Anonymous | Principal::Admin | Principal::ForeignBeheerder | Principal::Outsider | Principal::NationalReader);
            // The national table sees which collaborations raise and recognise obstacles: that
            // is what its view is for. Everything else of A stays hidden from it too.
            let national_view = who == Principal::NationalReader && *need == National;
            if outsider && !national_view && reply.body.contains(SECRET) {
                failures.push(format!("leaks collaboration A's data: {what}"));
            }
        }
    }
    assert!(failures.is_empty(), "{} of {calls} calls wrong:\n{}", failures.len(), failures.join("\n"));
}
