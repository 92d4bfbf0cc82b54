//! The demo: a clearly fictional collaboration, "Samen Opgroeien Lindeveen", with partners,
//! people, roles and portfolios as a real one would have them. Lindeveen and everyone in it
//! are made up; the area codes are real CBS codes (Utrecht, 2024) used only as an example.

use anyhow::{Context, Result};
use domain::collaboration::{CollaborationInput, NewCollaboration};
use domain::partner::{NewPartner, PartnerInput};
use domain::person::{NewPerson, PersonInput};
use domain::portfolio::{NewPortfolio, PortfolioInput};
use store::{Actor, Db};

pub const ADMIN: &str = "beheer@lindeveen.example";
pub const REGISSEUR: &str = "regisseur@lindeveen.example";
pub const LID: &str = "lid@lindeveen.example";
pub const LEZER: &str = "lezer@lindeveen.example";

/// Creates the demo when the database has no accounts yet; prints how to sign in.
pub async fn create_if_empty(db: &Db) -> Result<()> {
    if !db.users().await?.is_empty() {
        println!("De database bevat al gegevens; er is geen demo aangemaakt.");
        return Ok(());
    }
    let password = std::env::var("REISGENOOT_DEMO_PASSWORD").unwrap_or_else(|_| format!("Lindeveen-{}", &web::session::new_secret()[..12]));
    let actor = Actor::system("demo");
    let account = |email: &'static str, name: &'static str, admin: bool| {
        let (db, actor, password) = (db.clone(), actor.clone(), password.clone());
        async move { web::accounts::create_account(&db, &actor, email, name, &password, admin).await.map_err(|e| anyhow::anyhow!("demo account {email}: {e}")) }
    };
    account(ADMIN, "Beheer Lindeveen", true).await?;
    let regisseur = account(REGISSEUR, "Sanne de Regisseur", false).await?;
    let lid = account(LID, "Ahmed van de Kinderopvang", false).await?;
    let lezer = account(LEZER, "Wethouder Jansen", false).await?;

    let input = CollaborationInput {
        name: "Samen Opgroeien Lindeveen".into(),
        description: "Gemeente, kinderopvang, scholen, jeugdgezondheidszorg en welzijn in de (fictieve) gemeente Lindeveen werken samen aan een sterke pedagogische basis voor alle kinderen en jongeren.".into(),
        scale: "gemeente".into(),
        area_codes: ["GM0344", "WK034401", "WK034402", "WK034403"].map(String::from).to_vec(),
        area_year: Some(2024),
        age_focus: "beide".into(),
        status: "actief".into(),
    };
    let new = NewCollaboration::parse(&input, 2024).map_err(|e| anyhow::anyhow!("{e}"))?;
    let c = db.create_collaboration(&actor, &new, regisseur.id()).await?;
    db.set_member(&actor, c.id, lid.id(), domain::access::Role::Lid).await?;
    db.set_member(&actor, c.id, lezer.id(), domain::access::Role::Lezer).await?;

    let partners = [
        ("Gemeente Lindeveen", "gemeente", "binnenring", "Beleid jeugd, onderwijs en welzijn; roept het LEA bijeen."),
        ("Kinderopvang De Vlinder", "kinderopvang", "binnenring", "Dagopvang, peuteropvang met voorschoolse educatie en bso op vier locaties."),
        ("Stichting Primair Onderwijs Lindeveen", "primair_onderwijs", "binnenring", "Zeven basisscholen, waarvan twee in een kindcentrum."),
        ("Lindeveen College", "voortgezet_onderwijs", "binnenring", "Scholengemeenschap vmbo, havo en vwo."),
        ("Samenwerkingsverband Passend Onderwijs Veenstreek", "samenwerkingsverband", "binnenring", "Voor po en vo in de regio."),
        ("GGD Veenstreek (jeugdgezondheidszorg)", "jeugdgezondheidszorg", "binnenring", "Consultatiebureau en jeugdverpleegkundigen op school."),
        ("Welzijn Lindeveen", "welzijn_jongerenwerk", "buitenring", "Jongerenwerk, opbouwwerk en schoolmaatschappelijk werk."),
        ("Bibliotheek Lindeveen", "bibliotheek", "buitenring", "Leesbevordering en de BoekStart-aanpak."),
    ];
    let mut ids = Vec::new();
    for (name, sector, ring, description) in partners {
        let p = NewPartner::parse(&PartnerInput { name: name.into(), sector: sector.into(), ring: ring.into(), description: description.into() })
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        ids.push(db.create_partner(&actor, c.id, &p).await?.id.0);
    }
    let people = [
        ("Sanne de Regisseur", "regisseur@lindeveen.example", "Beleidsadviseur jeugd", 0, vec!["regisseur", "beleidsmedewerker"], false),
        ("Wethouder Jansen", "", "Wethouder jeugd en onderwijs", 0, vec!["bestuurder"], false),
        ("Ahmed van de Kinderopvang", "lid@lindeveen.example", "Pedagogisch beleidsmedewerker", 1, vec!["ambassadeur"], false),
        ("Marieke Bos", "", "Directeur-bestuurder", 2, vec!["bestuurder"], false),
        ("Joost Willems", "", "Intern begeleider", 2, vec!["ambassadeur", "trekker"], false),
        ("Fatima El Amrani", "", "Zorgcoördinator", 3, vec!["ambassadeur"], false),
        ("Peter Smit", "", "Beleidsmedewerker", 4, vec!["beleidsmedewerker"], true),
        ("Lotte Visser", "", "Jeugdverpleegkundige", 5, vec!["professional", "ambassadeur"], false),
        ("Kevin Mulder", "", "Jongerenwerker", 6, vec!["professional"], false),
        ("Ingrid de Vries", "", "Lid ouderraad", usize::MAX, vec!["oudervertegenwoordiger"], false),
    ];
    let mut person_ids = Vec::new();
    for (name, email, function, partner, roles, left) in people {
        let input = PersonInput {
            name: name.into(),
            email: email.into(),
            function: function.into(),
            partner_id: ids.get(partner).copied(),
            roles: roles.into_iter().map(String::from).collect(),
            left,
        };
        let p = NewPerson::parse(&input).map_err(|e| anyhow::anyhow!("{e}"))?;
        person_ids.push(db.create_person(&actor, c.id, &p).await?.id.0);
    }
    let portfolios = [
        (
            "Regie op de samenwerking",
            "Bereidt het bestuurlijk overleg voor en bewaakt de afspraken.",
            "Houdt overzicht, verbindt de partners, signaleert wat blijft liggen.",
            Some(person_ids[0]),
        ),
        (
            "Doorgaande lijn voor- en vroegschool",
            "Mag namens de kinderopvang afspraken maken over de overdracht naar groep 1.",
            "Zorgt dat de overdracht elk jaar wordt geëvalueerd.",
            Some(person_ids[2]),
        ),
        (
            "Passend aanbod en thuiszitters",
            "Brengt knelpunten in bij het samenwerkingsverband en de gemeente.",
            "Een kwartaaloverzicht van wat schuurt tussen onderwijs en jeugdhulp.",
            Some(person_ids[6]),
        ),
        ("Stem van ouders", "Adviseert gevraagd en ongevraagd.", "Haalt twee keer per jaar signalen op bij ouders.", Some(person_ids[9])),
    ];
    for (name, mandate, expectations, holder) in portfolios {
        let input = PortfolioInput { name: name.into(), mandate: mandate.into(), expectations: expectations.into(), holder_id: holder };
        let p = NewPortfolio::parse(&input).map_err(|e| anyhow::anyhow!("{e}"))?;
        db.create_portfolio(&actor, c.id, &p).await.context("demo portfolio")?;
    }
    journey_progress(db, &actor, c.id).await?;
    structure(db, &actor, c.id, &ids, &person_ids, regisseur.id).await?;
    programme(db, &actor, c.id, &ids, &person_ids).await?;
    finance(db, &actor, c.id, &ids, &person_ids).await?;
    monitoring(db, &actor, c.id, &ids).await?;
    case_reviews(db, &actor, c.id, &ids).await?;
    scan(db, &actor, c.id).await?;
    println!("Demo aangemaakt: \"Samen Opgroeien Lindeveen\" (fictief).");
    println!("Inloggen met wachtwoord {password} als:");
    println!("  {REGISSEUR}  (regisseur, rol beheerder)");
    println!("  {LID}  (partner, rol lid)");
    println!("  {LEZER}  (bestuurder, rol lezer)");
    println!("  {ADMIN}  (beheerder van de installatie; stelt bij de eerste keer een tweede factor in)");
    Ok(())
}

/// A collaboration a few months on its way: the first steps of the first two themes done or
/// under way, one reflection answered, one obstacle raised.
async fn journey_progress(db: &Db, actor: &Actor, c: domain::ids::CollaborationId) -> Result<()> {
    use domain::journey::{ReflectionInput, StepInput, journey, parse_reflection, parse_step};
    let plan = journey();
    // (theme index, step index, status)
    for (theme, step, status) in [(0, 0, "gedaan"), (0, 1, "gedaan"), (1, 0, "gedaan"), (1, 1, "bezig")] {
        let Some(step) = plan.themes.get(theme).and_then(|t| t.steps.get(step)) else { continue };
        let progress = parse_step(&step.key, &StepInput { status: status.into(), note: String::new() }, "2026-10-01").map_err(|e| anyhow::anyhow!("{e}"))?;
        db.set_step(actor, c, &progress).await?;
    }
    if let Some(question) = plan.themes.first().and_then(|t| t.questions.first()) {
        let input = ReflectionInput {
            question_key: question.key.clone(),
            answer: "We willen dat elk kind in Lindeveen een plek heeft waar het gezien wordt, thuis, op de opvang, op school en in de wijk.".into(),
        };
        db.add_reflection(actor, c, &parse_reflection(&input).map_err(|e| anyhow::anyhow!("{e}"))?, "2026-10-01").await?;
    }
    let obstacle = domain::obstacle::ObstacleInput {
        category: "financiering".into(),
        title: "Jaarlijkse subsidie voor de schoolmaatschappelijk werker".into(),
        description: "De inzet op de basisscholen hangt elk jaar af van een nieuwe subsidieaanvraag.".into(),
        effect: "Scholen en ouders weten niet of de vaste contactpersoon na de zomer blijft.".into(),
        tried: "Een meerjarige afspraak voorgesteld in het bestuurlijk overleg.".into(),
    };
    let obstacle = domain::obstacle::NewObstacle::parse(&obstacle).map_err(|e| anyhow::anyhow!("{e}"))?;
    db.create_obstacle(actor, c, &obstacle).await?;
    Ok(())
}

/// An LEA with a werkgroep under it, the convenant the LEA owns (its review is overdue), one
/// held meeting with minutes and an action point, and the next two meetings planned.
async fn structure(db: &Db, actor: &Actor, c: domain::ids::CollaborationId, partners: &[i64], people: &[i64], regisseur: i64) -> Result<()> {
    use domain::agreement::{AgreementContent, AgreementInput, PartyInput};
    use domain::body::{BodyContent, BodyInput};
    use domain::meeting::{ActionPoint, ActionPointInput, Attendance, MeetingStatus, PlanInput, Presence, plan};
    let invalid = |e: domain::Invalid| anyhow::anyhow!("{e}");
    let lea = BodyInput {
        name: "LEA Lindeveen".into(),
        level: "bestuurlijk".into(),
        kind: "lea_bestuurlijk".into(),
        purpose: "Bestuurders van gemeente, opvang, onderwijs en jeugdgezondheidszorg maken samen afspraken over kansen en de doorgaande lijn.".into(),
        partners: partners.iter().take(6).map(|p| p.to_string()).collect(),
        per_year: "4".into(),
        minutes: "120".into(),
        mode: "fysiek".into(),
        evaluate_every_months: "12".into(),
        last_evaluated: "2026-02-10".into(),
        regie: "Gemeente Lindeveen".into(),
        ..Default::default()
    };
    let lea = db.create_body(actor, c, &BodyContent::parse(&lea).map_err(invalid)?).await?;
    let werkgroep = BodyInput {
        name: "Werkgroep doorgaande lijn".into(),
        level: "uitvoerend".into(),
        kind: "werkgroep".into(),
        purpose: "Maakt de overdracht van peuteropvang naar groep 1 elk jaar beter.".into(),
        partners: vec![partners[1].to_string(), partners[2].to_string()],
        per_year: "6".into(),
        reports_to: lea.id.to_string(),
        signals: "Pedagogisch medewerkers en leerkrachten brengen knelpunten in via de intern begeleider.".into(),
        ..Default::default()
    };
    db.create_body(actor, c, &BodyContent::parse(&werkgroep).map_err(invalid)?).await?;
    let convenant = AgreementInput {
        title: "Convenant pedagogische basis Lindeveen".into(),
        text: "Artikel 1. De partners werken samen aan een stevige pedagogische basis voor kinderen van 0 tot 18 jaar.\nArtikel 2. Het LEA bewaakt de afspraken en bespreekt ze elk jaar.".into(),
        kind: "samenwerkingsovereenkomst".into(),
        status: "vastgesteld".into(),
        mandate: "De bestuurders in het LEA".into(),
        start: "2025-01-01".into(),
        review: "2026-10-01".into(),
        body: lea.id.to_string(),
        parties: partners.iter().take(3).map(|p| PartyInput { partner_id: *p, ..Default::default() }).collect(),
        ..Default::default()
    };
    let convenant = db.create_agreement(actor, c, &AgreementContent::parse(&convenant).map_err(invalid)?).await?;
    let lea_plan = PlanInput {
        body: lea.id.to_string(),
        template: "lea_bestuurlijk".into(),
        time: "19:30".into(),
        minutes: "120".into(),
        place: "Stadhuis Lindeveen".into(),
        ..Default::default()
    };
    let held = PlanInput { date: "2026-09-15".into(), ..lea_plan.clone() };
    let mut meeting = plan(&held, Some(4), false, &[], "Herziening").map_err(invalid)?.remove(0);
    meeting.status = MeetingStatus::Gehouden;
    meeting.notes = "Opkomst goed. Afgesproken: de werkgroep doorgaande lijn levert voor de volgende vergadering een voorstel voor de warme overdracht.".into();
    meeting.attendance = people.iter().take(4).map(|p| Attendance { person: *p, presence: Presence::Aanwezig, substitute: String::new() }).collect();
    let held = db.create_meetings(actor, c, &[meeting]).await?.remove(0);
    let point =
        ActionPointInput { title: "Voorstel warme overdracht rondsturen".into(), owner: regisseur.to_string(), due: "2026-11-15".into(), ..Default::default() };
    db.create_action_point(actor, c, held.id, &ActionPoint::parse(&point).map_err(invalid)?).await?;
    let next = PlanInput { date: "2026-12-08".into(), count: "2".into(), ..lea_plan };
    let reviews = [(convenant.id, convenant.content.title.clone(), convenant.content.review.clone())];
    db.create_meetings(actor, c, &plan(&next, Some(4), false, &reviews, "Herziening").map_err(invalid)?).await?;
    Ok(())
}

/// Joint monitoring: a data-sharing agreement, two indicators from the library owned by the
/// convenant, and figures per wijk imported as a partner would deliver them — earlier periods
/// approved, the latest submitted. Some wijken stay small enough to be shown as secret.
async fn monitoring(db: &Db, actor: &Actor, c: domain::ids::CollaborationId, partners: &[i64]) -> Result<()> {
    use domain::agreement::{AgreementContent, AgreementInput, AgreementKind, PartyInput};
    use domain::indicator::{IndicatorContent, MeasurementStatus, library};
    let invalid = |e: domain::Invalid| anyhow::anyhow!("{e}");
    let convenant = db.agreements(c).await?.into_iter().find(|a| a.content.kind == AgreementKind::Samenwerkingsovereenkomst).map(|a| a.id);
    let sharing = AgreementInput {
        title: "Gegevens delen voor de monitor".into(),
        text: "De partners leveren twee keer per jaar aantallen per wijk aan de gemeente, die ze samenvoegt tot de monitor. Gegevens over een kind worden nooit gedeeld.".into(),
        kind: "gegevensdeling".into(),
        status: "vastgesteld".into(),
        legal_basis: "Art. 6 lid 1 sub e AVG: een taak van algemeen belang".into(),
        purpose: "Samen zien of de afspraken over thuiszitten en voorschoolse educatie werken.".into(),
        data_categories: "Aantallen per wijk en periode, zonder persoonsgegevens.".into(),
        retention: "Tien jaar; daarna alleen de gemeentetotalen.".into(),
        start: "2025-03-01".into(),
        parties: [0, 1, 4]
            .iter()
            .map(|&i| PartyInput { partner_id: partners[i], data_role: "verwerkingsverantwoordelijke".into(), ..Default::default() })
            .collect(),
        ..Default::default()
    };
    let sharing = db.create_agreement(actor, c, &AgreementContent::parse(&sharing).map_err(invalid)?).await?.id;
    let goals = db.goals(c).await?;
    let goal = |title: &str| goals.iter().find(|g| g.content.title.starts_with(title)).map(|g| g.id.to_string()).unwrap_or_default();
    let adopt = |key: &str, partner: i64, baseline: &str, targets: &str, goal: String| {
        let entry = library().iter().find(|e| e.key == key).map(|e| e.input(false));
        entry.map(|input| domain::indicator::IndicatorInput {
            partner: partner.to_string(),
            baseline: baseline.into(),
            targets: targets.into(),
            agreement: convenant.map(|a| a.to_string()).unwrap_or_default(),
            sharing: sharing.to_string(),
            agreed_by: [0, 1, 2, 4].iter().map(|&i| partners[i].to_string()).collect(),
            agreed_on: "2025-03-01".into(),
            status: "actief".into(),
            goal,
            ..input
        })
    };
    let chosen = [
        adopt("thuiszitters", partners[4], "27", "2025-2026: 20\n2026-2027: 15", goal("Binnen zes weken een plan")),
        adopt("bereik_voorschoolse_educatie", partners[1], "70", "2025: 75\n2026: 80", goal("Meer peuters met een indicatie")),
    ];
    let mut ids = Vec::new();
    for input in chosen.into_iter().flatten() {
        ids.push(db.create_indicator(actor, c, &IndicatorContent::parse(&input).map_err(invalid)?).await?.id);
    }
    let file = "indicator;gebied;periode;teller;noemer\n\
                THZ;WK034401;2023-2024;11;\nTHZ;WK034402;2023-2024;10;\nTHZ;WK034403;2023-2024;6;\n\
                THZ;WK034401;2024-2025;9;\nTHZ;WK034402;2024-2025;9;\nTHZ;WK034403;2024-2025;5;\n\
                THZ;WK034401;2025-2026;8;\nTHZ;WK034402;2025-2026;7;\nTHZ;WK034403;2025-2026;4;\n\
                BVE;WK034401;2024;118;165\nBVE;WK034402;2024;97;139\nBVE;WK034403;2024;55;84\n\
                BVE;WK034401;2025;129;168\nBVE;WK034402;2025;104;137\nBVE;WK034403;2025;63;88\n";
    match web::import::measurements(db, actor, c, file.as_bytes(), false, true, &mut |_, _| {}).await.map_err(|e| anyhow::anyhow!("{e}"))? {
        web::import::Outcome::Stored(_) => {}
        web::import::Outcome::Refused(refusal) => anyhow::bail!("demo measurements: {:?}", web::import::explain(web::i18n::Lang::Nl, &refusal)),
    }
    let approved = [(ids[0], "2023-2024"), (ids[0], "2024-2025"), (ids[1], "2024")];
    let submitted = [(ids[0], "2025-2026"), (ids[1], "2025")];
    for (indicator, period) in approved.iter().chain(&submitted) {
        db.move_measurements(actor, c, *indicator, period, MeasurementStatus::Ingediend).await?;
    }
    for (indicator, period) in approved {
        db.move_measurements(actor, c, indicator, period, MeasurementStatus::Goedgekeurd).await?;
    }
    let story = domain::story::StoryInput {
        period: "2024-2025".into(),
        seen: "Het aantal thuiszitters daalt in alle drie de wijken, het minst in Noordoost.".into(),
        explains: "Sinds het MDO elke maand samenkomt, is er sneller een passend aanbod. In Noordoost wachten gezinnen nog lang op jeugdhulp.".into(),
        will_do: "De jeugdhulp sluit vaker aan bij het MDO en we zoeken een overbruggingsplek in de wijk.".into(),
    };
    let (period, content) = domain::story::StoryContent::parse(&story, domain::indicator::PeriodType::Schooljaar).map_err(invalid)?;
    db.save_story(actor, c, ids[0], &period, &content, 0).await?;
    let held = db.meetings(c).await?.into_iter().find(|m| m.content.status == domain::meeting::MeetingStatus::Gehouden);
    // The held meeting discussed the thuiszitters' card.
    if let Some(m) = &held {
        let mut content = m.content.clone();
        let at = content.items.len().saturating_sub(1);
        content.items.insert(
            at,
            domain::meeting::AgendaItem {
                title: "Thuiszitters: de cijfers en wat erachter zit".into(),
                outcome: domain::meeting::Outcome::Informatie,
                minutes: Some(20),
                note: "De leerplichtambtenaar licht de daling toe.".into(),
                agreement: None,
                indicator: Some(ids[0]),
                result: String::new(),
            },
        );
        db.update_meeting(actor, c, m.id, m.version, &content).await?;
    }
    let meeting = held.map(|m| m.id.to_string());
    let cycle = domain::cycle::CycleInput {
        period: "2025".into(),
        title: "Terugblik 2025".into(),
        findings: "Minder thuiszitters, maar het doel van twintig is nog niet gehaald. Het bereik van de voorschoolse educatie groeit; in Noordoost blijft het achter.".into(),
        meeting: meeting.unwrap_or_default(),
        successes: "Elk kind dat in het MDO werd besproken, had binnen acht weken een plek.".into(),
    };
    let cycle = db.create_cycle(actor, c, &domain::cycle::CycleContent::parse(&cycle, None).map_err(invalid)?).await?;
    let decision = domain::cycle::Decision {
        text: "De termijn voor een passend aanbod in het convenant gaat van acht naar zes weken.".into(),
        agreement: convenant,
        activity: None,
    };
    db.add_decision(actor, c, cycle.id, decision).await?;
    let scope = domain::scope::ScopeInput {
        name: "Werkgebied preventieteam West".into(),
        kind: "gebieden".into(),
        description: "Waar het preventieteam West huisbezoeken doet.".into(),
        members: "WK034401".into(),
    };
    db.create_scope(actor, c, &domain::scope::ScopeContent::parse(&scope).map_err(invalid)?).await?;
    Ok(())
}

/// An MDO that reviews the cases it handled, without anything that points at a child: enough
/// reviews in the first half of 2026 for figures, too few so far in the second half (shown as
/// secret), and six in the second half of 2025 that the learning cycle of 2025 looks back on.
async fn case_reviews(db: &Db, actor: &Actor, c: domain::ids::CollaborationId, partners: &[i64]) -> Result<()> {
    use domain::body::{BodyContent, BodyInput, BodyKind};
    use domain::case_review::{AgeBand, Barrier, CaseDomain, CaseReview, Offer};
    let invalid = |e: domain::Invalid| anyhow::anyhow!("{e}");
    let lea = db.bodies(c).await?.into_iter().find(|b| b.content.kind == BodyKind::LeaBestuurlijk).map(|b| b.id.to_string());
    let mdo = BodyInput {
        name: "MDO Lindeveen".into(),
        level: "uitvoerend".into(),
        kind: "mdo".into(),
        purpose: "Zoekt met ouders, school, opvang en zorg naar een passend aanbod als één partner het niet alleen kan, en kijkt elk halfjaar terug op wat lukte en wat niet.".into(),
        partners: [0, 1, 2, 4, 5].iter().map(|&i| partners[i].to_string()).collect(),
        per_year: "20".into(),
        minutes: "90".into(),
        mode: "hybride".into(),
        reports_to: lea.unwrap_or_default(),
        ..Default::default()
    };
    let mdo = db.create_body(actor, c, &BodyContent::parse(&mdo).map_err(invalid)?).await?.id;
    use AgeBand::*;
    use CaseDomain::*;
    use Offer::*;
    // (date, age band, domains, offer, days until it, what stood in the way, lesson)
    type Row = (&'static str, AgeBand, &'static [CaseDomain], Offer, Option<u32>, Option<Barrier>, &'static str);
    let reviews: [Row; 21] = [
        (
            "2025-07-15",
            Van4,
            &[Onderwijs, Jeugdhulp],
            Ja,
            Some(42),
            Some(Barrier::Wachtlijst),
            "Wachten op hulp ging beter met een vaste contactpersoon op school.",
        ),
        ("2025-08-26", Van12, &[Onderwijs, Gemeente], Ja, Some(28), None, "De leerplichtambtenaar vanaf het eerste gesprek erbij: dat gaf vaart."),
        ("2025-09-16", Tot4, &[Kinderopvang, Jgz], Ja, Some(14), None, "Samen kijken op de groep maakte een verwijzing overbodig."),
        ("2025-10-07", Van4, &[Onderwijs, Zorg], Ja, Some(49), None, "Afspraken over wie betaalt vooraf maken, niet achteraf."),
        ("2025-11-04", Van12, &[Onderwijs, Jeugdhulp], Ja, Some(35), None, "Het plan van school en jeugdhulp in één document werkte goed."),
        ("2025-12-09", Van4, &[Onderwijs, Jgz], Ja, Some(21), None, "Ouders vanaf het begin aan tafel; het aanbod paste daardoor beter."),
        ("2026-01-13", Van4, &[Onderwijs, Jeugdhulp], Ja, Some(21), None, "Door de jeugdhulp meteen uit te nodigen, lag er binnen drie weken een plan."),
        (
            "2026-01-27",
            Van12,
            &[Onderwijs, Jeugdhulp],
            Deels,
            Some(63),
            Some(Barrier::Wachtlijst),
            "Overbrugging op school werkte, maar de specialistische hulp liet op zich wachten.",
        ),
        (
            "2026-02-10",
            Tot4,
            &[Kinderopvang, Jgz],
            Ja,
            Some(14),
            None,
            "De jeugdverpleegkundige en de pedagogisch medewerker keken samen; dat scheelde een verwijzing.",
        ),
        (
            "2026-02-24",
            Van12,
            &[Onderwijs, Gemeente],
            Nee,
            None,
            Some(Barrier::Regels),
            "Zonder indicatie geen plek in de maatwerkvoorziening. Dit melden we bij het samenwerkingsverband.",
        ),
        (
            "2026-03-10",
            Van4,
            &[Onderwijs, Zorg],
            Ja,
            Some(35),
            Some(Barrier::Wachtlijst),
            "De wachttijd voor dyslexiezorg overbrugd met extra begeleiding in de klas.",
        ),
        (
            "2026-03-24",
            Van18,
            &[WerkInkomen, Jeugdhulp, Wonen],
            Deels,
            Some(90),
            Some(Barrier::Financiering),
            "Met achttien stopte de jeugdhulp; de overgang naar hulp voor volwassenen eerder voorbereiden.",
        ),
        ("2026-04-07", Van4, &[Onderwijs, Jeugdhulp], Ja, Some(28), Some(Barrier::Wachtlijst), "Tijdelijke ondersteuning in de klas hield het kind op school."),
        ("2026-04-21", Van12, &[Onderwijs, Veiligheid], Ja, Some(7), None, "Snel schakelen tussen wijkagent en mentor hielp."),
        (
            "2026-05-12",
            Tot4,
            &[Kinderopvang, Gemeente],
            Ja,
            Some(21),
            Some(Barrier::Wachtlijst),
            "Een tijdelijke plek op de peuteropvang overbrugde de wachttijd.",
        ),
        (
            "2026-05-26",
            Van12,
            &[Onderwijs, Jeugdhulp],
            Nee,
            None,
            Some(Barrier::Wachtlijst),
            "Geen plek binnen de termijn; het MDO vraagt de regio om meer capaciteit.",
        ),
        ("2026-06-09", Van4, &[Onderwijs, Jgz], Ja, Some(10), None, "Vroeg signaleren door de jeugdarts voorkwam een lange route."),
        (
            "2026-06-23",
            Van4,
            &[Onderwijs, Jeugdhulp, Gemeente],
            Deels,
            Some(45),
            Some(Barrier::Samenwerking),
            "Twee trajecten liepen langs elkaar heen; voortaan één regisseur per gezin.",
        ),
        ("2026-09-08", Van12, &[Onderwijs, Jeugdhulp], Ja, Some(30), None, "Het schooljaar begon met een plan dat al voor de zomer klaarlag."),
        (
            "2026-10-06",
            Van4,
            &[Onderwijs, Zorg],
            Nee,
            None,
            Some(Barrier::GeenAanbod),
            "Voor deze combinatie van vragen is in de regio geen aanbod; doorgezet naar het regionaal overleg.",
        ),
        ("2026-11-03", Tot4, &[Kinderopvang, Jgz], Deels, Some(40), Some(Barrier::Informatie), "Toestemming van ouders om gegevens te delen eerder vragen."),
    ];
    for (date, age_band, domains, offer, days, barrier, lesson) in reviews {
        let review = CaseReview { body: Some(mdo), date: date.into(), age_band, domains: domains.to_vec(), offer, days, barrier, lesson: lesson.into() };
        db.create_case_review(actor, c, &review).await?;
    }
    Ok(())
}

/// The execution programme: two ambitions with three goals and five activities — one
/// finished, two under way (one of them past its end date), one planned and one stopped —
/// with a few progress notes. The first activity rests on the convenant.
async fn programme(db: &Db, actor: &Actor, c: domain::ids::CollaborationId, partners: &[i64], people: &[i64]) -> Result<()> {
    use domain::programme::{ActivityContent, ActivityInput, AmbitionContent, AmbitionInput, GoalContent, GoalInput};
    let invalid = |e: domain::Invalid| anyhow::anyhow!("{e}");
    let ambition =
        |title: &str, description: &str| AmbitionContent::parse(&AmbitionInput { title: title.into(), description: description.into() }).map_err(invalid);
    let goal = |title: &str, measure: &str, target_date: &str| {
        GoalContent::parse(&GoalInput { title: title.into(), measure: measure.into(), target_date: target_date.into() }).map_err(invalid)
    };
    let (p, who) = (|i: usize| partners[i].to_string(), |i: usize| people[i].to_string());
    let lines = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let convenant = db.agreements(c).await?.first().map(|a| a.id.to_string()).unwrap_or_default();

    let start = db
        .create_ambition(
            actor,
            c,
            &ambition(
                "Elk kind begint goed aan school",
                "Kinderen in Lindeveen stappen over van opvang naar groep 1 met een overdracht die klopt en ouders die weten wat er gedeeld is.",
            )?,
        )
        .await?;
    let handover = db
        .create_goal(actor, c, start.id, &goal("Een warme overdracht voor elke peuter met voorschoolse educatie", "Het aandeel peuters met een overdrachtsgesprek tussen opvang, ouders en school: van ongeveer de helft nu naar negen op de tien in schooljaar 2027-2028.", "2028-07-31")?)
        .await?;
    let reach = db
        .create_goal(
            actor,
            c,
            start.id,
            &goal(
                "Meer peuters met een indicatie doen mee aan het peuteraanbod",
                "Het bereik onder peuters met een indicatie voor voorschoolse educatie stijgt van 72 naar 85 procent.",
                "2027-12-31",
            )?,
        )
        .await?;
    let youth = db
        .create_ambition(
            actor,
            c,
            &ambition("Jongeren blijven in beeld", "Geen jongere in Lindeveen zit langer thuis dan nodig zonder onderwijs, werk of hulp die past.")?,
        )
        .await?;
    let plan = db
        .create_goal(
            actor,
            c,
            youth.id,
            &goal(
                "Binnen zes weken een plan voor elke thuiszitter",
                "De tijd van melding tot plan, bijgehouden door leerplicht en het samenwerkingsverband.",
                "2027-07-31",
            )?,
        )
        .await?;

    let activities = [
        (
            handover.id,
            ActivityInput {
                title: "Eén overdrachtsformulier voor opvang en scholen".into(),
                starts: "2026-01-15".into(),
                ends: "2026-06-30".into(),
                status: "afgerond".into(),
                steps_taken: lines(&[
                    "De formulieren van vier locaties naast elkaar gelegd",
                    "Proef op twee scholen met De Vlinder",
                    "Formulier vastgesteld in de werkgroep doorgaande lijn",
                ]),
                partners: vec![p(1), p(2)],
                results: "Pedagogisch medewerkers en intern begeleiders gebruiken hetzelfde formulier en weten wat ze van elkaar kunnen verwachten.".into(),
                trekker: who(4),
                owner: who(2),
                monitoring: "De werkgroep telt elk halfjaar hoeveel overdrachten met het formulier zijn gedaan.".into(),
                communication: "Een korte uitleg voor ouders bij de inschrijving op school.".into(),
                agreement: convenant,
                ..Default::default()
            },
            vec![
                ("2026-03-20", "Proef loopt; scholen vragen om een vast moment voor vragen over het formulier."),
                ("2026-06-24", "Formulier vastgesteld en op alle locaties in gebruik."),
            ],
        ),
        (
            handover.id,
            ActivityInput {
                title: "Overdrachtsgesprekken met ouders aan tafel".into(),
                starts: "2026-08-15".into(),
                ends: "2028-07-15".into(),
                status: "lopend".into(),
                steps_taken: lines(&["Gespreksleidraad gemaakt samen met de ouderraad"]),
                steps_planned: lines(&["Gesprekken in de weken voor de vierde verjaardag", "In het voorjaar ervaringen van ouders ophalen"]),
                partners: vec![p(1), p(2)],
                results: "Ouders weten wat er over hun kind wordt doorgegeven en vullen het zelf aan.".into(),
                trekker: who(2),
                owner: who(3),
                cooperation: "De opvang nodigt uit, de school schuift aan, ouders bepalen mee wat er gedeeld wordt.".into(),
                communication: "Ouders krijgen vooraf een uitnodiging in eenvoudige taal, zo nodig vertaald.".into(),
                ..Default::default()
            },
            vec![("2026-10-05", "Eerste twaalf gesprekken gevoerd; ouders waarderen dat de leerkracht erbij is.")],
        ),
        (
            reach.id,
            ActivityInput {
                title: "Huisbezoeken bij gezinnen die nog niet bereikt zijn".into(),
                starts: "2026-03-01".into(),
                ends: "2026-10-31".into(),
                status: "lopend".into(),
                steps_taken: lines(&["Lijst van niet-bereikte gezinnen opgesteld met het consultatiebureau"]),
                steps_planned: lines(&["Bezoeken afronden in wijk Oost", "Terugkoppeling aan het LEA"]),
                partners: vec![p(5), p(1)],
                results: "Gezinnen kennen het peuteraanbod en weten hoe ze zich aanmelden.".into(),
                trekker: who(7),
                owner: who(0),
                steering: "De voortgang staat elk kwartaal op de agenda van het LEA.".into(),
                finances: "Uit de middelen voor onderwijsachterstanden: tijdelijk extra uren jeugdverpleegkundige.".into(),
                ..Default::default()
            },
            vec![("2026-07-01", "Helft van de bezoeken gedaan; de zomer vertraagt het.")],
        ),
        (
            plan.id,
            ActivityInput {
                title: "Vast casusoverleg van leerplicht, samenwerkingsverband en jeugdhulp".into(),
                starts: "2027-01-15".into(),
                ends: "2027-12-15".into(),
                status: "gepland".into(),
                steps_planned: lines(&["Werkwijze en privacyafspraken op papier", "Eerste overleg in januari", "Na een halfjaar evalueren"]),
                partners: vec![p(4), p(0), p(3)],
                results: "Elke melding van langdurig verzuim wordt binnen twee weken besproken met wie nodig is.".into(),
                trekker: who(5),
                owner: who(0),
                accountability: "Jaarlijks een kort verslag aan de gemeenteraad en het bestuur van het samenwerkingsverband.".into(),
                ..Default::default()
            },
            Vec::new(),
        ),
        (
            plan.id,
            ActivityInput {
                title: "Jongerenwerk op het schoolplein".into(),
                starts: "2025-09-01".into(),
                ends: "2026-07-15".into(),
                status: "gestopt".into(),
                steps_taken: lines(&["Twee middagen per week een jongerenwerker bij het Lindeveen College"]),
                partners: vec![p(6), p(3)],
                trekker: who(8),
                ..Default::default()
            },
            vec![("2026-04-10", "Gestopt nu de jongerenwerker vertrekt; in 2027 opnieuw bekijken met de school.")],
        ),
    ];
    for (goal, input, notes) in activities {
        let activity = db.create_activity(actor, c, goal, &ActivityContent::parse(&input).map_err(invalid)?).await?;
        for (date, text) in notes {
            db.add_progress_note(actor, c, activity.id, date, text).await?;
        }
    }
    Ok(())
}

/// A closed round of the eight-elements scan with answers from four sectors: the municipality
/// and childcare see the shared vision differently, and the three answers from youth care stay
/// hidden together with the two from the secondary school.
async fn scan(db: &Db, actor: &Actor, c: domain::ids::CollaborationId) -> Result<()> {
    use domain::scan::{RoundInput, Value, check_response};
    let input = RoundInput {
        template: "werkzame_elementen".into(),
        title: "Nulmeting najaar 2026".into(),
        opens: "2026-10-01".into(),
        closes: "2026-10-31".into(),
        split_by: "sector".into(),
        ..Default::default()
    };
    let plan = input.parse(&domain::measure::Floors::default()).map_err(|e| anyhow::anyhow!("{e}"))?;
    let round = db.create_round(actor, c, &plan).await?;
    // (sector, level, how many, score on the vision, score on the rest)
    let groups = [
        ("gemeente", "beleid", 6, 4, 3),
        ("kinderopvang", "uitvoering", 7, 2, 3),
        ("primair_onderwijs", "uitvoering", 6, 3, 4),
        ("jeugdhulp", "uitvoering", 3, 3, 2),
        ("voortgezet_onderwijs", "bestuurlijk", 2, 4, 3),
    ];
    for (sector, level, count, vision, rest) in groups {
        let tokens: Vec<String> = (0..count).map(|_| web::session::new_secret()).collect();
        let group = store::scan::LinkGroup { label: sector, sector, reusable: false };
        db.create_links(actor, c, round.id, &group, &tokens).await?;
        for (i, token) in tokens.iter().enumerate() {
            let answers = plan
                .template
                .questions()
                .filter(|(_, q)| q.kind == domain::scan::QuestionKind::Scale)
                .map(|(s, q)| {
                    let base = if s.element == Some(1) { vision } else { rest };
                    // A little spread, so not everyone in a group answers alike.
                    (q.key.clone(), Value::Number((base + (i % 3) as u8).clamp(2, 5) - 1 + u8::from(i % 2 == 0)))
                })
                .collect();
            let response = check_response(&plan.template, sector, level, answers).map_err(|e| anyhow::anyhow!("{e}"))?;
            // Answers are taken while the round was open.
            let taken = db.submit_answer(token, &web::session::new_secret()[..32], &response, "2026-10-15").await?;
            taken.map_err(|refusal| anyhow::anyhow!("demo answer refused: {refusal:?}"))?;
        }
    }
    Ok(())
}

/// The finances: the municipality and the school board fill a pot for the support structure,
/// two thirds and one third, recorded in the convenant; the running handover talks draw on it,
/// and the board's money ends eight months from today while the work goes on.
async fn finance(db: &Db, actor: &Actor, c: domain::ids::CollaborationId, partners: &[i64], people: &[i64]) -> Result<()> {
    use domain::finance::{ContributionContent, ContributionInput, PlanContent, PotContent, PotInput, ShareInput, SpendingContent};
    let invalid = |e: domain::Invalid| anyhow::anyhow!("{e}");
    let today = web::today();
    let this_year: i32 = today[..4].parse().context("this year")?;
    let ends = domain::date::add_months(&today, 8).context("eight months on")?;
    let (gemeente, school) = (partners[0], partners[2]);
    let convenant = db.agreements(c).await?.iter().find(|a| a.content.title.starts_with("Convenant")).map(|a| a.id.to_string()).unwrap_or_default();
    let pot = PotContent::parse(&PotInput {
        name: "Steunstructuur 0-12".into(),
        purpose: "Jeugdhulp en ondersteuning in en om de kindcentra, voor groepen kinderen, niet per kind.".into(),
        starts: format!("{this_year}-01-01"),
        ends: format!("{}-12-31", this_year + 2),
        collective: true,
        overspend_allowed: false,
        split: vec![ShareInput { partner: gemeente.to_string(), percent: "66,67".into() }, ShareInput { partner: school.to_string(), percent: "33,33".into() }],
        agreement: convenant.clone(),
        ..Default::default()
    })
    .map_err(invalid)?;
    let pot = db.create_pot(actor, c, &pot).await?.id;
    let contribution = |partner: i64, year: String, source: &str, amount: &str, status: &str, ends: String| ContributionInput {
        partner: partner.to_string(),
        starts: format!("{year}-01-01").chars().take(10).collect(),
        year,
        source: source.into(),
        amount: amount.into(),
        status: status.into(),
        agreement: if status == "vastgelegd" { convenant.clone() } else { String::new() },
        ends,
        pot: pot.to_string(),
        ..Default::default()
    };
    let until = ends[..4].to_string();
    // This year's money runs to the end of the year, unless the eight months end within it.
    let first_ends = if until == this_year.to_string() { ends.clone() } else { format!("{this_year}-12-31") };
    let rows = [
        contribution(gemeente, this_year.to_string(), "jeugdwet", "80.000", "vastgelegd", first_ends.clone()),
        contribution(school, this_year.to_string(), "onderwijsbudget", "40.000", "vastgelegd", first_ends),
        contribution(gemeente, until.clone(), "jeugdwet", "80.000", "toegezegd", ends.clone()),
        contribution(school, until, "onderwijsbudget", "40.000", "toegezegd", ends),
        contribution(partners[4], this_year.to_string(), "eigen_budget", "", "indicatief", format!("{this_year}-12-31")),
    ];
    for (i, mut input) in rows.into_iter().enumerate() {
        if i == 4 {
            (input.hours, input.hourly_rate, input.pot) = ("120".into(), "65".into(), String::new());
        }
        let content = ContributionContent::parse(&input).map_err(invalid)?;
        db.create_contribution(actor, c, &content).await?;
    }
    let activities = db.activities(c).await?;
    let talks = activities.iter().find(|a| a.content.title.starts_with("Overdrachtsgesprekken")).context("the handover talks")?.id;
    for year in [this_year, this_year + 1] {
        db.create_plan(actor, c, pot, &PlanContent { activity: talks, year: year.to_string(), planned_cents: 9_000_000 }).await?;
    }
    let spend = SpendingContent { activity: talks, date: today.clone(), amount_cents: 2_450_000, description: "Gespreksleiders en zaalhuur".into() };
    db.add_spending(actor, c, pot, &spend).await?;
    breakthrough(db, actor, c, gemeente, people).await
}

/// A breakthrough budget of the municipality: the youth nurse and the care coordinator may
/// decide up to € 2.500 each, together above it; three decisions taken in recent months.
async fn breakthrough(db: &Db, actor: &Actor, c: domain::ids::CollaborationId, gemeente: i64, people: &[i64]) -> Result<()> {
    use domain::case_review::Barrier;
    use domain::finance::{ContributionContent, ContributionInput, DecisionContent, DecisionOutcome, PotContent, PotInput};
    let invalid = |e: domain::Invalid| anyhow::anyhow!("{e}");
    let today = web::today();
    let this_year: i32 = today[..4].parse().context("this year")?;
    let (nurse, coordinator) = (people[7], people[5]);
    let pot = PotContent::parse(&PotInput {
        name: "Doorbraakbudget jeugd".into(),
        purpose: "Snel geld voor een situatie die vastloopt tussen loketten, op het woord van een professional met mandaat.".into(),
        starts: format!("{}-01-01", this_year - 1),
        ends: format!("{}-12-31", this_year + 1),
        breakthrough: true,
        mandate_people: vec![nurse.to_string(), coordinator.to_string()],
        max_per_decision: "2.500".into(),
        ..Default::default()
    })
    .map_err(invalid)?;
    let pot = db.create_pot(actor, c, &pot).await?.id;
    let money = ContributionInput {
        partner: gemeente.to_string(),
        year: this_year.to_string(),
        source: "jeugdwet".into(),
        amount: "25.000".into(),
        status: "toegezegd".into(),
        pot: pot.to_string(),
        ..Default::default()
    };
    db.create_contribution(actor, c, &ContributionContent::parse(&money).map_err(invalid)?).await?;
    let ago = |days: i64| domain::date::add_days(&today, -days).context("a day in the past");
    let decisions = [
        (
            80,
            75,
            180_000,
            nurse,
            None,
            vec![Barrier::Wachtlijst],
            "Overbrugging met ambulante begeleiding tot er een plek vrijkomt bij de specialistische opvang.",
            DecisionOutcome::Doorbraak,
        ),
        (
            47,
            40,
            320_000,
            nurse,
            Some(coordinator),
            vec![Barrier::Vervoer, Barrier::Regels],
            "Vervoer naar een passende school buiten de gemeente, zolang de indicatie nog loopt.",
            DecisionOutcome::Deels,
        ),
        (
            12,
            10,
            95_000,
            coordinator,
            None,
            vec![Barrier::Samenwerking],
            "Extra uren van de intern begeleider en de jeugdhulp samen in de klas, om thuiszitten te voorkomen.",
            DecisionOutcome::Loopt,
        ),
    ];
    for (requested, decided, amount_cents, holder, second_holder, stall, situation, outcome) in decisions {
        let content = DecisionContent {
            requested: ago(requested)?,
            decided: ago(decided)?,
            amount_cents,
            holder,
            second_holder,
            within_mandate: second_holder.is_none(),
            stall,
            situation: situation.into(),
            outcome,
        };
        match db.add_breakthrough_decision(actor, c, pot, &content).await? {
            store::finance::Decided::Stored(_) => {}
            refused => anyhow::bail!("demo decision refused: {refused:?}"),
        }
    }
    Ok(())
}
