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
    ("POST", "/beheer/gebruikers/{user_id}/uitnodigen", Admin),
    ("GET", "/uitnodiging/{token}", Public),
    ("POST", "/uitnodiging/{token}", Public),
    ("GET", "/beheer/samenwerkingen", Admin),
    ("GET", "/api/v1/tokens", SignedIn),
    ("POST", "/api/v1/tokens", SignedIn),
    ("DELETE", "/api/v1/tokens/{tokenId}", Owner),
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
    ("GET", "/samenwerkingen/{id}/vier-ogen", Manage),
    ("POST", "/samenwerkingen/{id}/vier-ogen", Manage),
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
    ("POST", "/samenwerkingen/{id}/scans/{round}/sluiten", Edit),
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
    ("GET", "/samenwerkingen/{id}/financien", Read),
    ("GET", "/samenwerkingen/{id}/financien/export.csv", Read),
    ("GET", "/samenwerkingen/{id}/financien/export.xlsx", Read),
    ("GET", "/samenwerkingen/{id}/financien/bijdragen/nieuw", Edit),
    ("POST", "/samenwerkingen/{id}/financien/bijdragen", Edit),
    ("GET", "/samenwerkingen/{id}/financien/bijdragen/{contribution}", Read),
    ("GET", "/samenwerkingen/{id}/financien/bijdragen/{contribution}/bewerken", Edit),
    ("POST", "/samenwerkingen/{id}/financien/bijdragen/{contribution}/bewerken", Edit),
    ("GET", "/samenwerkingen/{id}/financien/potten/nieuw", Edit),
    ("POST", "/samenwerkingen/{id}/financien/potten", Edit),
    ("GET", "/samenwerkingen/{id}/financien/potten/{pot}", Read),
    ("GET", "/samenwerkingen/{id}/financien/potten/{pot}/bewerken", Edit),
    ("POST", "/samenwerkingen/{id}/financien/potten/{pot}/bewerken", Edit),
    ("GET", "/samenwerkingen/{id}/financien/potten/{pot}/plannen/nieuw", Edit),
    ("POST", "/samenwerkingen/{id}/financien/potten/{pot}/plannen", Edit),
    ("GET", "/samenwerkingen/{id}/financien/potten/{pot}/uitgaven/nieuw", Edit),
    ("POST", "/samenwerkingen/{id}/financien/potten/{pot}/uitgaven", Edit),
    ("GET", "/samenwerkingen/{id}/financien/potten/{pot}/besluiten/nieuw", Edit),
    ("POST", "/samenwerkingen/{id}/financien/potten/{pot}/besluiten", Edit),
    ("POST", "/samenwerkingen/{id}/financien/horizon", Manage),
    ("GET", "/samenwerkingen/{id}/financien/import", Edit),
    ("POST", "/samenwerkingen/{id}/financien/import", Edit),
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
    ("GET", "/api/v1/samenwerkingen/{id}/vier-ogen", Read),
    ("PUT", "/api/v1/samenwerkingen/{id}/vier-ogen", Manage),
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
    ("GET", "/api/v1/samenwerkingen/{id}/financien", Read),
    ("POST", "/api/v1/samenwerkingen/{id}/financien/bijdragen", Edit),
    ("GET", "/api/v1/samenwerkingen/{id}/financien/bijdragen/{contribution}", Read),
    ("PUT", "/api/v1/samenwerkingen/{id}/financien/bijdragen/{contribution}", Edit),
    ("GET", "/api/v1/samenwerkingen/{id}/financien/potten", Read),
    ("POST", "/api/v1/samenwerkingen/{id}/financien/potten", Edit),
    ("GET", "/api/v1/samenwerkingen/{id}/financien/potten/{pot}", Read),
    ("PUT", "/api/v1/samenwerkingen/{id}/financien/potten/{pot}", Edit),
    ("POST", "/api/v1/samenwerkingen/{id}/financien/potten/{pot}/plannen", Edit),
    ("POST", "/api/v1/samenwerkingen/{id}/financien/potten/{pot}/uitgaven", Edit),
    ("GET", "/api/v1/samenwerkingen/{id}/financien/potten/{pot}/besluiten", Edit),
    ("POST", "/api/v1/samenwerkingen/{id}/financien/potten/{pot}/besluiten", Edit),
    ("GET", "/api/v1/samenwerkingen/{id}/financien/continuiteit", Read),
    ("GET", "/api/v1/samenwerkingen/{id}/financien/programma", Read),
    ("PUT", "/api/v1/samenwerkingen/{id}/financien/horizon", Manage),
    ("POST", "/api/v1/samenwerkingen/{id}/financien/import", Edit),
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
    /// A's beheerder, signed in with a password but still owing the second factor.
    PendingSecondFactor,
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
    Principal::PendingSecondFactor,
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
        Pending => who == Principal::PendingSecondFactor,
        SignedIn => !matches!(who, Anonymous | Principal::PendingSecondFactor),
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
        // Every call below makes a new indicator and working area in A, each of which makes
        // all of A's publications due: only the handlers' own refreshes run, none before each
        // request (B's are worked out once where a test needs them).
        app.hold_publications();
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

    /// A session of A's beheerder that still owes its second factor.
    async fn pending_session(&self) -> String {
        let user = self.user(Principal::Beheerder).expect("beheerder");
        let secret = web::session::new_secret();
        self.app.db.create_session(&web::session::digest(&secret), user.id, true).await.expect("pending session");
        secret
    }

    fn user(&self, who: Principal) -> Option<&store::user::User> {
        self.users.iter().find(|(p, _)| *p == who).map(|(_, u)| u)
    }

    /// Fresh objects in collaboration A for one call, so destructive calls never disturb the
    /// next one; returns the path with every parameter filled in.
    async fn path(&self, template: &str, n: usize) -> String {
        let owner = self.user(Principal::Beheerder).expect("beheerder").id;
        let objects = self.objects(self.a, owner, n).await;
        fill(template, self.a, &objects)
    }

    /// One of every kind of object in collaboration `c` (an obstacle raised by B: the
    /// register is shared), `owner` holding the API token.
    async fn objects(&self, c: CollaborationId, owner: i64, n: usize) -> Objects {
        let db = &self.app.db;
        let partner = NewPartner::parse(&PartnerInput {
            name: format!("Partner {SECRET} {n}"),
            sector: "kinderopvang".into(),
            ring: "binnenring".into(),
            description: String::new(),
        })
        .expect("valid");
        let partner = db.create_partner(&actor(), c, &partner).await.expect("partner");
        let person =
            NewPerson::parse(&PersonInput { name: format!("Persoon {SECRET} {n}"), partner_id: Some(partner.id.0), ..Default::default() }).expect("valid");
        let person = db.create_person(&actor(), c, &person).await.expect("person");
        let portfolio = NewPortfolio::parse(&PortfolioInput { name: format!("Portefeuille {SECRET} {n}"), holder_id: Some(person.id.0), ..Default::default() })
            .expect("valid");
        let portfolio = db.create_portfolio(&actor(), c, &portfolio).await.expect("portfolio");
        let extra = db
            .create_user(&actor(), &store::user::NewUser { email: &format!("extra{n}@c{}.example", c.0), name: "extra", password_hash: "x", is_admin: false })
            .await
            .expect("extra user");
        db.set_member(&actor(), c, extra.id(), Role::Lid).await.expect("extra member");

        let token = db.create_api_token(&actor(), owner, "matrix", &web::session::digest(&format!("rg_matrix_{n}"))).await.expect("token");
        let example = NewExample::parse(&ExampleInput {
            place: "Alfadorp".into(),
            title: format!("Voorbeeld {SECRET} {n}"),
            summary: "Wat we deden".into(),
            ..Default::default()
        })
        .expect("valid");
        let example = db.create_example(&actor(), c, &example).await.expect("example");
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
        let agreement = db.create_agreement(&actor(), c, &domain::agreement::AgreementContent::parse(&input).expect("valid")).await.expect("agreement");
        let body = domain::body::BodyInput { name: format!("Overleg {SECRET} {n}"), level: "bestuurlijk".into(), kind: "oogo".into(), ..Default::default() };
        let body = db.create_body(&actor(), c, &domain::body::BodyContent::parse(&body).expect("valid")).await.expect("body");
        let meeting = domain::meeting::MeetingInput {
            body: body.id.to_string(),
            date: "2026-05-01".into(),
            notes: format!("Notulen {SECRET} {n}"),
            ..Default::default()
        };
        let meeting = db.create_meetings(&actor(), c, &[domain::meeting::MeetingContent::parse(&meeting).expect("valid")]).await.expect("meeting")[0].id;
        let action = domain::meeting::ActionPoint::parse(&domain::meeting::ActionPointInput { title: format!("Actie {SECRET} {n}"), ..Default::default() })
            .expect("valid");
        let action = db.create_action_point(&actor(), c, meeting, &action).await.expect("action point").id;
        let plan = domain::scan::RoundInput {
            template: "werkzame_elementen".into(),
            title: format!("Ronde {SECRET} {n}"),
            opens: "2026-01-01".into(),
            closes: "2099-12-31".into(),
            ..Default::default()
        };
        let round = db.create_round(&actor(), c, &plan.parse(&domain::measure::Floors::default()).expect("valid")).await.expect("round").id;
        let invitation = format!("matrix-invitation-{n}-{}", c.0);
        let hash = web::session::digest(&invitation);
        db.create_invited_user(&actor(), &format!("invited{n}@c{}.example", c.0), "invited", false, &hash, store::now() + 3600).await.expect("invitation");
        let invite = format!("matrix-link-{n}");
        let group = store::scan::LinkGroup { label: "Matrix", sector: "", reusable: true };
        db.create_links(&actor(), c, round, &group, std::slice::from_ref(&invite)).await.expect("link");
        let indicator = domain::indicator::IndicatorInput {
            code: format!("I{n}"),
            name: format!("Indicator {SECRET} {n}"),
            kind: "aantal".into(),
            direction: "lager_beter".into(),
            perspective: "netwerk".into(),
            period_type: "jaar".into(),
            ..Default::default()
        };
        let indicator = db.create_indicator(&actor(), c, &domain::indicator::IndicatorContent::parse(&indicator).expect("valid")).await.expect("indicator").id;
        let ambition = domain::programme::AmbitionInput { title: format!("Ambitie {SECRET} {n}"), ..Default::default() };
        let ambition = db.create_ambition(&actor(), c, &domain::programme::AmbitionContent::parse(&ambition).expect("valid")).await.expect("ambition").id;
        let goal = domain::programme::GoalInput { title: format!("Doel {SECRET} {n}"), ..Default::default() };
        let goal = db.create_goal(&actor(), c, ambition, &domain::programme::GoalContent::parse(&goal).expect("valid")).await.expect("goal").id;
        let activity = domain::programme::ActivityInput {
            title: format!("Activiteit {SECRET} {n}"),
            starts: "2026-01-01".into(),
            ends: "2026-12-31".into(),
            partners: vec![partner.id.0.to_string()],
            trekker: person.id.0.to_string(),
            ..Default::default()
        };
        let activity = db.create_activity(&actor(), c, goal, &domain::programme::ActivityContent::parse(&activity).expect("valid")).await.expect("activity").id;
        let cycle = domain::cycle::CycleContent { period: "2026-H1".into(), title: format!("Cyclus {SECRET} {n}"), ..Default::default() };
        let cycle = db.create_cycle(&actor(), c, &cycle).await.expect("cycle").id;
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
        let review = db.create_case_review(&actor(), c, &review).await.expect("case review").id;
        let scope =
            domain::scope::ScopeInput { name: format!("Werkgebied {SECRET} {n}"), kind: "gebieden".into(), members: "GM0344".into(), ..Default::default() };
        let scope = db.create_scope(&actor(), c, &domain::scope::ScopeContent::parse(&scope).expect("valid")).await.expect("scope").id;
        let contribution = domain::finance::ContributionInput {
            partner: partner.id.0.to_string(),
            year: "2026".into(),
            source: "overig".into(),
            source_other: format!("Bron {SECRET} {n}"),
            amount: "1000".into(),
            ..Default::default()
        };
        let pot = domain::finance::PotInput {
            name: format!("Pot {SECRET} {n}"),
            starts: "2026-01-01".into(),
            ends: "2026-12-31".into(),
            split: vec![domain::finance::ShareInput { partner: partner.id.0.to_string(), percent: "100".into() }],
            ..Default::default()
        };
        let pot = db.create_pot(&actor(), c, &domain::finance::PotContent::parse(&pot).expect("valid")).await.expect("pot").id;
        let contribution = domain::finance::ContributionInput { pot: pot.to_string(), status: "toegezegd".into(), ..contribution };
        let contribution =
            db.create_contribution(&actor(), c, &domain::finance::ContributionContent::parse(&contribution).expect("valid")).await.expect("contribution").id;
        let plan = domain::finance::PlanContent { activity, year: "2026".into(), planned_cents: 50_000 };
        db.create_plan(&actor(), c, pot, &plan).await.expect("plan");
        let spend = domain::finance::SpendingContent { activity, date: "2026-03-01".into(), amount_cents: 100, description: format!("Uitgave {SECRET} {n}") };
        db.add_spending(&actor(), c, pot, &spend).await.expect("spending");
        Objects {
            pot,
            contribution,
            partner: partner.id.0,
            person: person.id.0,
            portfolio: portfolio.id.0,
            body: body.id,
            user: extra.id,
            token: token.id,
            example: example.key,
            obstacle,
            step: step.clone(),
            agreement: agreement.id,
            meeting,
            action,
            round,
            invite,
            invitation,
            indicator,
            cycle,
            review,
            scope,
            ambition,
            goal,
            activity,
        }
    }
}

/// The ids of one set of objects, to put in a path or a body.
struct Objects {
    pot: i64,
    contribution: i64,
    partner: i64,
    person: i64,
    portfolio: i64,
    body: i64,
    user: i64,
    token: i64,
    example: String,
    obstacle: i64,
    step: String,
    agreement: i64,
    meeting: i64,
    action: i64,
    round: i64,
    invite: String,
    /// The secret of an account invitation (`/uitnodiging/{token}`).
    invitation: String,
    indicator: i64,
    cycle: i64,
    review: i64,
    scope: i64,
    ambition: i64,
    goal: i64,
    activity: i64,
}

/// The object kinds of the shared `{kind}` routes (delete and its confirmation).
const KINDS: &[&str] = &["partners", "personen", "portefeuilles", "overleg", "vergaderingen", "werkgebieden"];

/// `template` once per kind when it has a `{kind}` segment, else as it is.
fn expand(template: &str) -> Vec<String> {
    if template.contains("{kind}") { KINDS.iter().map(|k| template.replace("{kind}", k)).collect() } else { vec![template.to_string()] }
}

/// `template` with collaboration `c` and the objects `o` filled in.
fn fill(template: &str, c: CollaborationId, o: &Objects) -> String {
    let item = if template.contains("/overleg/") {
        o.body
    } else if template.contains("/personen/") {
        o.person
    } else if template.contains("/portefeuilles/") {
        o.portfolio
    } else if template.contains("/vergaderingen/{item}") {
        o.meeting
    } else if template.contains("/werkgebieden/{item}") {
        o.scope
    } else {
        o.partner
    };
    template
        .replace("{id}", &c.0.to_string())
        .replace("{item}", &item.to_string())
        .replace("{user_id}", &o.user.to_string())
        .replace("{token_id}", &o.token.to_string())
        .replace("{tokenId}", &o.token.to_string())
        .replace("{theme}", "1")
        .replace("{step}", &o.step)
        .replace("{key}", &o.example)
        .replace("{obstacle}", &o.obstacle.to_string())
        .replace("{agreement}", &o.agreement.to_string())
        .replace("{meeting}", &o.meeting.to_string())
        .replace("{overleg}", &o.body.to_string())
        .replace("{action}", &o.action.to_string())
        .replace("{round}", &o.round.to_string())
        .replace("{token}", if template.starts_with("/uitnodiging/") { &o.invitation } else { &o.invite })
        .replace("{format}", "xlsx")
        .replace("{indicator}", &o.indicator.to_string())
        .replace("{period}", "2024")
        .replace("{cycle}", &o.cycle.to_string())
        .replace("{review}", &o.review.to_string())
        .replace("{scope}", &o.scope.to_string())
        .replace("{ambition}", &o.ambition.to_string())
        .replace("{goal}", &o.goal.to_string())
        .replace("{activity}", &o.activity.to_string())
        .replace("{contribution}", &o.contribution.to_string())
        .replace("{pot}", &o.pot.to_string())
}

/// How a refused call answers, by who asks (docs/security.md): no session sends a page to the
/// sign-in form and an API call to 401; a session still owing its second factor is sent to
/// that step; a member whose role does not allow it gets 403; anyone who is not a member of
/// the collaboration gets 404, as if it did not exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Refusal {
    SignIn,
    SecondFactor,
    Unauthorized,
    Forbidden,
    NotFound,
}

fn refusal(need: Need, who: Principal, api: bool) -> Refusal {
    use Principal::{Anonymous, Beheerder, Lezer, Lid, PendingSecondFactor};
    match who {
        // The second-factor step exists only for a session that owes it.
        _ if need == Pending => Refusal::SignIn,
        Anonymous | PendingSecondFactor if api => Refusal::Unauthorized,
        Anonymous => Refusal::SignIn,
        PendingSecondFactor => Refusal::SecondFactor,
        _ => match need {
            Read | Edit | Manage if !matches!(who, Beheerder | Lid | Lezer) => Refusal::NotFound,
            Owner => Refusal::NotFound,
            _ => Refusal::Forbidden,
        },
    }
}

/// How `reply` refused the call, if it did.
fn refused_as(reply: &common::Reply) -> Option<Refusal> {
    if reply.status.is_redirection() {
        return match reply.location() {
            "/inloggen" => Some(Refusal::SignIn),
            "/inloggen/code" | "/account/tweede-factor" => Some(Refusal::SecondFactor),
            _ => None,
        };
    }
    match reply.status.as_u16() {
        401 => Some(Refusal::Unauthorized),
        403 => Some(Refusal::Forbidden),
        404 => Some(Refusal::NotFound),
        _ => None,
    }
}

#[tokio::test]
async fn only_allowed_callers_get_through_and_outsiders_see_nothing_of_a() {
    let fx = Fixture::new().await;
    let mut failures = Vec::new();
    let mut calls = 0;
    for (method, template, need) in MATRIX.iter().flat_map(|(m, t, n)| expand(t).into_iter().map(move |t| (m, t, n))) {
        for &who in PRINCIPALS {
            calls += 1;
            let path = fx.path(&template, calls).await;
            let api = path.starts_with("/api/");
            let auth = match fx.user(who) {
                None if who == Principal::PendingSecondFactor => Auth::Cookie(fx.pending_session().await),
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
                let answer = refused_as(&reply);
                let expected = if allowed(*need, who) { None } else { Some(refusal(*need, who, api)) };
                // An empty code is a wrong code: the form answers 401 and asks again.
                let answer = if *need == Pending && method == Method::POST && answer == Some(Refusal::Unauthorized) { None } else { answer };
                if answer != expected {
                    failures.push(format!("expected {expected:?}, answered {answer:?}: {what}"));
                }
            }
            let outsider = matches!(
                who,
                Principal::Anonymous
                    | Principal::PendingSecondFactor
                    | Principal::Admin
                    | Principal::ForeignBeheerder
                    | Principal::Outsider
                    | Principal::NationalReader
            );
            // The national table sees which collaborations raise and recognise obstacles: that
            // is what its view is for. Everything else of A stays hidden from it too.
            let national_view = who == Principal::NationalReader && *need == National;
            // The administrator's list of collaborations names them (and nothing more).
            let admin_list = who == Principal::Admin && template == "/beheer/samenwerkingen";
            if outsider && !national_view && !admin_list && reply.body.contains(SECRET) {
                failures.push(format!("leaks collaboration A's data: {what}"));
            }
        }
    }
    assert!(failures.is_empty(), "{} of {calls} calls wrong:\n{}", failures.len(), failures.join("\n"));
}

/// B's figures beside its objects: approved measurements (so roll-ups and period counts
/// exist), submitted ones waiting for approval, a story and an assent.
async fn seed_figures(fx: &Fixture, theirs: &Objects) {
    use domain::indicator::{Measurement, MeasurementStatus};
    let db = &fx.app.db;
    let at = |area: &str, period: &str, n: f64| Measurement {
        area: domain::area::AreaCode::parse(area).expect("area"),
        period: period.into(),
        parts: domain::measure::Parts { numerator: n, denominator: None },
    };
    let values = [at("GM0344", "2024", 40.0), at("WK034401", "2024", 7.0), at("GM0344", "2025", 41.0), at("WK034402", "2025", 8.0)];
    db.save_measurements(&actor(), fx.b, theirs.indicator, &values).await.expect("b measurements");
    for period in ["2024", "2025"] {
        db.move_measurements(&actor(), fx.b, theirs.indicator, period, MeasurementStatus::Ingediend).await.expect("submit");
    }
    db.move_measurements(&actor(), fx.b, theirs.indicator, "2024", MeasurementStatus::Goedgekeurd).await.expect("approve");
    let story = domain::story::StoryContent { seen: "Gezien".into(), explains: "Verklaring".into(), will_do: "Doen".into() };
    db.save_story(&actor(), fx.b, theirs.indicator, "2024", &story, 0).await.expect("b story");
}

/// A body for any state-changing route that names the objects `o`: the fields many forms
/// and JSON documents ask for, so that a call that ought to be refused for its ids is not
/// refused for an empty form first.
fn body_for(o: &Objects, api: bool) -> (&'static str, String) {
    let fields = [
        ("period", "2024".to_string()),
        ("status", "goedgekeurd".to_string()),
        ("version", "1".to_string()),
        ("seen_version", "1".to_string()),
        ("name", "Naam".to_string()),
        ("title", "Titel".to_string()),
        ("text", "Tekst".to_string()),
        ("note", "Notitie".to_string()),
        ("date", "2026-06-01".to_string()),
        ("partner", o.partner.to_string()),
        ("partner_id", o.partner.to_string()),
        ("holder_id", o.person.to_string()),
        ("body", o.body.to_string()),
        ("meeting", o.meeting.to_string()),
        ("agreement", o.agreement.to_string()),
        ("activity", o.activity.to_string()),
        ("goal", o.goal.to_string()),
        ("indicator", o.indicator.to_string()),
        ("assent", "ja".to_string()),
        ("area", "GM0344".to_string()),
        ("numerator", "5".to_string()),
        ("seen", "Gezien".to_string()),
        ("explains", "Verklaring".to_string()),
        ("will_do", "Doen".to_string()),
        ("sector", "kinderopvang".to_string()),
        ("ring", "binnenring".to_string()),
        ("kind", "werkafspraak".to_string()),
        ("level", "bestuurlijk".to_string()),
    ];
    if api {
        let mut json = serde_json::Map::new();
        for (k, v) in &fields {
            let value = v.parse::<i64>().map(serde_json::Value::from).unwrap_or_else(|_| serde_json::Value::from(v.as_str()));
            json.insert((*k).to_string(), value);
        }
        json.insert("metingen".into(), serde_json::json!([{"area": "GM0344", "period": "2024", "numerator": "5", "denominator": ""}]));
        ("application/json", serde_json::Value::Object(json).to_string())
    } else {
        let form: Vec<String> = fields.iter().map(|(k, v)| format!("{k}={v}")).collect();
        ("application/x-www-form-urlencoded", form.join("&"))
    }
}

/// The case that found a member of A moving B's summaries: every state-changing route of a
/// collaboration, called by each role of A that may write, with A's or B's id in the path and
/// A's or B's objects in the path and body (all four mixes). Nothing of B may change: its
/// rows, its summaries (also when filed under A) and its audit log, byte for byte.
#[tokio::test]
async fn members_of_a_change_nothing_of_b_whatever_ids_they_mix() {
    let fx = Fixture::new().await;
    let foreign = fx.user(Principal::ForeignBeheerder).expect("b beheerder").id;
    let theirs = fx.objects(fx.b, foreign, 100_000).await;
    seed_figures(&fx, &theirs).await;
    // B's publications worked out, as the server's background task would before any request.
    fx.app.publish_due().await;
    let original = store::testing::dump_collaboration(&fx.app.db, fx.b.0).await;
    assert!(original.iter().any(|r| r.starts_with("publications: ") && r.contains("periods")), "B has a publication to protect");
    assert!(original.iter().any(|r| r.starts_with("rollups: ")), "B has roll-ups to protect");
    assert!(original.iter().any(|r| r.starts_with("period_counts: ")), "B has period counts to protect");
    let mut before;
    let mut failures = Vec::new();
    let mut calls = 0;
    for (method, template, _) in MATRIX.iter().filter(|(m, t, _)| *m != "GET" && t.contains("{id}")) {
        for who in [Principal::Beheerder, Principal::Lid] {
            calls += 1;
            let user = fx.user(who).expect("member of A");
            let owner = fx.user(Principal::Beheerder).expect("beheerder").id;
            let ours = fx.objects(fx.a, owner, calls).await;
            // Setting up A's objects raises a shared obstacle under B: not a request.
            before = store::testing::dump_collaboration(&fx.app.db, fx.b.0).await;
            for (c, objects, mix) in [(fx.a, &theirs, "A/B"), (fx.b, &theirs, "B/B"), (fx.b, &ours, "B/A"), (fx.a, &ours, "A/A")] {
                let path = fill(template, c, objects);
                let api = path.starts_with("/api/");
                let auth = if api { Auth::Token(fx.app.token(user).await) } else { Auth::Cookie(fx.app.session(user).await) };
                let method: Method = method.parse().expect("method");
                let body = if method == Method::DELETE { None } else { Some(body_for(objects, api)) };
                let extra = [("origin", format!("http://{}", common::HOST)), ("sec-fetch-site", "same-origin".into()), ("if-match", "\"1\"".into())];
                let extra: Vec<(&str, &str)> = extra.iter().map(|(n, v)| (*n, v.as_str())).collect();
                let reply = fx.app.send_with(method.clone(), &path, &auth, body, &extra).await;
                let what = format!("{mix} {method} {path} as {who:?} -> {}", reply.status);
                if reply.status.is_server_error() {
                    failures.push(format!("server error: {what}"));
                }
                let after = store::testing::dump_collaboration(&fx.app.db, fx.b.0).await;
                if after != before {
                    let gone: Vec<_> = before.iter().filter(|r| !after.contains(r)).take(4).collect();
                    let new: Vec<_> = after.iter().filter(|r| !before.contains(r)).take(4).collect();
                    failures.push(format!("changed B: {what}\n    gone: {gone:?}\n    new: {new:?}"));
                    before = after;
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} wrong of {calls} route × role pairs:\n{}", failures.len(), failures.join("\n"));
}

/// No form ends on a bare error page: every page route that takes a form, sent an empty one and
/// one with wrong values by a beheerder, answers bad input with a page that holds a form again
/// (the input kept, the fields marked), never with only "Foutcode 400".
#[tokio::test]
async fn bad_input_to_any_form_shows_the_form_again_not_a_bare_error() {
    let fx = Fixture::new().await;
    let beheerder = fx.user(Principal::Beheerder).expect("beheerder");
    // What a browser sends: the hidden fields of the form (its version) with the visible ones
    // left empty, or filled in wrongly.
    let bodies = [
        "version=1&seen_version=1".to_string(),
        "version=1&seen_version=1&name=&title=&text=&date=31-31-2026&starts=gisteren&ends=&status=onbekend&kind=onbekend&assent=voorbehoud&reason=&period=2024-H7&members=GM9999".to_string(),
    ];
    let mut failures = Vec::new();
    let mut calls = 0;
    for (method, template, _) in MATRIX.iter().filter(|(m, t, _)| *m == "POST" && !t.starts_with("/api/")) {
        for template in expand(template) {
            for body in &bodies {
                calls += 1;
                let path = fx.path(&template, calls).await;
                // A session of its own for every call: one of them signs out.
                let cookie = Auth::Cookie(fx.app.session(beheerder).await);
                let reply = fx.app.send(method.parse().expect("method"), &path, &cookie, Some(("application/x-www-form-urlencoded", body.clone()))).await;
                let bare = reply.body.contains("rg-muted\">Foutcode") || reply.body.contains("rg-muted\">Error code");
                // A role that may not send the form is told so on the error page; that is no form error.
                if reply.status.is_client_error() && reply.status != 403 && bare {
                    failures.push(format!("{} {path} with {:?}", reply.status, if body.len() < 30 { "empty fields" } else { "wrong values" }));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} of {calls} form posts end on a bare error page:\n{}", failures.len(), failures.join("\n"));
}
