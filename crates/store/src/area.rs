//! The CBS area classification per year. A new database gets the built-in 2024 list when it
//! migrates; an operator loads other years from CBS files (`reisgenoot import gebieden`).

use crate::{Actor, Db, Result, Tx, dispatch, on_tx};
use domain::area::{Area, AreaLevel};
use std::collections::{HashMap, HashSet};

fn level_code(level: AreaLevel) -> &'static str {
    match level {
        AreaLevel::Gemeente => "gemeente",
        AreaLevel::Wijk => "wijk",
        AreaLevel::Buurt => "buurt",
    }
}

impl Tx {
    async fn replace_classification(&mut self, year: i32, areas: &[Area]) -> Result<()> {
        let tx = self;
        on_tx!(tx, |c| sqlx::query("DELETE FROM areas WHERE year = $1").bind(year).execute(c).await.map(|r| r.rows_affected()))?;
        for chunk in areas.chunks(500) {
            let tuples: Vec<String> =
                (0..chunk.len()).map(|i| format!("(${}, ${}, ${}, ${}, ${})", i * 5 + 1, i * 5 + 2, i * 5 + 3, i * 5 + 4, i * 5 + 5)).collect();
            let sql = format!("INSERT INTO areas (year, code, level, name, parent) VALUES {}", tuples.join(", "));
            on_tx!(tx, |c| {
                let mut query = sqlx::query(&sql);
                for area in chunk {
                    query = query
                        .bind(year)
                        .bind(area.code.as_str())
                        .bind(level_code(area.code.level()))
                        .bind(&area.name)
                        .bind(area.parent.as_ref().map_or("", |p| p.as_str()));
                }
                query.execute(c).await.map(|r| r.rows_affected())
            })?;
        }
        Ok(())
    }
}

impl Db {
    /// Replaces the classification of `year` with `areas` in one transaction.
    pub async fn load_areas(&self, actor: &Actor, year: i32, areas: &[Area]) -> Result<usize> {
        let mut tx = self.begin().await?;
        tx.replace_classification(year, areas).await?;
        tx.audit(actor, None, "areas.load", &format!("{year}: {} gebieden", areas.len()), "ok").await?;
        tx.commit().await?;
        // Whether a wijk or gemeente is measured whole is judged by the classification.
        self.rebuild_summaries().await?;
        Ok(areas.len())
    }

    /// Fills the area list with the built-in classification when it holds none. This is
    /// reference data that ships with the program, so it leaves no audit entry.
    pub(crate) async fn ensure_areas(&self) -> Result<()> {
        let any: Option<i32> = dispatch!(self, |pool| sqlx::query_scalar("SELECT year FROM areas LIMIT 1").fetch_optional(pool).await)?;
        if any.is_none() {
            let mut tx = self.begin().await?;
            tx.replace_classification(domain::area::BUILTIN_YEAR, &domain::area::builtin()).await?;
            tx.commit().await?;
        }
        Ok(())
    }

    /// The loaded classification years with their number of areas.
    pub async fn area_years(&self) -> Result<Vec<(i32, i64)>> {
        Ok(dispatch!(self, |pool| sqlx::query_as("SELECT year, COUNT(*) FROM areas GROUP BY year ORDER BY year").fetch_all(pool).await)?)
    }

    /// The classification that serves a collaboration of `year`: that year, or else the latest
    /// earlier one, or else the earliest loaded.
    pub async fn area_year_for(&self, year: i32) -> Result<Option<i32>> {
        // Two index seeks: pages ask this on every view, and counting the areas of every year
        // (`area_years`) reads the whole list.
        let sql = "SELECT COALESCE((SELECT MAX(year) FROM areas WHERE year <= $1), (SELECT MIN(year) FROM areas))";
        Ok(dispatch!(self, |pool| sqlx::query_scalar::<_, Option<i32>>(sql).bind(year).fetch_one(pool).await)?)
    }

    pub async fn area_codes(&self, year: i32) -> Result<HashSet<String>> {
        let codes: Vec<String> = dispatch!(self, |pool| sqlx::query_scalar("SELECT code FROM areas WHERE year = $1").bind(year).fetch_all(pool).await)?;
        Ok(codes.into_iter().collect())
    }

    /// The names of the given codes in `year`'s classification.
    pub async fn area_names(&self, year: i32, codes: &[&str]) -> Result<HashMap<String, String>> {
        let mut names = HashMap::new();
        for chunk in codes.chunks(500) {
            let list = crate::list_params(self.backend(), 2, chunk.len());
            let year_param = if self.backend() == crate::Backend::Sqlite { "?" } else { "$1" };
            let sql = format!("SELECT code, name FROM areas WHERE year = {year_param} AND code IN ({list})");
            let rows: Vec<(String, String)> = dispatch!(self, |pool| {
                let mut query = sqlx::query_as(&sql).bind(year);
                for code in chunk {
                    query = query.bind(*code);
                }
                query.fetch_all(pool).await
            })?;
            names.extend(rows);
        }
        Ok(names)
    }

    /// The last classification year in which each of `codes` occurs, for the codes any loaded
    /// year holds: what tells an abolished code from a mistyped one.
    pub async fn area_last_years(&self, codes: &[&str]) -> Result<HashMap<String, i32>> {
        let mut years = HashMap::new();
        for chunk in codes.chunks(500) {
            let list = crate::list_params(self.backend(), 1, chunk.len());
            let sql = format!("SELECT code, MAX(year) FROM areas WHERE code IN ({list}) GROUP BY code");
            let rows: Vec<(String, i32)> = dispatch!(self, |pool| {
                let mut query = sqlx::query_as(&sql);
                for code in chunk {
                    query = query.bind(*code);
                }
                query.fetch_all(pool).await
            })?;
            years.extend(rows);
        }
        Ok(years)
    }
}
