//! Money: each partner's contributions per year and funding source, with every version kept
//! whole. The partner, year, source, status, amounts, agreement and days are columns too, so
//! sums and references need no JSON; deleting an agreement leaves the contribution without it.

use crate::{Actor, Db, Result, StoreError, Tx, Versioned, belongs, code, dispatch, now, on_tx, update_versioned};
use domain::finance::{Commitment, ContributionContent, DecisionContent, PlanContent, PotContent, Source, SpendingContent, overspend};
use domain::ids::CollaborationId;

#[derive(Debug, Clone, PartialEq)]
pub struct Contribution {
    pub id: i64,
    pub version: i64,
    pub content: ContributionContent,
}

/// One stored version of a contribution: what it said, who saved it and when.
#[derive(Debug, Clone, PartialEq)]
pub struct ContributionVersion {
    pub version: i64,
    pub content: ContributionContent,
    pub changed_by: String,
    pub changed_at: i64,
}

type ContributionTuple = (i64, i64, i64, String, String, String, Option<i64>, Option<i64>, Option<i64>, Option<i64>, String, String, String, Option<i64>);

const CONTRIBUTION_COLUMNS: &str =
    "id, version, partner_id, year, source, status, amount_cents, hours, hourly_rate_cents, agreement_id, starts, ends, content, pot_id";

fn decode(json: &str) -> Result<ContributionContent> {
    serde_json::from_str(json).map_err(|_| StoreError::Corrupt("finance_contributions"))
}

fn encode(content: &ContributionContent) -> Result<String> {
    serde_json::to_string(content).map_err(|_| StoreError::Corrupt("finance_contributions"))
}

/// The columns win over the JSON: they are what sums and references read.
fn contribution_row(row: ContributionTuple) -> Result<Contribution> {
    let (id, version, partner, year, source, status, amount, hours, rate, agreement, starts, ends, json, pot) = row;
    let mut content = decode(&json)?;
    content.partner = partner;
    content.year = year;
    content.source = code(&source, Source::from_code, "finance_contributions")?;
    content.status = code(&status, Commitment::from_code, "finance_contributions")?;
    (content.amount_cents, content.hours, content.hourly_rate_cents, content.agreement) = (amount, hours, rate, agreement);
    (content.starts, content.ends, content.pot) = (starts, ends, pot);
    Ok(Contribution { id, version, content })
}

impl Tx {
    async fn check_contribution(&mut self, collaboration: CollaborationId, content: &ContributionContent) -> Result<()> {
        belongs(self, "partners", Some(content.partner), collaboration.0, "partner").await?;
        belongs(self, "agreements", content.agreement, collaboration.0, "agreement").await?;
        belongs(self, "finance_pots", content.pot, collaboration.0, "pot").await
    }

    async fn add_contribution_version(&mut self, actor: &Actor, collaboration: CollaborationId, id: i64, version: i64, json: &str) -> Result<()> {
        let sql = "INSERT INTO finance_contribution_versions (collaboration_id, contribution_id, version, content, changed_by, changed_at) \
                   SELECT collaboration_id, id, $2, $3, $4, $5 FROM finance_contributions WHERE id = $1 AND collaboration_id = $6";
        let added = on_tx!(self, |c| sqlx::query(sql)
            .bind(id)
            .bind(version)
            .bind(json)
            .bind(&actor.label)
            .bind(now())
            .bind(collaboration.0)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
        if added == 1 { Ok(()) } else { Err(StoreError::NotFound) }
    }
}

impl Db {
    /// The collaboration's contributions by year, partner and id.
    pub async fn contributions(&self, collaboration: CollaborationId) -> Result<Vec<Contribution>> {
        let sql = format!("SELECT {CONTRIBUTION_COLUMNS} FROM finance_contributions WHERE collaboration_id = $1 ORDER BY year, partner_id, id");
        let rows: Vec<ContributionTuple> = dispatch!(self, |pool| sqlx::query_as(&sql).bind(collaboration.0).fetch_all(pool).await)?;
        rows.into_iter().map(contribution_row).collect()
    }

    pub async fn contribution(&self, collaboration: CollaborationId, id: i64) -> Result<Contribution> {
        let sql = format!("SELECT {CONTRIBUTION_COLUMNS} FROM finance_contributions WHERE id = $1 AND collaboration_id = $2");
        let row: Option<ContributionTuple> = dispatch!(self, |pool| sqlx::query_as(&sql).bind(id).bind(collaboration.0).fetch_optional(pool).await)?;
        contribution_row(row.ok_or(StoreError::NotFound)?)
    }

    /// Adds a contribution; its partner and agreement must be the collaboration's own.
    pub async fn create_contribution(&self, actor: &Actor, collaboration: CollaborationId, content: &ContributionContent) -> Result<Contribution> {
        let json = encode(content)?;
        let mut tx = self.begin().await?;
        tx.check_contribution(collaboration, content).await?;
        let sql = "INSERT INTO finance_contributions (collaboration_id, partner_id, year, source, status, amount_cents, hours, hourly_rate_cents, agreement_id, \
                   starts, ends, content, pot_id, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 1, $14, $14) RETURNING id";
        let id: i64 = on_tx!(&mut tx, |c| sqlx::query_scalar(sql)
            .bind(collaboration.0)
            .bind(content.partner)
            .bind(&content.year)
            .bind(content.source.code())
            .bind(content.status.code())
            .bind(content.amount_cents)
            .bind(content.hours)
            .bind(content.hourly_rate_cents)
            .bind(content.agreement)
            .bind(&content.starts)
            .bind(&content.ends)
            .bind(&json)
            .bind(content.pot)
            .bind(now())
            .fetch_one(c)
            .await)?;
        tx.add_contribution_version(actor, collaboration, id, 1, &json).await?;
        tx.audit(actor, Some(collaboration.0), "contribution.create", &format!("bijdrage:{id} partner:{} {}", content.partner, content.status), "ok").await?;
        tx.commit().await?;
        Ok(Contribution { id, version: 1, content: content.clone() })
    }

    /// Saves a new version if the contribution is still at `version`; a stale one is a
    /// conflict, and the earlier versions stay as they were.
    pub async fn update_contribution(
        &self,
        actor: &Actor,
        collaboration: CollaborationId,
        id: i64,
        version: i64,
        content: &ContributionContent,
    ) -> Result<Contribution> {
        let json = encode(content)?;
        let mut tx = self.begin().await?;
        tx.check_contribution(collaboration, content).await?;
        update_versioned!(
            &mut tx,
            actor,
            Versioned::of("finance_contributions", collaboration, id, version),
            "partner_id = $1, year = $2, source = $3, status = $4, amount_cents = $5, hours = $6, hourly_rate_cents = $7, agreement_id = $8, \
             starts = $9, ends = $10, content = $11, pot_id = $12",
            [
                content.partner,
                &content.year,
                content.source.code(),
                content.status.code(),
                content.amount_cents,
                content.hours,
                content.hourly_rate_cents,
                content.agreement,
                &content.starts,
                &content.ends,
                &json,
                content.pot
            ],
            "contribution.update",
            &format!("bijdrage:{id} versie {} {}", version + 1, content.status)
        );
        tx.add_contribution_version(actor, collaboration, id, version + 1, &json).await?;
        tx.commit().await?;
        Ok(Contribution { id, version: version + 1, content: content.clone() })
    }

    /// Every version of a contribution, oldest first.
    pub async fn contribution_versions(&self, collaboration: CollaborationId, id: i64) -> Result<Vec<ContributionVersion>> {
        let sql = "SELECT version, content, changed_by, changed_at FROM finance_contribution_versions \
                   WHERE contribution_id = $1 AND collaboration_id = $2 ORDER BY version";
        let rows: Vec<(i64, String, String, i64)> = dispatch!(self, |pool| sqlx::query_as(sql).bind(id).bind(collaboration.0).fetch_all(pool).await)?;
        if rows.is_empty() {
            return Err(StoreError::NotFound);
        }
        rows.into_iter()
            .map(|(version, json, changed_by, changed_at)| Ok(ContributionVersion { version, content: decode(&json)?, changed_by, changed_at }))
            .collect()
    }
}

// ---- pots, plans and spending ----

#[derive(Debug, Clone, PartialEq)]
pub struct Pot {
    pub id: i64,
    pub version: i64,
    pub content: PotContent,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub id: i64,
    pub pot_id: i64,
    pub version: i64,
    pub content: PlanContent,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Spending {
    pub id: i64,
    pub pot_id: i64,
    pub content: SpendingContent,
    pub author: String,
}

/// What adding a spend came to: stored, or refused for going beyond the pot by these cents.
#[derive(Debug, Clone, PartialEq)]
pub enum Spend {
    Stored(Spending),
    Over(i64),
}

fn decode_pot(json: &str) -> Result<PotContent> {
    serde_json::from_str(json).map_err(|_| StoreError::Corrupt("finance_pots"))
}

fn encode_pot(content: &PotContent) -> Result<String> {
    serde_json::to_string(content).map_err(|_| StoreError::Corrupt("finance_pots"))
}

impl Tx {
    async fn check_pot(&mut self, collaboration: CollaborationId, content: &PotContent) -> Result<()> {
        for share in &content.split {
            belongs(self, "partners", Some(share.partner), collaboration.0, "split").await?;
        }
        Ok(())
    }

    /// The pot's money that is promised or recorded, and what is spent from it, read inside
    /// the transaction that adds a spend.
    async fn pot_money(&mut self, collaboration: CollaborationId, pot: i64) -> Result<(i64, i64)> {
        let sql = "SELECT CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT) FROM finance_contributions \
                   WHERE pot_id = $1 AND collaboration_id = $2 AND status IN ('toegezegd', 'vastgelegd')";
        let available: i64 = on_tx!(self, |c| sqlx::query_scalar::<_, Option<i64>>(sql).bind(pot).bind(collaboration.0).fetch_one(c).await)?.unwrap_or(0);
        let mut spent = 0;
        for sql in [
            "SELECT CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT) FROM finance_spendings WHERE pot_id = $1 AND collaboration_id = $2",
            "SELECT CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT) FROM finance_decisions WHERE pot_id = $1 AND collaboration_id = $2",
        ] {
            spent += on_tx!(self, |c| sqlx::query_scalar::<_, Option<i64>>(sql).bind(pot).bind(collaboration.0).fetch_one(c).await)?.unwrap_or(0);
        }
        Ok((available, spent))
    }
}

impl Db {
    pub async fn pots(&self, collaboration: CollaborationId) -> Result<Vec<Pot>> {
        let sql = "SELECT id, version, overspend_allowed, content FROM finance_pots WHERE collaboration_id = $1 ORDER BY starts, lower(name), id";
        let rows: Vec<(i64, i64, bool, String)> = dispatch!(self, |pool| sqlx::query_as(sql).bind(collaboration.0).fetch_all(pool).await)?;
        rows.into_iter()
            .map(|(id, version, overspend, json)| {
                let mut content = decode_pot(&json)?;
                content.overspend_allowed = overspend;
                Ok(Pot { id, version, content })
            })
            .collect()
    }

    pub async fn pot(&self, collaboration: CollaborationId, id: i64) -> Result<Pot> {
        let sql = "SELECT id, version, overspend_allowed, content FROM finance_pots WHERE id = $1 AND collaboration_id = $2";
        let row: Option<(i64, i64, bool, String)> = dispatch!(self, |pool| sqlx::query_as(sql).bind(id).bind(collaboration.0).fetch_optional(pool).await)?;
        let (id, version, overspend, json) = row.ok_or(StoreError::NotFound)?;
        let mut content = decode_pot(&json)?;
        content.overspend_allowed = overspend;
        Ok(Pot { id, version, content })
    }

    /// Adds a pot; the partners of its split must be the collaboration's own.
    pub async fn create_pot(&self, actor: &Actor, collaboration: CollaborationId, content: &PotContent) -> Result<Pot> {
        let json = encode_pot(content)?;
        let mut tx = self.begin().await?;
        tx.check_pot(collaboration, content).await?;
        let sql = "INSERT INTO finance_pots (collaboration_id, name, starts, ends, overspend_allowed, content, version, created_at, updated_at) \
                   VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7) RETURNING id";
        let id: i64 = on_tx!(&mut tx, |c| sqlx::query_scalar(sql)
            .bind(collaboration.0)
            .bind(&content.name)
            .bind(&content.starts)
            .bind(&content.ends)
            .bind(content.overspend_allowed)
            .bind(&json)
            .bind(now())
            .fetch_one(c)
            .await)?;
        tx.audit(actor, Some(collaboration.0), "pot.create", &format!("pot:{id}"), "ok").await?;
        tx.commit().await?;
        Ok(Pot { id, version: 1, content: content.clone() })
    }

    /// Saves the pot if it is still at `version`.
    pub async fn update_pot(&self, actor: &Actor, collaboration: CollaborationId, id: i64, version: i64, content: &PotContent) -> Result<Pot> {
        let json = encode_pot(content)?;
        let mut tx = self.begin().await?;
        tx.check_pot(collaboration, content).await?;
        update_versioned!(
            &mut tx,
            actor,
            Versioned::of("finance_pots", collaboration, id, version),
            "name = $1, starts = $2, ends = $3, overspend_allowed = $4, content = $5",
            [&content.name, &content.starts, &content.ends, content.overspend_allowed, &json],
            "pot.update",
            &format!("pot:{id}")
        );
        tx.commit().await?;
        Ok(Pot { id, version: version + 1, content: content.clone() })
    }

    /// The plans of one pot, or of all, by year.
    pub async fn plans(&self, collaboration: CollaborationId, pot: Option<i64>) -> Result<Vec<Plan>> {
        let sql = "SELECT id, pot_id, version, activity_id, year, planned_cents FROM finance_plans \
                   WHERE collaboration_id = $1 AND ($2 IS NULL OR pot_id = $2) ORDER BY year, id";
        let rows: Vec<(i64, i64, i64, i64, String, i64)> = dispatch!(self, |pool| sqlx::query_as(sql).bind(collaboration.0).bind(pot).fetch_all(pool).await)?;
        Ok(rows
            .into_iter()
            .map(|(id, pot_id, version, activity, year, planned_cents)| Plan { id, pot_id, version, content: PlanContent { activity, year, planned_cents } })
            .collect())
    }

    /// Plans an amount of a pot of the collaboration for one of its activities.
    pub async fn create_plan(&self, actor: &Actor, collaboration: CollaborationId, pot: i64, content: &PlanContent) -> Result<Plan> {
        let mut tx = self.begin().await?;
        belongs(&mut tx, "finance_pots", Some(pot), collaboration.0, "pot").await.map_err(|_| StoreError::NotFound)?;
        belongs(&mut tx, "programme_activities", Some(content.activity), collaboration.0, "activity").await?;
        let sql = "INSERT INTO finance_plans (collaboration_id, pot_id, activity_id, year, planned_cents, version, created_at, updated_at) \
                   VALUES ($1, $2, $3, $4, $5, 1, $6, $6) RETURNING id";
        let id: i64 = on_tx!(&mut tx, |c| sqlx::query_scalar(sql)
            .bind(collaboration.0)
            .bind(pot)
            .bind(content.activity)
            .bind(&content.year)
            .bind(content.planned_cents)
            .bind(now())
            .fetch_one(c)
            .await)?;
        tx.audit(actor, Some(collaboration.0), "plan.create", &format!("plan:{id} pot:{pot} activiteit:{}", content.activity), "ok").await?;
        tx.commit().await?;
        Ok(Plan { id, pot_id: pot, version: 1, content: content.clone() })
    }

    /// What is spent from one pot, or from all, by date.
    pub async fn spendings(&self, collaboration: CollaborationId, pot: Option<i64>) -> Result<Vec<Spending>> {
        let sql = "SELECT id, pot_id, activity_id, date, amount_cents, description, author FROM finance_spendings \
                   WHERE collaboration_id = $1 AND ($2 IS NULL OR pot_id = $2) ORDER BY date, id";
        let rows: Vec<(i64, i64, i64, String, i64, String, String)> =
            dispatch!(self, |pool| sqlx::query_as(sql).bind(collaboration.0).bind(pot).fetch_all(pool).await)?;
        Ok(rows
            .into_iter()
            .map(|(id, pot_id, activity, date, amount_cents, description, author)| Spending {
                id,
                pot_id,
                content: SpendingContent { activity, date, amount_cents, description },
                author,
            })
            .collect())
    }

    /// Adds a spend from a pot of the collaboration for one of its activities. In the same
    /// transaction, with the pot's row locked, it reads what the pot has secured and spent: a spend beyond it is refused
    /// (`Spend::Over`, nothing written) unless the pot allows overspending.
    pub async fn add_spending(&self, actor: &Actor, collaboration: CollaborationId, pot: i64, content: &SpendingContent) -> Result<Spend> {
        let mut tx = self.begin().await?;
        // Touching the pot's row locks it (PostgreSQL) for the rest of the transaction, so two
        // spends from one pot at once are checked one after the other; SQLite's write
        // transaction already is.
        let sql = "UPDATE finance_pots SET updated_at = updated_at WHERE id = $1 AND collaboration_id = $2 RETURNING overspend_allowed";
        let allowed: Option<bool> = on_tx!(&mut tx, |c| sqlx::query_scalar(sql).bind(pot).bind(collaboration.0).fetch_optional(c).await)?;
        let allowed = allowed.ok_or(StoreError::NotFound)?;
        belongs(&mut tx, "programme_activities", Some(content.activity), collaboration.0, "activity").await?;
        let (available, spent) = tx.pot_money(collaboration, pot).await?;
        if let Some(over) = overspend(available, spent, content.amount_cents)
            && !allowed
        {
            return Ok(Spend::Over(over));
        }
        let sql = "INSERT INTO finance_spendings (collaboration_id, pot_id, activity_id, date, amount_cents, description, author, created_at) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
        let id: i64 = on_tx!(&mut tx, |c| sqlx::query_scalar(sql)
            .bind(collaboration.0)
            .bind(pot)
            .bind(content.activity)
            .bind(&content.date)
            .bind(content.amount_cents)
            .bind(&content.description)
            .bind(&actor.label)
            .bind(now())
            .fetch_one(c)
            .await)?;
        tx.audit(actor, Some(collaboration.0), "spending.add", &format!("uitgave:{id} pot:{pot} activiteit:{}", content.activity), "ok").await?;
        tx.commit().await?;
        Ok(Spend::Stored(Spending { id, pot_id: pot, content: content.clone(), author: actor.label.clone() }))
    }
}

// ---- breakthrough decisions ----

#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub id: i64,
    pub pot_id: i64,
    pub content: DecisionContent,
    pub author: String,
}

/// What recording a breakthrough decision came to: stored; refused for going beyond the pot
/// by these cents; or refused because the pot is no breakthrough budget or who decided holds
/// no mandate (the field errors). Nothing is written unless stored.
#[derive(Debug, Clone, PartialEq)]
pub enum Decided {
    Stored(Decision),
    Over(i64),
    Refused(domain::Invalid),
}

fn decode_decision(json: &str) -> Result<DecisionContent> {
    serde_json::from_str(json).map_err(|_| StoreError::Corrupt("finance_decisions"))
}

impl Tx {
    /// The people who hold a mandate now: the people named and the holders of the portfolios
    /// named, all of this collaboration, without those who left.
    async fn mandate_holders(&mut self, collaboration: CollaborationId, mandate: &domain::finance::Mandate) -> Result<Vec<i64>> {
        let people: Vec<(i64, bool)> =
            on_tx!(self, |c| sqlx::query_as("SELECT id, has_left FROM people WHERE collaboration_id = $1").bind(collaboration.0).fetch_all(c).await)?;
        let portfolios: Vec<(i64, Option<i64>)> =
            on_tx!(self, |c| sqlx::query_as("SELECT id, holder_id FROM portfolios WHERE collaboration_id = $1").bind(collaboration.0).fetch_all(c).await)?;
        let mut holders =
            mandate.holders(|p| portfolios.iter().find(|(id, _)| *id == p).and_then(|(_, h)| *h), |p| people.iter().any(|(id, left)| *id == p && *left));
        holders.retain(|h| people.iter().any(|(id, _)| id == h));
        Ok(holders)
    }
}

impl Db {
    /// The decisions on one pot, or on all, by decision day.
    pub async fn breakthrough_decisions(&self, collaboration: CollaborationId, pot: Option<i64>) -> Result<Vec<Decision>> {
        let sql = "SELECT id, pot_id, requested, decided, amount_cents, holder_id, second_holder_id, within_mandate, content, author FROM finance_decisions \
                   WHERE collaboration_id = $1 AND ($2 IS NULL OR pot_id = $2) ORDER BY decided, id";
        type Row = (i64, i64, String, String, i64, Option<i64>, Option<i64>, bool, String, String);
        let rows: Vec<Row> = dispatch!(self, |pool| sqlx::query_as(sql).bind(collaboration.0).bind(pot).fetch_all(pool).await)?;
        rows.into_iter()
            .map(|(id, pot_id, requested, decided, amount_cents, holder, second, within, json, author)| {
                let mut content = decode_decision(&json)?;
                (content.requested, content.decided, content.amount_cents, content.within_mandate) = (requested, decided, amount_cents, within);
                // A person removed since: the decision stays, without the link.
                content.holder = holder.unwrap_or(0);
                content.second_holder = second;
                Ok(Decision { id, pot_id, content, author })
            })
            .collect()
    }

    /// The people who hold the mandate of a breakthrough budget of the collaboration now.
    pub async fn mandate_holders(&self, collaboration: CollaborationId, pot: i64) -> Result<Vec<i64>> {
        let content = self.pot(collaboration, pot).await?.content;
        let Some(mandate) = content.breakthrough else { return Ok(Vec::new()) };
        let mut tx = self.begin().await?;
        let holders = tx.mandate_holders(collaboration, &mandate).await?;
        tx.commit().await?;
        Ok(holders)
    }

    /// Records a decision on a breakthrough budget of the collaboration. In one transaction,
    /// with the pot's row locked, it checks that the pot is a breakthrough budget, that who
    /// decided holds its mandate now (and a second holder above the maximum), and that the
    /// amount fits in what the pot has secured and not yet spent, unless it allows overspending.
    pub async fn add_breakthrough_decision(&self, actor: &Actor, collaboration: CollaborationId, pot: i64, content: &DecisionContent) -> Result<Decided> {
        let json = serde_json::to_string(content).map_err(|_| StoreError::Corrupt("finance_decisions"))?;
        let mut tx = self.begin().await?;
        let sql = "UPDATE finance_pots SET updated_at = updated_at WHERE id = $1 AND collaboration_id = $2 RETURNING overspend_allowed, content";
        let row: Option<(bool, String)> = on_tx!(&mut tx, |c| sqlx::query_as(sql).bind(pot).bind(collaboration.0).fetch_optional(c).await)?;
        let (allowed, pot_json) = row.ok_or(StoreError::NotFound)?;
        let Some(mandate) = decode_pot(&pot_json)?.breakthrough else {
            return Ok(Decided::Refused(domain::Invalid::single("amount", "err.not_breakthrough")));
        };
        let holders = tx.mandate_holders(collaboration, &mandate).await?;
        let mut refused = domain::Invalid::default();
        let within = mandate.check(&mut refused, &holders, content.holder, content.second_holder, content.amount_cents);
        if !refused.errors.is_empty() {
            return Ok(Decided::Refused(refused));
        }
        let (available, spent) = tx.pot_money(collaboration, pot).await?;
        if let Some(over) = overspend(available, spent, content.amount_cents)
            && !allowed
        {
            return Ok(Decided::Over(over));
        }
        let content = DecisionContent { within_mandate: within, ..content.clone() };
        let sql = "INSERT INTO finance_decisions (collaboration_id, pot_id, requested, decided, amount_cents, holder_id, second_holder_id, within_mandate, content, author, created_at) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id";
        let id: i64 = on_tx!(&mut tx, |c| sqlx::query_scalar(sql)
            .bind(collaboration.0)
            .bind(pot)
            .bind(&content.requested)
            .bind(&content.decided)
            .bind(content.amount_cents)
            .bind(content.holder)
            .bind(content.second_holder)
            .bind(within)
            .bind(&json)
            .bind(&actor.label)
            .bind(now())
            .fetch_one(c)
            .await)?;
        let second = content.second_holder.map(|s| format!(" tweede:{s}")).unwrap_or_default();
        tx.audit(actor, Some(collaboration.0), "decision.add", &format!("doorbraak:{id} pot:{pot} houder:{}{second}", content.holder), "ok").await?;
        tx.commit().await?;
        Ok(Decided::Stored(Decision { id, pot_id: pot, content, author: actor.label.clone() }))
    }
}

// ---- the continuity horizon ----

impl Db {
    /// The months ahead within which funding that ends for running work is flagged, as set
    /// (none when never set), and the setting's version for optimistic locking (0 before the first).
    pub async fn finance_horizon(&self, collaboration: CollaborationId) -> Result<(Option<u32>, i64)> {
        let sql = "SELECT horizon_months, version FROM finance_settings WHERE collaboration_id = $1";
        let row: Option<(i64, i64)> = dispatch!(self, |pool| sqlx::query_as(sql).bind(collaboration.0).fetch_optional(pool).await)?;
        Ok(row.map(|(months, version)| (u32::try_from(months).ok(), version)).unwrap_or((None, 0)))
    }

    /// Sets the horizon if nobody changed it since `version` (0: never set).
    pub async fn set_finance_horizon(&self, actor: &Actor, collaboration: CollaborationId, months: u32, version: i64) -> Result<i64> {
        let mut tx = self.begin().await?;
        let sql = "INSERT INTO finance_settings (collaboration_id, horizon_months, version, updated_at) VALUES ($1, $2, 1, $3) \
                   ON CONFLICT (collaboration_id) DO UPDATE SET horizon_months = excluded.horizon_months, version = finance_settings.version + 1, \
                   updated_at = excluded.updated_at WHERE finance_settings.version = $4";
        let changed = on_tx!(&mut tx, |c| sqlx::query(sql)
            .bind(collaboration.0)
            .bind(i64::from(months))
            .bind(now())
            .bind(version)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
        let current: i64 = on_tx!(&mut tx, |c| sqlx::query_scalar("SELECT version FROM finance_settings WHERE collaboration_id = $1")
            .bind(collaboration.0)
            .fetch_one(c)
            .await)?;
        if changed == 0 || current != version + 1 {
            return Err(StoreError::Conflict("version"));
        }
        tx.audit(actor, Some(collaboration.0), "finance.horizon", &format!("horizon:{months}"), "ok").await?;
        tx.commit().await?;
        Ok(current)
    }
}
