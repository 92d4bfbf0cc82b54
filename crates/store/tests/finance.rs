//! The finance tables on SQLite and, with `REISGENOOT_TEST_DATABASE`, on PostgreSQL: versions
//! kept, stale saves refused, nothing reachable through another collaboration, every write
//! audited.

use reisgenoot_store as store;

use domain::collaboration::{CollaborationInput, NewCollaboration};
use domain::finance::{Commitment, ContributionContent, ContributionInput};
use domain::ids::CollaborationId;
use domain::partner::{NewPartner, PartnerInput};
use store::testing::fresh_db;
use store::user::NewUser;
use store::{Actor, Db, StoreError};

fn actor() -> Actor {
    Actor { user_id: None, label: "test".into(), origin: "127.0.0.1".into() }
}

fn collaboration(name: &str) -> NewCollaboration {
    let input =
        CollaborationInput { name: name.into(), scale: "gemeente".into(), age_focus: "beide".into(), area_codes: vec!["GM0344".into()], ..Default::default() };
    NewCollaboration::parse(&input, 2024).expect("valid")
}

async fn setup() -> (Db, CollaborationId, CollaborationId, i64, i64) {
    let db = fresh_db().await;
    let owner = db.create_user(&actor(), &NewUser { email: "regisseur@a.example", name: "R", password_hash: "x", is_admin: false }).await.expect("user");
    let a = db.create_collaboration(&actor(), &collaboration("A"), owner.id()).await.expect("A").id;
    let b = db.create_collaboration(&actor(), &collaboration("B"), owner.id()).await.expect("B").id;
    let partner = |name: &str| {
        NewPartner::parse(&PartnerInput { name: name.into(), sector: "gemeente".into(), ring: "binnenring".into(), description: String::new() }).expect("valid")
    };
    let ours = db.create_partner(&actor(), a, &partner("Gemeente")).await.expect("partner").id.0;
    let theirs = db.create_partner(&actor(), b, &partner("Elders")).await.expect("partner").id.0;
    (db, a, b, ours, theirs)
}

fn contribution(partner: i64, amount: &str) -> ContributionContent {
    ContributionContent::parse(&ContributionInput {
        partner: partner.to_string(),
        year: "2026".into(),
        source: "jeugdwet".into(),
        amount: amount.into(),
        ..Default::default()
    })
    .expect("valid")
}

#[tokio::test]
async fn a_contribution_keeps_every_version_and_refuses_a_stale_save() {
    let (db, a, _, partner, _) = setup().await;
    let first = contribution(partner, "120.000,50");
    let created = db.create_contribution(&actor(), a, &first).await.expect("create");
    assert_eq!(db.contribution(a, created.id).await.expect("read").content.amount_cents, Some(12_000_050));
    let revised = ContributionContent { amount_cents: Some(9_000_000), status: Commitment::Toegezegd, ..first.clone() };
    let saved = db.update_contribution(&actor(), a, created.id, 1, &revised).await.expect("update");
    assert_eq!(saved.version, 2);
    assert!(matches!(db.update_contribution(&actor(), a, created.id, 1, &first).await, Err(StoreError::Conflict("version"))));
    let versions = db.contribution_versions(a, created.id).await.expect("versions");
    assert_eq!(versions.iter().map(|v| (v.version, v.content.amount_cents)).collect::<Vec<_>>(), [(1, Some(12_000_050)), (2, Some(9_000_000))]);
    assert_eq!(versions[1].content.status, Commitment::Toegezegd);
    let stored = db.contributions(a).await.expect("list");
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].content, revised);
    let audit: Vec<String> = db.audit_for_collaboration(a.0, 50).await.expect("audit").into_iter().map(|e| e.action).collect();
    assert!(audit.contains(&"contribution.create".to_string()) && audit.contains(&"contribution.update".to_string()), "{audit:?}");
}

#[tokio::test]
async fn another_collaboration_neither_sees_nor_changes_a_contribution_nor_lends_its_partner() {
    let (db, a, b, ours, theirs) = setup().await;
    let created = db.create_contribution(&actor(), a, &contribution(ours, "10")).await.expect("create");
    assert_eq!(db.contributions(b).await.expect("list"), []);
    assert!(matches!(db.contribution(b, created.id).await, Err(StoreError::NotFound)));
    assert!(matches!(db.contribution_versions(b, created.id).await, Err(StoreError::NotFound)));
    assert!(matches!(db.update_contribution(&actor(), b, created.id, 1, &contribution(theirs, "1")).await, Err(StoreError::NotFound)));
    assert!(matches!(db.create_contribution(&actor(), a, &contribution(theirs, "1")).await, Err(StoreError::Reference("partner"))));
    let foreign_agreement = ContributionContent { agreement: Some(999_999), ..contribution(ours, "1") };
    assert!(matches!(db.create_contribution(&actor(), a, &foreign_agreement).await, Err(StoreError::Reference("agreement"))));
    assert_eq!(db.contribution(a, created.id).await.expect("unchanged").content.amount_cents, Some(1000));
    assert_eq!(db.contributions(a).await.expect("list").len(), 1, "a refused contribution stores nothing");
}

async fn activity(db: &Db, c: CollaborationId) -> i64 {
    use domain::programme::{ActivityContent, ActivityInput, AmbitionContent, AmbitionInput, GoalContent, GoalInput};
    let ambition = db
        .create_ambition(&actor(), c, &AmbitionContent::parse(&AmbitionInput { title: "A".into(), ..Default::default() }).expect("valid"))
        .await
        .expect("ambition");
    let goal = db
        .create_goal(&actor(), c, ambition.id, &GoalContent::parse(&GoalInput { title: "G".into(), ..Default::default() }).expect("valid"))
        .await
        .expect("goal");
    let input = ActivityInput {
        title: "Jeugdhulp in de school".into(),
        starts: "2026-01-01".into(),
        ends: "2028-12-31".into(),
        status: "lopend".into(),
        ..Default::default()
    };
    db.create_activity(&actor(), c, goal.id, &ActivityContent::parse(&input).expect("valid")).await.expect("activity").id
}

fn pot(partner: i64, overspend_allowed: bool) -> domain::finance::PotContent {
    domain::finance::PotContent::parse(&domain::finance::PotInput {
        name: "Steunstructuur".into(),
        starts: "2026-01-01".into(),
        ends: "2027-12-31".into(),
        overspend_allowed,
        split: vec![domain::finance::ShareInput { partner: partner.to_string(), percent: "100".into() }],
        ..Default::default()
    })
    .expect("valid")
}

#[tokio::test]
async fn a_spend_beyond_the_secured_money_of_a_pot_is_refused_and_writes_nothing() {
    use domain::finance::SpendingContent;
    use store::finance::Spend;
    let (db, a, b, ours, theirs) = setup().await;
    let work = activity(&db, a).await;
    let strict = db.create_pot(&actor(), a, &pot(ours, false)).await.expect("pot");
    let secured = ContributionContent { pot: Some(strict.id), status: Commitment::Toegezegd, ..contribution(ours, "1.000") };
    db.create_contribution(&actor(), a, &secured).await.expect("secured");
    db.create_contribution(&actor(), a, &ContributionContent { pot: Some(strict.id), ..contribution(ours, "5.000") })
        .await
        .expect("an estimate does not count");
    let spend = |cents: i64| SpendingContent { activity: work, date: "2026-05-01".into(), amount_cents: cents, description: "Training".into() };
    assert!(matches!(db.add_spending(&actor(), a, strict.id, &spend(60_000)).await.expect("spend"), Spend::Stored(_)));
    assert_eq!(db.add_spending(&actor(), a, strict.id, &spend(40_001)).await.expect("refused"), Spend::Over(1));
    assert!(matches!(db.add_spending(&actor(), a, strict.id, &spend(40_000)).await.expect("spend"), Spend::Stored(_)), "exactly the pot");
    assert_eq!(db.spendings(a, Some(strict.id)).await.expect("list").len(), 2, "the refused spend wrote nothing");
    let loose = db.create_pot(&actor(), a, &pot(ours, true)).await.expect("pot");
    assert!(matches!(db.add_spending(&actor(), a, loose.id, &spend(1)).await.expect("allowed"), Spend::Stored(_)), "a pot may allow overspending");
    // Another collaboration reaches none of it, and lends no partner, activity or pot.
    assert!(matches!(db.add_spending(&actor(), b, strict.id, &spend(1)).await, Err(StoreError::NotFound)));
    assert!(matches!(db.pot(b, strict.id).await, Err(StoreError::NotFound)));
    assert_eq!(db.spendings(b, None).await.expect("list"), []);
    assert!(matches!(db.create_pot(&actor(), a, &pot(theirs, false)).await, Err(StoreError::Reference("split"))));
    let elsewhere = activity(&db, b).await;
    let foreign = SpendingContent { activity: elsewhere, ..spend(1) };
    assert!(matches!(db.add_spending(&actor(), a, loose.id, &foreign).await, Err(StoreError::Reference("activity"))));
    let plan = domain::finance::PlanContent { activity: elsewhere, year: "2026".into(), planned_cents: 1 };
    assert!(matches!(db.create_plan(&actor(), a, strict.id, &plan).await, Err(StoreError::Reference("activity"))));
    assert!(matches!(db.create_plan(&actor(), b, strict.id, &plan).await, Err(StoreError::NotFound)));
    let theirs_pot = db.create_pot(&actor(), b, &pot(theirs, false)).await.expect("their pot");
    let borrowed = ContributionContent { pot: Some(theirs_pot.id), ..contribution(ours, "1") };
    assert!(matches!(db.create_contribution(&actor(), a, &borrowed).await, Err(StoreError::Reference("pot"))));
    let stale = db.update_pot(&actor(), a, strict.id, 1, &pot(ours, true)).await.expect("update");
    assert_eq!(stale.version, 2);
    assert!(matches!(db.update_pot(&actor(), a, strict.id, 1, &pot(ours, false)).await, Err(StoreError::Conflict("version"))));
}

#[tokio::test]
async fn only_a_mandate_holder_decides_on_a_breakthrough_budget_and_never_beyond_it() {
    use domain::finance::{DecisionContent, DecisionOutcome};
    use domain::person::{NewPerson, PersonInput};
    use domain::portfolio::{NewPortfolio, PortfolioInput};
    use store::finance::Decided;
    let (db, a, b, ours, _) = setup().await;
    let person = |name: &str| NewPerson::parse(&PersonInput { name: name.into(), ..Default::default() }).expect("valid");
    let anna = db.create_person(&actor(), a, &person("Anna")).await.expect("person").id;
    let bram = db.create_person(&actor(), a, &person("Bram")).await.expect("person").id;
    let cees = db.create_person(&actor(), a, &person("Cees")).await.expect("person").id;
    let wijkteam = NewPortfolio::parse(&PortfolioInput { name: "Wijkteam".into(), holder_id: Some(bram.0), ..Default::default() }).expect("valid");
    let portfolio = db.create_portfolio(&actor(), a, &wijkteam).await.expect("portfolio");
    let input = domain::finance::PotInput {
        breakthrough: true,
        mandate_people: vec![anna.0.to_string()],
        mandate_portfolios: vec![portfolio.id.0.to_string()],
        max_per_decision: "2.500".into(),
        ..pot(ours, false).input()
    };
    let budget = db.create_pot(&actor(), a, &domain::finance::PotContent::parse(&input).expect("valid")).await.expect("pot");
    let secured = ContributionContent { pot: Some(budget.id), status: Commitment::Toegezegd, ..contribution(ours, "5.000") };
    db.create_contribution(&actor(), a, &secured).await.expect("secured");
    assert_eq!(db.mandate_holders(a, budget.id).await.expect("holders"), [anna.0, bram.0], "named, and the portfolio's holder");
    let decide = |holder: i64, second: Option<i64>, cents: i64| DecisionContent {
        requested: "2026-03-02".into(),
        decided: "2026-03-05".into(),
        amount_cents: cents,
        holder,
        second_holder: second,
        within_mandate: true,
        stall: vec![domain::case_review::Barrier::Wachtlijst],
        situation: "Overbrugging tot de plek vrijkomt.".into(),
        outcome: DecisionOutcome::Doorbraak,
    };
    let first = db.add_breakthrough_decision(&actor(), a, budget.id, &decide(anna.0, None, 200_000)).await.expect("decide");
    assert!(matches!(first, Decided::Stored(ref d) if d.content.within_mandate));
    let Decided::Refused(outsider) = db.add_breakthrough_decision(&actor(), a, budget.id, &decide(cees.0, None, 100)).await.expect("refused") else {
        panic!("someone without mandate decided")
    };
    assert_eq!(outsider.for_field("holder"), Some("err.not_mandated"));
    let Decided::Refused(alone) = db.add_breakthrough_decision(&actor(), a, budget.id, &decide(anna.0, None, 250_001)).await.expect("refused") else {
        panic!("above the maximum alone")
    };
    assert_eq!(alone.for_field("second_holder"), Some("err.second_holder_needed"));
    // Beyond what the pot has left: 5.000 secured, 2.000 used.
    assert_eq!(db.add_breakthrough_decision(&actor(), a, budget.id, &decide(anna.0, Some(bram.0), 300_001)).await.expect("over"), Decided::Over(1));
    let second = db.add_breakthrough_decision(&actor(), a, budget.id, &decide(anna.0, Some(bram.0), 300_000)).await.expect("decide");
    assert!(matches!(second, Decided::Stored(ref d) if !d.content.within_mandate), "above the maximum, with the portfolio's holder");
    // Someone who left holds the mandate no more.
    let mut left = person("Bram");
    left.left = true;
    db.update_person(&actor(), a, bram, 1, &left).await.expect("left");
    let loose = db.update_pot(&actor(), a, budget.id, budget.version, &domain::finance::PotContent { overspend_allowed: true, ..budget.content.clone() }).await;
    loose.expect("allow overspending");
    assert!(matches!(db.add_breakthrough_decision(&actor(), a, budget.id, &decide(bram.0, None, 100)).await.expect("refused"), Decided::Refused(_)));
    let stored = db.breakthrough_decisions(a, Some(budget.id)).await.expect("list");
    assert_eq!(stored.iter().map(|d| (d.content.holder, d.content.amount_cents)).collect::<Vec<_>>(), [(anna.0, 200_000), (anna.0, 300_000)]);
    assert_eq!(stored[1].content.second_holder, Some(bram.0));
    // A plain pot takes no decisions; another collaboration reaches nothing.
    let plain = db.create_pot(&actor(), a, &pot(ours, false)).await.expect("pot");
    assert!(matches!(db.add_breakthrough_decision(&actor(), a, plain.id, &decide(anna.0, None, 1)).await.expect("refused"), Decided::Refused(_)));
    assert!(matches!(db.add_breakthrough_decision(&actor(), b, budget.id, &decide(anna.0, None, 1)).await, Err(StoreError::NotFound)));
    assert_eq!(db.breakthrough_decisions(b, None).await.expect("list"), []);
    let audit: Vec<String> = db.audit_for_collaboration(a.0, 50).await.expect("audit").into_iter().map(|e| e.action).collect();
    assert_eq!(audit.iter().filter(|x| *x == "decision.add").count(), 2, "{audit:?}");
}

#[tokio::test]
async fn the_horizon_is_set_per_collaboration_and_a_stale_change_is_refused() {
    let (db, a, b, _, _) = setup().await;
    assert_eq!(db.finance_horizon(a).await.expect("unset"), (None, 0));
    assert_eq!(db.set_finance_horizon(&actor(), a, 18, 0).await.expect("first"), 1);
    assert!(matches!(db.set_finance_horizon(&actor(), a, 24, 0).await, Err(StoreError::Conflict("version"))), "a second first setting");
    assert_eq!(db.set_finance_horizon(&actor(), a, 6, 1).await.expect("second"), 2);
    assert_eq!(db.finance_horizon(a).await.expect("set"), (Some(6), 2));
    assert_eq!(db.finance_horizon(b).await.expect("other"), (None, 0), "another collaboration keeps its own");
}
