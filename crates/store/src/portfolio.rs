//! Portfolios of a collaboration. Deleting their holder leaves them vacant (ON DELETE SET NULL).

use crate::{Actor, Db, Result, StoreError, Versioned, belongs, dispatch, now, on_tx, update_versioned};
use domain::ids::{CollaborationId, PersonId, PortfolioId};
use domain::portfolio::{NewPortfolio, Portfolio};

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    collaboration_id: i64,
    name: String,
    mandate: String,
    expectations: String,
    holder_id: Option<i64>,
    version: i64,
}

impl From<Row> for Portfolio {
    fn from(r: Row) -> Portfolio {
        Portfolio {
            id: PortfolioId(r.id),
            collaboration_id: CollaborationId(r.collaboration_id),
            name: r.name,
            mandate: r.mandate,
            expectations: r.expectations,
            holder_id: r.holder_id.map(PersonId),
            version: r.version,
        }
    }
}

const COLUMNS: &str = "id, collaboration_id, name, mandate, expectations, holder_id, version";

impl Db {
    pub async fn portfolios(&self, collaboration: CollaborationId) -> Result<Vec<Portfolio>> {
        let sql = format!("SELECT {COLUMNS} FROM portfolios WHERE collaboration_id = $1 ORDER BY lower(name), id");
        let rows: Vec<Row> = dispatch!(self, |pool| sqlx::query_as(&sql).bind(collaboration.0).fetch_all(pool).await)?;
        Ok(rows.into_iter().map(Portfolio::from).collect())
    }

    pub async fn portfolio(&self, collaboration: CollaborationId, id: PortfolioId) -> Result<Portfolio> {
        let sql = format!("SELECT {COLUMNS} FROM portfolios WHERE id = $1 AND collaboration_id = $2");
        let row: Option<Row> = dispatch!(self, |pool| sqlx::query_as(&sql).bind(id.0).bind(collaboration.0).fetch_optional(pool).await)?;
        Ok(row.ok_or(StoreError::NotFound)?.into())
    }

    pub async fn create_portfolio(&self, actor: &Actor, collaboration: CollaborationId, new: &NewPortfolio) -> Result<Portfolio> {
        let mut tx = self.begin().await?;
        belongs(&mut tx, "people", new.holder_id.map(|p| p.0), collaboration.0, "holder_id").await?;
        let sql = format!(
            "INSERT INTO portfolios (collaboration_id, name, mandate, expectations, holder_id, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 1, $6, $6) RETURNING {COLUMNS}"
        );
        let row: Row = on_tx!(&mut tx, |c| sqlx::query_as(&sql)
            .bind(collaboration.0)
            .bind(&new.name)
            .bind(&new.mandate)
            .bind(&new.expectations)
            .bind(new.holder_id.map(|p| p.0))
            .bind(now())
            .fetch_one(c)
            .await)?;
        tx.audit(actor, Some(collaboration.0), "portfolio.create", &format!("portefeuille:{}", row.id), "ok").await?;
        tx.commit().await?;
        Ok(row.into())
    }

    pub async fn update_portfolio(
        &self,
        actor: &Actor,
        collaboration: CollaborationId,
        id: PortfolioId,
        version: i64,
        new: &NewPortfolio,
    ) -> Result<Portfolio> {
        let mut tx = self.begin().await?;
        belongs(&mut tx, "people", new.holder_id.map(|p| p.0), collaboration.0, "holder_id").await?;
        update_versioned!(
            &mut tx,
            actor,
            Versioned::of("portfolios", collaboration, id.0, version),
            "name = $1, mandate = $2, expectations = $3, holder_id = $4",
            [&new.name, &new.mandate, &new.expectations, new.holder_id.map(|p| p.0)],
            "portfolio.update",
            &format!("portefeuille:{id}")
        );
        tx.commit().await?;
        let NewPortfolio { name, mandate, expectations, holder_id } = new.clone();
        Ok(Portfolio { id, collaboration_id: collaboration, name, mandate, expectations, holder_id, version: version + 1 })
    }

    pub async fn delete_portfolio(&self, actor: &Actor, collaboration: CollaborationId, id: PortfolioId) -> Result<()> {
        self.delete_owned(actor, "portfolios", collaboration.0, id.0, ("portfolio", "portefeuille")).await
    }
}
