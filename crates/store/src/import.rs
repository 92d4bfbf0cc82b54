//! Importing measurements in bulk, and the periods a beheerder has locked against change.
//!
//! The bulk write is where the two databases differ most in speed, so it has an arm for each:
//! SQLite takes multi-row INSERTs with anonymous parameters, PostgreSQL takes the rows through
//! COPY into a temporary table and an INSERT … SELECT from there. On both, new rows are plainly
//! inserted (a row stored since the check makes that fail, and the import with it) and replaced
//! rows upserted, never over an approved value.

use crate::{Actor, Db, Result, StoreError, Tx, dispatch, now, on_tx, unique_as_conflict};
use domain::ids::CollaborationId;
use domain::import::{Existing, IndicatorRef, Plan, Planned, Stored, StoredBuilder};
use domain::indicator::MeasurementStatus;
use sqlx::{PgConnection, SqliteConnection};
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

/// Everything `domain::import::plan` compares a file against.
pub struct ImportContext {
    pub indicators: HashMap<String, IndicatorRef>,
    pub areas: HashSet<String>,
    pub locked: HashSet<String>,
    pub existing: Stored,
}

impl ImportContext {
    /// The checks' context; `raw` says whether the uploader may see stored values (a steward).
    pub fn context(&self, replace: bool, raw: bool) -> domain::import::Context<'_> {
        domain::import::Context { indicators: &self.indicators, areas: &self.areas, locked: &self.locked, existing: &self.existing, replace, raw }
    }
}

/// Stored measurements read per query for the context: a re-import of a million rows reads
/// them a page at a time instead of holding a million rows of strings at once.
const PAGE: i64 = 20_000;

/// Rows per INSERT on SQLite: five parameters each, within its limit of 32,766.
const SQLITE_CHUNK: usize = 4_000;

/// Rows per COPY and INSERT … SELECT on PostgreSQL: what progress is reported by.
const POSTGRES_CHUNK: usize = 100_000;

/// The tail that makes an INSERT of replaced rows an upsert, on both databases: an approved
/// value is never overwritten, the update skips it, and the count of rows written says so. New
/// rows go without it: checking for a conflict first costs PostgreSQL a fifth more time.
const UPSERT: &str = "ON CONFLICT (indicator_id, area, period) DO UPDATE SET numerator = excluded.numerator, denominator = excluded.denominator, \
                      status = excluded.status, changed_by = excluded.changed_by, changed_at = excluded.changed_at WHERE measurements.status <> 'goedgekeurd'";

/// What an import writes besides each row's own values.
struct Stamp<'a> {
    collaboration: i64,
    by: &'a str,
    at: i64,
}

impl Db {
    /// What a file naming the indicator `codes` (upper-cased) is checked against; of what is
    /// stored, only those indicators' measurements are read.
    pub async fn import_context(&self, collaboration: CollaborationId, codes: &HashSet<String>) -> Result<ImportContext> {
        let c = self.collaboration(collaboration).await?;
        let indicators: HashMap<String, IndicatorRef> = self
            .indicators(collaboration)
            .await?
            .into_iter()
            .map(|i| (i.content.code.to_uppercase(), IndicatorRef { id: i.id, kind: i.content.kind, period_type: i.content.period_type }))
            .collect();
        let areas = match self.area_year_for(c.area_year).await? {
            Some(year) => self.area_codes(year).await?,
            None => HashSet::new(),
        };
        let ids: Vec<i64> = codes.iter().filter_map(|code| indicators.get(code)).map(|i| i.id).collect();
        let existing = self.stored(collaboration, &ids, PAGE).await?;
        let locked = self.locked_periods(collaboration).await?.into_iter().collect();
        Ok(ImportContext { indicators, areas, locked, existing })
    }

    /// What is stored for the `indicators`, read `page` rows at a time by the unique index
    /// (indicator, area, period), each page starting where the last ended.
    async fn stored(&self, collaboration: CollaborationId, indicators: &[i64], page: i64) -> Result<Stored> {
        let sql = "SELECT area, period, numerator, denominator, status FROM measurements \
                   WHERE collaboration_id = $1 AND indicator_id = $2 AND (area, period) > ($3, $4) ORDER BY area, period LIMIT $5";
        let mut stored = StoredBuilder::default();
        for &id in indicators {
            let (mut area, mut period) = (String::new(), String::new());
            loop {
                let rows: Vec<(String, String, f64, Option<f64>, String)> =
                    dispatch!(self, |pool| sqlx::query_as(sql).bind(collaboration.0).bind(id).bind(&area).bind(&period).bind(page).fetch_all(pool).await)?;
                let last_page = (rows.len() as i64) < page;
                for (a, p, numerator, denominator, status) in rows {
                    let status = crate::code(&status, MeasurementStatus::from_code, "measurements")?;
                    stored.insert(id, &a, &p, Existing { parts: domain::measure::Parts { numerator, denominator }, status });
                    (area, period) = (a, p);
                }
                if last_page {
                    break;
                }
            }
        }
        Ok(stored.build())
    }

    /// Writes a checked plan in one transaction: new values and replaced ones become drafts.
    /// `progress` hears how many rows are written so far. A period locked or a value approved
    /// since the plan was made rolls everything back.
    pub async fn import_measurements(
        &self,
        actor: &Actor,
        collaboration: CollaborationId,
        plan: &Plan,
        progress: &mut (dyn FnMut(usize) + Send),
    ) -> Result<usize> {
        let mut tx = self.begin().await?;
        let locked: Vec<String> =
            on_tx!(&mut tx, |c| sqlx::query_scalar("SELECT period FROM period_locks WHERE collaboration_id = $1").bind(collaboration.0).fetch_all(c).await)?;
        let locked: HashSet<u32> = (0..plan.periods.len() as u32).filter(|&n| plan.periods.get(n as usize).is_some_and(|p| locked.contains(p))).collect();
        if !locked.is_empty() && plan.writes().any(|p| locked.contains(&p.period)) {
            return Err(StoreError::Conflict("locked"));
        }
        // Every indicator the plan writes must be the collaboration's, checked in this transaction.
        let mut owned = HashMap::new();
        for (indicator, _) in plan.indicator_periods() {
            if let std::collections::hash_map::Entry::Vacant(slot) = owned.entry(indicator) {
                slot.insert(tx.own_indicator(collaboration, indicator).await?);
            }
        }
        let stamp = Stamp { collaboration: collaboration.0, by: &actor.label, at: now() };
        let written = match &mut tx {
            Tx::Sqlite(t) => write_sqlite(t, plan, &stamp, progress).await?,
            Tx::Postgres(t) => write_postgres(t, plan, &stamp, progress).await?,
        };
        // An import writes drafts only, so the approved figures stay as they are; the counts change.
        for (indicator, period) in plan.indicator_periods() {
            let indicator = owned.get(&indicator).copied().ok_or(StoreError::NotFound)?;
            tx.refresh_counts(indicator, &[period]).await?;
        }
        let detail = format!("{} nieuw, {} vervangen, {} ongewijzigd", plan.new.len(), plan.replaced.len(), plan.unchanged);
        tx.audit(actor, Some(collaboration.0), "measurement.import", &detail, "ok").await?;
        tx.commit().await?;
        Ok(written)
    }

    pub async fn locked_periods(&self, collaboration: CollaborationId) -> Result<Vec<String>> {
        let sql = "SELECT period FROM period_locks WHERE collaboration_id = $1 ORDER BY period";
        Ok(dispatch!(self, |pool| sqlx::query_scalar(sql).bind(collaboration.0).fetch_all(pool).await)?)
    }

    /// Locks or unlocks a period for every indicator of the collaboration.
    pub async fn set_period_lock(&self, actor: &Actor, collaboration: CollaborationId, period: &str, locked: bool) -> Result<()> {
        let mut tx = self.begin().await?;
        if locked {
            let sql = "INSERT INTO period_locks (collaboration_id, period, locked_by, locked_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING";
            on_tx!(&mut tx, |c| sqlx::query(sql)
                .bind(collaboration.0)
                .bind(period)
                .bind(&actor.label)
                .bind(now())
                .execute(c)
                .await
                .map(|r| r.rows_affected()))?;
        } else {
            let sql = "DELETE FROM period_locks WHERE collaboration_id = $1 AND period = $2";
            on_tx!(&mut tx, |c| sqlx::query(sql).bind(collaboration.0).bind(period).execute(c).await.map(|r| r.rows_affected()))?;
        }
        tx.audit(actor, Some(collaboration.0), if locked { "period.lock" } else { "period.unlock" }, period, "ok").await?;
        tx.commit().await?;
        Ok(())
    }
}

/// SQLite: multi-row INSERTs whose rows are five anonymous `?` each, after the four values
/// every row shares. Numbered parameters (`$n`, `?n`) are looked up by name along a list as long
/// as the statement's parameters, which made a large INSERT cost time quadratic in its size;
/// and sqlx counts anonymous ones apart from numbered ones, so the two are not mixed.
async fn write_sqlite(c: &mut SqliteConnection, plan: &Plan, stamp: &Stamp<'_>, progress: &mut (dyn FnMut(usize) + Send)) -> Result<usize> {
    let mut written = 0;
    for (rows, tail) in [(&plan.new, ""), (&plan.replaced, UPSERT)] {
        for chunk in rows.chunks(SQLITE_CHUNK) {
            let mut sql = String::with_capacity(300 + chunk.len() * 18);
            sql.push_str(
                "INSERT INTO measurements (collaboration_id, indicator_id, area, period, numerator, denominator, status, changed_by, changed_at) \
                 SELECT ?, column1, column2, column3, column4, column5, ?, ?, ? FROM (VALUES ",
            );
            for i in 0..chunk.len() {
                sql.push_str(if i == 0 { "(?, ?, ?, ?, ?)" } else { ", (?, ?, ?, ?, ?)" });
            }
            // `WHERE true` keeps SQLite from reading ON CONFLICT as a join's ON.
            let _ = write!(sql, ") WHERE true {tail}");
            let mut query = sqlx::query(&sql).bind(stamp.collaboration).bind(MeasurementStatus::Concept.code()).bind(stamp.by).bind(stamp.at);
            for p in chunk {
                query = query.bind(p.indicator).bind(plan.area(p)).bind(plan.period(p)).bind(p.parts.numerator).bind(p.parts.denominator);
            }
            let affected = query.execute(&mut *c).await.map_err(|e| unique_as_conflict(e, "differs"))?.rows_affected();
            written += counted(affected, chunk)?;
            progress(written);
        }
    }
    Ok(written)
}

/// PostgreSQL: each chunk goes by COPY into a temporary table and from there into
/// measurements in one INSERT … SELECT, instead of a round trip with thousands of parameters.
async fn write_postgres(c: &mut PgConnection, plan: &Plan, stamp: &Stamp<'_>, progress: &mut (dyn FnMut(usize) + Send)) -> Result<usize> {
    sqlx::query(
        "CREATE TEMPORARY TABLE import_rows (indicator_id BIGINT NOT NULL, area TEXT NOT NULL, period TEXT NOT NULL, \
         numerator DOUBLE PRECISION NOT NULL, denominator DOUBLE PRECISION) ON COMMIT DROP",
    )
    .execute(&mut *c)
    .await?;
    let insert = "INSERT INTO measurements (collaboration_id, indicator_id, area, period, numerator, denominator, status, changed_by, changed_at) \
                  SELECT $1, indicator_id, area, period, numerator, denominator, $2, $3, $4 FROM import_rows";
    let mut written = 0;
    let mut text = String::new();
    for (rows, tail) in [(&plan.new, ""), (&plan.replaced, UPSERT)] {
        let sql = format!("{insert} {tail}");
        for chunk in rows.chunks(POSTGRES_CHUNK) {
            text.clear();
            for p in chunk {
                // COPY's text format: tab-separated, \N for null, backslash escapes.
                let _ = write!(text, "{}\t", p.indicator);
                copy_text(&mut text, plan.area(p));
                text.push('\t');
                copy_text(&mut text, plan.period(p));
                let _ = match p.parts.denominator {
                    Some(d) => writeln!(text, "\t{}\t{d}", p.parts.numerator),
                    None => writeln!(text, "\t{}\t\\N", p.parts.numerator),
                };
            }
            let mut copy = c.copy_in_raw("COPY import_rows FROM STDIN").await?;
            copy.send(text.as_bytes()).await?;
            copy.finish().await?;
            let affected = sqlx::query(&sql)
                .bind(stamp.collaboration)
                .bind(MeasurementStatus::Concept.code())
                .bind(stamp.by)
                .bind(stamp.at)
                .execute(&mut *c)
                .await
                .map_err(|e| unique_as_conflict(e, "differs"))?
                .rows_affected();
            sqlx::query("TRUNCATE import_rows").execute(&mut *c).await?;
            written += counted(affected, chunk)?;
            progress(written);
        }
    }
    Ok(written)
}

/// `text` as a field of COPY's text format.
fn copy_text(out: &mut String, text: &str) {
    for ch in text.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            _ => out.push(ch),
        }
    }
}

/// The rows a chunk wrote, or the conflict of an approved value the upsert left alone.
fn counted(affected: u64, chunk: &[Planned]) -> Result<usize> {
    if usize::try_from(affected).ok() == Some(chunk.len()) { Ok(chunk.len()) } else { Err(StoreError::Conflict("approved")) }
}

#[cfg(test)]
mod tests {
    //! The write against what changed since the check, on the backend `REISGENOOT_TEST_DATABASE` names.

    use super::*;
    use crate::testing::fresh_db;
    use crate::user::NewUser;
    use domain::collaboration::{CollaborationInput, NewCollaboration};
    use domain::import::plan;
    use domain::indicator::{IndicatorContent, IndicatorInput};
    use domain::measure::Parts;
    use domain::table::Sheet;

    fn actor() -> Actor {
        Actor { user_id: None, label: "test".into(), origin: "127.0.0.1".into() }
    }

    /// A collaboration in the 2024 areas with one count per year, THZ.
    async fn setup() -> (Db, CollaborationId, i64) {
        let db = fresh_db().await;
        let owner = db.create_user(&actor(), &NewUser { email: "b@test.example", name: "B", password_hash: "x", is_admin: false }).await.expect("user");
        let input = CollaborationInput {
            name: "C".into(),
            scale: "gemeente".into(),
            age_focus: "beide".into(),
            area_codes: vec!["GM0344".into()],
            ..Default::default()
        };
        let c = db.create_collaboration(&actor(), &NewCollaboration::parse(&input, 2024).expect("valid"), owner.id()).await.expect("collaboration").id;
        let content = IndicatorContent::parse(&IndicatorInput {
            code: "THZ".into(),
            name: "Thuiszitters".into(),
            kind: "aantal".into(),
            direction: "lager_beter".into(),
            perspective: "eindgebruiker".into(),
            period_type: "jaar".into(),
            ..Default::default()
        })
        .expect("valid");
        let indicator = db.create_indicator(&actor(), c, &content).await.expect("indicator").id;
        (db, c, indicator)
    }

    async fn planned(db: &Db, c: CollaborationId, csv: &str, replace: bool) -> Plan {
        let sheet = Sheet::csv(csv.as_bytes()).expect("reads");
        let context = db.import_context(c, &HashSet::from(["THZ".to_string()])).await.expect("context");
        plan(&sheet, &context.context(replace, true)).expect("plans")
    }

    async fn values(db: &Db, c: CollaborationId, indicator: i64) -> Vec<(String, String, Parts)> {
        let mut rows: Vec<_> = db.measurements(c, indicator).await.expect("rows").into_iter().map(|m| (m.area.to_string(), m.period, m.parts)).collect();
        rows.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
        rows
    }

    #[tokio::test]
    async fn a_write_refuses_whole_what_changed_since_its_check() {
        let (db, c, thz) = setup().await;
        let csv = "indicator,gebied,periode,teller\nTHZ,GM0344,2024,5\nTHZ,WK034401,2024,6\nTHZ,WK034402,2025,7\n";
        let first = planned(&db, c, csv, false).await;
        let again = planned(&db, c, csv, false).await;
        assert_eq!(db.import_measurements(&actor(), c, &first, &mut |_| {}).await.expect("writes"), 3);
        let stored = values(&db, c, thz).await;
        assert_eq!(stored.len(), 3);

        // Planned as new before the first write: those rows are there now.
        assert!(matches!(db.import_measurements(&actor(), c, &again, &mut |_| {}).await, Err(StoreError::Conflict("differs"))));

        // A replacement whose value was approved in between changes nothing, not even the other row.
        let replace = planned(&db, c, "indicator,gebied,periode,teller\nTHZ,GM0344,2024,8\nTHZ,WK034402,2025,9\n", true).await;
        assert_eq!(replace.replaced.len(), 2);
        for next in [MeasurementStatus::Ingediend, MeasurementStatus::Goedgekeurd] {
            db.move_measurements(&actor(), c, thz, "2024", next).await.expect("moves");
        }
        assert!(matches!(db.import_measurements(&actor(), c, &replace, &mut |_| {}).await, Err(StoreError::Conflict("approved"))));
        assert_eq!(values(&db, c, thz).await, stored);

        // Nor does a period locked in between.
        let locked = planned(&db, c, "indicator,gebied,periode,teller\nTHZ,WK034402,2025,9\n", true).await;
        db.set_period_lock(&actor(), c, "2025", true).await.expect("locks");
        assert!(matches!(db.import_measurements(&actor(), c, &locked, &mut |_| {}).await, Err(StoreError::Conflict("locked"))));
        assert_eq!(values(&db, c, thz).await, stored);
    }

    #[tokio::test]
    async fn what_is_stored_is_read_page_by_page_and_found_again() {
        let (db, c, thz) = setup().await;
        let csv = "indicator,gebied,periode,teller\nTHZ,GM0344,2024,1\nTHZ,GM0344,2025,2\nTHZ,WK034401,2024,3\nTHZ,WK034401,2025,4\nTHZ,WK034402,2024,5\n";
        let first = planned(&db, c, csv, false).await;
        db.import_measurements(&actor(), c, &first, &mut |_| {}).await.expect("writes");
        for page in [1, 2, 5, 100] {
            let stored = db.stored(c, &[thz], page).await.expect("reads");
            assert_eq!(stored.len(), 5, "pages of {page}");
            assert_eq!(stored.get(thz, "WK034401", "2025").map(|e| e.parts), Some(Parts::count(4.0)));
            assert_eq!(stored.get(thz, "WK034402", "2024").map(|e| e.parts), Some(Parts::count(5.0)));
        }
        let again = planned(&db, c, csv, false).await;
        assert_eq!((again.new.len(), again.unchanged), (0, 5));
    }
}
