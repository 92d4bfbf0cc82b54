//! Bodies (overleggen) of a collaboration. The reporting line is a column with a foreign key,
//! so deleting a body leaves the bodies below it unconnected rather than pointing nowhere.

use crate::{Actor, Db, Result, StoreError, Tx, Versioned, belongs, dispatch, now, on_tx, update_versioned};
use domain::body::BodyContent;
use domain::ids::CollaborationId;

#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    pub id: i64,
    pub version: i64,
    pub content: BodyContent,
}

fn decode(json: &str, reports_to: Option<i64>) -> Result<BodyContent> {
    let mut content: BodyContent = serde_json::from_str(json).map_err(|_| StoreError::Corrupt("bodies"))?;
    content.reports_to = reports_to;
    Ok(content)
}

impl Tx {
    async fn check_body(&mut self, collaboration: CollaborationId, id: Option<i64>, content: &BodyContent) -> Result<()> {
        if let Some(to) = content.reports_to {
            if Some(to) == id {
                return Err(StoreError::Reference("reports_to"));
            }
            belongs(self, "bodies", Some(to), collaboration.0, "reports_to").await?;
        }
        for partner in &content.partners {
            belongs(self, "partners", Some(*partner), collaboration.0, "partners").await?;
        }
        Ok(())
    }
}

impl Db {
    pub async fn bodies(&self, collaboration: CollaborationId) -> Result<Vec<Body>> {
        let sql = "SELECT id, version, content, reports_to FROM bodies WHERE collaboration_id = $1 ORDER BY id";
        let rows: Vec<(i64, i64, String, Option<i64>)> = dispatch!(self, |pool| sqlx::query_as(sql).bind(collaboration.0).fetch_all(pool).await)?;
        let partners: Vec<i64> = self.partners(collaboration).await?.iter().map(|p| p.id.0).collect();
        rows.into_iter()
            .map(|(id, version, json, reports_to)| {
                let mut content = decode(&json, reports_to)?;
                // Partners removed since keep no seat.
                content.partners.retain(|p| partners.contains(p));
                Ok(Body { id, version, content })
            })
            .collect()
    }

    pub async fn body(&self, collaboration: CollaborationId, id: i64) -> Result<Body> {
        self.bodies(collaboration).await?.into_iter().find(|b| b.id == id).ok_or(StoreError::NotFound)
    }

    pub async fn create_body(&self, actor: &Actor, collaboration: CollaborationId, content: &BodyContent) -> Result<Body> {
        let json = serde_json::to_string(content).map_err(|_| StoreError::Corrupt("bodies"))?;
        let mut tx = self.begin().await?;
        tx.check_body(collaboration, None, content).await?;
        let sql = "INSERT INTO bodies (collaboration_id, name, level, reports_to, content, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 1, $6, $6) RETURNING id";
        let id: i64 = on_tx!(&mut tx, |c| sqlx::query_scalar(sql)
            .bind(collaboration.0)
            .bind(&content.name)
            .bind(content.level.code())
            .bind(content.reports_to)
            .bind(&json)
            .bind(now())
            .fetch_one(c)
            .await)?;
        tx.audit(actor, Some(collaboration.0), "body.create", &format!("overleg:{id}"), "ok").await?;
        tx.commit().await?;
        Ok(Body { id, version: 1, content: content.clone() })
    }

    pub async fn update_body(&self, actor: &Actor, collaboration: CollaborationId, id: i64, version: i64, content: &BodyContent) -> Result<Body> {
        let json = serde_json::to_string(content).map_err(|_| StoreError::Corrupt("bodies"))?;
        let mut tx = self.begin().await?;
        tx.check_body(collaboration, Some(id), content).await?;
        update_versioned!(
            &mut tx,
            actor,
            Versioned::of("bodies", collaboration, id, version),
            "name = $1, level = $2, reports_to = $3, content = $4",
            [&content.name, content.level.code(), content.reports_to, &json],
            "body.update",
            &format!("overleg:{id}")
        );
        tx.commit().await?;
        Ok(Body { id, version: version + 1, content: content.clone() })
    }

    pub async fn delete_body(&self, actor: &Actor, collaboration: CollaborationId, id: i64) -> Result<()> {
        self.delete_owned(actor, "bodies", collaboration.0, id, ("body", "overleg")).await
    }
}
