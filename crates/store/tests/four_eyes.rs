//! Four eyes: with the setting on, who submitted a period's figures cannot approve them; any
//! other member can. Off (the default), the same member may. Run on SQLite and on PostgreSQL.

use reisgenoot_store as store;

use domain::area::AreaCode;
use domain::collaboration::{CollaborationInput, NewCollaboration};
use domain::indicator::{IndicatorContent, IndicatorInput, Measurement, MeasurementStatus};
use domain::measure::Parts;
use store::testing::fresh_db;
use store::user::NewUser;
use store::{Actor, Db, StoreError};

fn actor(label: &str) -> Actor {
    Actor { user_id: None, label: label.into(), origin: "127.0.0.1".into() }
}

async fn setup(db: &Db) -> (domain::ids::CollaborationId, i64) {
    let owner = db.create_user(&actor("r"), &NewUser { email: "r@a.example", name: "R", password_hash: "x", is_admin: false }).await.expect("user");
    let input = CollaborationInput {
        name: "Vier ogen".into(),
        scale: "gemeente".into(),
        age_focus: "beide".into(),
        area_codes: vec!["GM0888".into()],
        ..Default::default()
    };
    let c = db.create_collaboration(&actor("r"), &NewCollaboration::parse(&input, 2024).expect("valid"), owner.id()).await.expect("collaboration").id;
    let indicator = IndicatorInput {
        code: "V1".into(),
        name: "Vier".into(),
        kind: "aantal".into(),
        direction: "lager_beter".into(),
        perspective: "netwerk".into(),
        period_type: "jaar".into(),
        ..Default::default()
    };
    let indicator = db.create_indicator(&actor("r"), c, &IndicatorContent::parse(&indicator).expect("valid")).await.expect("indicator").id;
    (c, indicator)
}

async fn submit(db: &Db, c: domain::ids::CollaborationId, indicator: i64, period: &str, by: &str) {
    let value = Measurement { area: AreaCode::parse("GM0888").expect("code"), period: period.into(), parts: Parts { numerator: 12.0, denominator: None } };
    db.save_measurements(&actor(by), c, indicator, &[value]).await.expect("save");
    assert_eq!(db.move_measurements(&actor(by), c, indicator, period, MeasurementStatus::Ingediend).await.expect("submit"), 1);
}

#[tokio::test]
async fn with_four_eyes_the_submitter_cannot_approve_and_another_member_can() {
    let db = fresh_db().await;
    let (c, indicator) = setup(&db).await;
    assert!(!db.four_eyes(c).await.expect("setting"), "off by default");

    // Off: the one who submitted approves.
    submit(&db, c, indicator, "2024", "anna@a.example").await;
    assert_eq!(db.move_measurements(&actor("anna@a.example"), c, indicator, "2024", MeasurementStatus::Goedgekeurd).await.expect("approve"), 1);

    db.set_four_eyes(&actor("r@a.example"), c, true).await.expect("on");
    db.set_four_eyes(&actor("r@a.example"), c, true).await.expect("on again");
    assert!(db.four_eyes(c).await.expect("setting"));
    submit(&db, c, indicator, "2025", "anna@a.example").await;
    match db.move_measurements(&actor("anna@a.example"), c, indicator, "2025", MeasurementStatus::Goedgekeurd).await {
        Err(StoreError::Conflict("four_eyes")) => {}
        other => panic!("the submitter approves her own figures: {other:?}"),
    }
    let rows = db.measurements(c, indicator).await.expect("rows");
    assert!(rows.iter().any(|m| m.period == "2025" && m.status == MeasurementStatus::Ingediend), "nothing moved");
    assert_eq!(db.move_measurements(&actor("bram@a.example"), c, indicator, "2025", MeasurementStatus::Goedgekeurd).await.expect("another approves"), 1);

    let audit = db.audit_for_collaboration(c.0, 100).await.expect("audit");
    assert_eq!(audit.iter().filter(|e| e.action == "collaboration.four_eyes").count(), 1, "set once, audited once");
}
