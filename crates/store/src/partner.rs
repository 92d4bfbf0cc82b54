//! Partner organisations of a collaboration.

use crate::{Actor, Db, Result, StoreError, Versioned, code, dispatch, now, on_tx, update_versioned};
use domain::ids::{CollaborationId, PartnerId};
use domain::partner::{NewPartner, Partner, Ring, Sector};

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    collaboration_id: i64,
    name: String,
    sector: String,
    ring: String,
    description: String,
    version: i64,
}

impl TryFrom<Row> for Partner {
    type Error = StoreError;
    fn try_from(r: Row) -> Result<Partner> {
        Ok(Partner {
            id: PartnerId(r.id),
            collaboration_id: CollaborationId(r.collaboration_id),
            name: r.name,
            sector: code(&r.sector, Sector::from_code, "partners")?,
            ring: code(&r.ring, Ring::from_code, "partners")?,
            description: r.description,
            version: r.version,
        })
    }
}

const COLUMNS: &str = "id, collaboration_id, name, sector, ring, description, version";

impl Db {
    pub async fn partners(&self, collaboration: CollaborationId) -> Result<Vec<Partner>> {
        let sql = format!("SELECT {COLUMNS} FROM partners WHERE collaboration_id = $1 ORDER BY lower(name), id");
        let rows: Vec<Row> = dispatch!(self, |pool| sqlx::query_as(&sql).bind(collaboration.0).fetch_all(pool).await)?;
        rows.into_iter().map(Partner::try_from).collect()
    }

    pub async fn partner(&self, collaboration: CollaborationId, id: PartnerId) -> Result<Partner> {
        let sql = format!("SELECT {COLUMNS} FROM partners WHERE id = $1 AND collaboration_id = $2");
        let row: Option<Row> = dispatch!(self, |pool| sqlx::query_as(&sql).bind(id.0).bind(collaboration.0).fetch_optional(pool).await)?;
        row.ok_or(StoreError::NotFound)?.try_into()
    }

    pub async fn create_partner(&self, actor: &Actor, collaboration: CollaborationId, new: &NewPartner) -> Result<Partner> {
        let mut tx = self.begin().await?;
        let sql = format!(
            "INSERT INTO partners (collaboration_id, name, sector, ring, description, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 1, $6, $6) RETURNING {COLUMNS}"
        );
        let row: Row = on_tx!(&mut tx, |c| sqlx::query_as(&sql)
            .bind(collaboration.0)
            .bind(&new.name)
            .bind(new.sector.code())
            .bind(new.ring.code())
            .bind(&new.description)
            .bind(now())
            .fetch_one(c)
            .await)?;
        tx.audit(actor, Some(collaboration.0), "partner.create", &format!("partner:{}", row.id), "ok").await?;
        tx.commit().await?;
        row.try_into()
    }

    pub async fn update_partner(&self, actor: &Actor, collaboration: CollaborationId, id: PartnerId, version: i64, new: &NewPartner) -> Result<Partner> {
        let mut tx = self.begin().await?;
        update_versioned!(
            &mut tx,
            actor,
            Versioned::of("partners", collaboration, id.0, version),
            "name = $1, sector = $2, ring = $3, description = $4",
            [&new.name, new.sector.code(), new.ring.code(), &new.description],
            "partner.update",
            &format!("partner:{id}")
        );
        tx.commit().await?;
        let NewPartner { name, sector, ring, description } = new.clone();
        Ok(Partner { id, collaboration_id: collaboration, name, sector, ring, description, version: version + 1 })
    }

    pub async fn delete_partner(&self, actor: &Actor, collaboration: CollaborationId, id: PartnerId) -> Result<()> {
        self.delete_owned(actor, "partners", collaboration.0, id.0, ("partner", "partner")).await
    }
}
