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
        ..Default::default()
    };
    let plan = input.parse().map_err(|e| anyhow::anyhow!("{e}"))?;
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
