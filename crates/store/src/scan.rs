//! Scan rounds, their invitation links and their answers. Submitting through a link counts the
//! use and stores the answer in one transaction, so a single-use link cannot be used twice and
//! no answer is lost; the answer row itself carries nothing of the link.

use crate::{Actor, Db, Result, StoreError, code, dispatch, now, on_tx};
use domain::ids::CollaborationId;
use domain::partner::Sector;
use domain::scan::{Dimension, RespondentLevel, Response, RoundPlan, Template};

#[derive(Debug, Clone, PartialEq)]
pub struct Round {
    pub id: i64,
    pub collaboration_id: i64,
    pub title: String,
    pub template: Template,
    pub opens: String,
    pub closes: String,
    pub min_group: usize,
    /// The one dimension its results are split along, if any.
    pub split_by: Option<Dimension>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub id: i64,
    pub round_id: i64,
    pub token: String,
    /// The group it was sent to, e.g. "Schoolbesturen".
    pub label: String,
    /// The sector the form starts with (the respondent may change it), or empty.
    pub sector: String,
    /// A public link for a survey, used by many; otherwise each link answers once.
    pub reusable: bool,
    pub uses: i64,
    /// Answers refused because the link or one client sent too many at once.
    pub refused: i64,
}

type RoundRow = (i64, i64, String, String, String, String, i64, String);

fn round_of((id, collaboration_id, title, template, opens, closes, min_group, split_by): RoundRow) -> Result<Round> {
    let template = serde_json::from_str(&template).map_err(|_| StoreError::Corrupt("scan_rounds"))?;
    let min_group = usize::try_from(min_group).unwrap_or(domain::scan::DEFAULT_MIN);
    Ok(Round { id, collaboration_id, title, template, opens, closes, min_group, split_by: Dimension::from_code(&split_by) })
}

const ROUND: &str = "SELECT id, collaboration_id, title, template, opens, closes, min_group, split_by FROM scan_rounds";
const LINK: &str = "SELECT id, round_id, token, label, sector, reusable, uses, refused FROM scan_links";

type LinkRow = (i64, i64, String, String, String, bool, i64, i64);

fn link_of((id, round_id, token, label, sector, reusable, uses, refused): LinkRow) -> Link {
    Link { id, round_id, token, label, sector, reusable, uses, refused }
}

/// What a batch of new links shares.
#[derive(Debug, Clone, Copy)]
pub struct LinkGroup<'a> {
    pub label: &'a str,
    pub sector: &'a str,
    pub reusable: bool,
}

/// Why an answer was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    UnknownLink,
    Used,
    Closed,
}

impl Db {
    pub async fn rounds(&self, collaboration: CollaborationId) -> Result<Vec<Round>> {
        let sql = format!("{ROUND} WHERE collaboration_id = $1 ORDER BY opens DESC, id DESC");
        let rows: Vec<RoundRow> = dispatch!(self, |pool| sqlx::query_as(&sql).bind(collaboration.0).fetch_all(pool).await)?;
        rows.into_iter().map(round_of).collect()
    }

    pub async fn round(&self, collaboration: CollaborationId, id: i64) -> Result<Round> {
        let sql = format!("{ROUND} WHERE id = $1 AND collaboration_id = $2");
        let row: Option<RoundRow> = dispatch!(self, |pool| sqlx::query_as(&sql).bind(id).bind(collaboration.0).fetch_optional(pool).await)?;
        round_of(row.ok_or(StoreError::NotFound)?)
    }

    pub async fn create_round(&self, actor: &Actor, collaboration: CollaborationId, new: &RoundPlan) -> Result<Round> {
        let json = serde_json::to_string(&new.template).map_err(|_| StoreError::Corrupt("scan_rounds"))?;
        let mut tx = self.begin().await?;
        let sql = "INSERT INTO scan_rounds (collaboration_id, title, template_key, template, opens, closes, min_group, created_at, split_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id";
        let min = i64::try_from(new.min_group).unwrap_or(i64::MAX);
        let id: i64 = on_tx!(&mut tx, |c| sqlx::query_scalar(sql)
            .bind(collaboration.0)
            .bind(&new.title)
            .bind(&new.template.key)
            .bind(&json)
            .bind(&new.opens)
            .bind(&new.closes)
            .bind(min)
            .bind(now())
            .bind(new.split_by.map(Dimension::code).unwrap_or_default())
            .fetch_one(c)
            .await)?;
        tx.audit(actor, Some(collaboration.0), "scan.create", &format!("ronde:{id} {} minimum {min}", new.template.key), "ok").await?;
        tx.commit().await?;
        self.round(collaboration, id).await
    }

    pub async fn links(&self, collaboration: CollaborationId, round: i64) -> Result<Vec<Link>> {
        let sql = format!("{LINK} WHERE round_id = $1 AND collaboration_id = $2 ORDER BY id");
        let rows: Vec<LinkRow> = dispatch!(self, |pool| sqlx::query_as(&sql).bind(round).bind(collaboration.0).fetch_all(pool).await)?;
        Ok(rows.into_iter().map(link_of).collect())
    }

    /// Adds invitation links to a round; `tokens` are fresh random secrets, one per link.
    pub async fn create_links(&self, actor: &Actor, collaboration: CollaborationId, round: i64, group: &LinkGroup<'_>, tokens: &[String]) -> Result<()> {
        let LinkGroup { label, sector, reusable } = *group;
        self.round(collaboration, round).await?;
        let mut tx = self.begin().await?;
        for token in tokens {
            let sql =
                "INSERT INTO scan_links (collaboration_id, round_id, token, label, sector, reusable, uses, created_at) VALUES ($1, $2, $3, $4, $5, $6, 0, $7)";
            on_tx!(&mut tx, |c| sqlx::query(sql)
                .bind(collaboration.0)
                .bind(round)
                .bind(token)
                .bind(label)
                .bind(sector)
                .bind(reusable)
                .bind(now())
                .execute(c)
                .await
                .map(|r| r.rows_affected()))?;
        }
        tx.audit(actor, Some(collaboration.0), "scan.links", &format!("ronde:{round} {} link(s) {label}", tokens.len()), "ok").await?;
        tx.commit().await
    }

    /// The link and its round, for a respondent who opens it.
    pub async fn link_by_token(&self, token: &str) -> Result<(Link, Round)> {
        let sql = format!("{LINK} WHERE token = $1");
        let row: Option<LinkRow> = dispatch!(self, |pool| sqlx::query_as(&sql).bind(token).fetch_optional(pool).await)?;
        let link = link_of(row.ok_or(StoreError::NotFound)?);
        let sql = format!("{ROUND} WHERE id = $1");
        let row: Option<RoundRow> = dispatch!(self, |pool| sqlx::query_as(&sql).bind(link.round_id).fetch_optional(pool).await)?;
        Ok((link, round_of(row.ok_or(StoreError::NotFound)?)?))
    }

    /// Takes an answer through a link: counts the use (refused when a single-use link was used
    /// or the round is not open on `today`) and stores the answer under the random `key`.
    pub async fn submit_answer(&self, token: &str, key: &str, response: &Response, today: &str) -> Result<std::result::Result<(), Refusal>> {
        let answers = serde_json::to_string(&response.answers).map_err(|_| StoreError::Corrupt("scan_answers"))?;
        let mut tx = self.begin().await?;
        let sql = "SELECT l.round_id, r.collaboration_id, r.opens, r.closes FROM scan_links l JOIN scan_rounds r ON r.id = l.round_id WHERE l.token = $1";
        let found: Option<(i64, i64, String, String)> = on_tx!(&mut tx, |c| sqlx::query_as(sql).bind(token).fetch_optional(c).await)?;
        let Some((round, collaboration, opens, closes)) = found else { return Ok(Err(Refusal::UnknownLink)) };
        if !domain::scan::is_open(&opens, &closes, today) {
            return Ok(Err(Refusal::Closed));
        }
        let sql = "UPDATE scan_links SET uses = uses + 1 WHERE token = $1 AND (reusable OR uses = 0)";
        let counted = on_tx!(&mut tx, |c| sqlx::query(sql).bind(token).execute(c).await.map(|r| r.rows_affected()))?;
        if counted == 0 {
            return Ok(Err(Refusal::Used));
        }
        let sql = "INSERT INTO scan_answers (id, round_id, sector, level, answers) VALUES ($1, $2, $3, $4, $5)";
        let sector = response.sector.map(Sector::code).unwrap_or_default();
        let level = response.level.map(RespondentLevel::code).unwrap_or_default();
        on_tx!(&mut tx, |c| sqlx::query(sql).bind(key).bind(round).bind(sector).bind(level).bind(&answers).execute(c).await.map(|r| r.rows_affected()))?;
        // The audit names the round only, never the link nor the respondent's address.
        let actor = Actor::anonymous_form();
        tx.audit(&actor, Some(collaboration), "scan.answer", &format!("ronde:{round}"), "ok").await?;
        tx.commit().await?;
        Ok(Ok(()))
    }

    /// Counts an answer the link refused for its limits: one single-row update, with no answer,
    /// audit entry or hashing, so a flood costs little.
    pub async fn count_refused_answer(&self, token: &str) -> Result<()> {
        let sql = "UPDATE scan_links SET refused = refused + 1 WHERE token = $1";
        dispatch!(self, |pool| sqlx::query(sql).bind(token).execute(pool).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Every answer of a round, in the order of their random keys.
    pub async fn answers(&self, collaboration: CollaborationId, round: i64) -> Result<Vec<Response>> {
        self.round(collaboration, round).await?;
        let sql = "SELECT s.sector, s.level, s.answers FROM scan_answers s JOIN scan_rounds r ON r.id = s.round_id \
                   WHERE s.round_id = $1 AND r.collaboration_id = $2 ORDER BY s.id";
        let rows: Vec<(String, String, String)> = dispatch!(self, |pool| sqlx::query_as(sql).bind(round).bind(collaboration.0).fetch_all(pool).await)?;
        rows.into_iter()
            .map(|(sector, level, answers)| {
                Ok(Response {
                    sector: if sector.is_empty() { None } else { Some(code(&sector, Sector::from_code, "scan_answers")?) },
                    level: if level.is_empty() { None } else { Some(code(&level, RespondentLevel::from_code, "scan_answers")?) },
                    answers: serde_json::from_str(&answers).map_err(|_| StoreError::Corrupt("scan_answers"))?,
                })
            })
            .collect()
    }

    /// Closes a round before its end: it ends on `last_day` (opening then too if it had not
    /// yet), so it takes no more answers and its results are published the day after.
    pub async fn close_round(&self, actor: &Actor, collaboration: CollaborationId, id: i64, last_day: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        let sql =
            "UPDATE scan_rounds SET closes = $1, opens = CASE WHEN opens > $1 THEN $1 ELSE opens END WHERE id = $2 AND collaboration_id = $3 AND closes > $1";
        let changed = on_tx!(&mut tx, |c| sqlx::query(sql).bind(last_day).bind(id).bind(collaboration.0).execute(c).await.map(|r| r.rows_affected()))?;
        if changed == 0 {
            drop(tx);
            self.round(collaboration, id).await?;
            return Ok(());
        }
        tx.audit(actor, Some(collaboration.0), "scan.close", &format!("ronde:{id} tot en met {last_day}"), "ok").await?;
        tx.commit().await
    }

    pub async fn delete_round(&self, actor: &Actor, collaboration: CollaborationId, id: i64) -> Result<()> {
        self.delete_owned(actor, "scan_rounds", collaboration.0, id, ("scan", "ronde")).await
    }
}
