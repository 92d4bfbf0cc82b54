//! The obstacles register: raised by one collaboration, recognised by others, answered by
//! the regional or national table. Obstacles are visible across the instance by design.

use crate::{Actor, Db, Result, StoreError, code, dispatch, now, on_tx};
use domain::area::AreaCode;
use domain::ids::CollaborationId;
use domain::obstacle::{Category, NewObstacle, Obstacle, ObstacleStatus, Recognition};
use std::collections::HashMap;

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    collaboration_id: i64,
    collaboration_name: String,
    category: String,
    title: String,
    description: String,
    effect: String,
    tried: String,
    status: String,
    response: String,
    created_at: i64,
    version: i64,
}

const SELECT: &str = "SELECT o.id, o.collaboration_id, c.name AS collaboration_name, o.category, o.title, o.description, o.effect, o.tried, o.status, o.response, \
                      o.created_at, o.version FROM obstacles o JOIN collaborations c ON c.id = o.collaboration_id";

impl Db {
    /// Every obstacle on the instance, newest first, with its recognitions and region.
    pub async fn obstacles(&self) -> Result<Vec<Obstacle>> {
        let sql = format!("{SELECT} ORDER BY o.id DESC");
        let rows: Vec<Row> = dispatch!(self, |pool| sqlx::query_as(&sql).fetch_all(pool).await)?;
        let sql = "SELECT r.obstacle_id, r.collaboration_id, c.name, r.context FROM obstacle_recognitions r JOIN collaborations c ON c.id = r.collaboration_id ORDER BY r.created_at";
        let recognitions: Vec<(i64, i64, String, String)> = dispatch!(self, |pool| sqlx::query_as(sql).fetch_all(pool).await)?;
        let areas: Vec<(i64, String)> =
            dispatch!(self, |pool| sqlx::query_as("SELECT collaboration_id, code FROM collaboration_areas ORDER BY collaboration_id, position")
                .fetch_all(pool)
                .await)?;
        let mut region: HashMap<i64, String> = HashMap::new();
        for (collaboration, area) in areas {
            if let Some(area) = AreaCode::parse(&area) {
                let gemeente = area.gemeente();
                let label = match domain::area::gemeente_name(gemeente.as_str()) {
                    Some(name) => format!("{name} ({gemeente})"),
                    None => gemeente.to_string(),
                };
                region.entry(collaboration).or_insert(label);
            }
        }
        rows.into_iter()
            .map(|r| {
                Ok(Obstacle {
                    id: r.id,
                    collaboration_id: r.collaboration_id,
                    collaboration_name: r.collaboration_name,
                    region: region.get(&r.collaboration_id).cloned().unwrap_or_else(|| "onbekend".to_string()),
                    category: code(&r.category, Category::from_code, "obstacles")?,
                    title: r.title,
                    description: r.description,
                    effect: r.effect,
                    tried: r.tried,
                    status: code(&r.status, ObstacleStatus::from_code, "obstacles")?,
                    response: r.response,
                    recognitions: recognitions
                        .iter()
                        .filter(|(o, ..)| *o == r.id)
                        .map(|(_, c, name, context)| Recognition { collaboration_id: *c, collaboration_name: name.clone(), context: context.clone() })
                        .collect(),
                    created_at: r.created_at,
                    version: r.version,
                })
            })
            .collect()
    }

    pub async fn obstacle(&self, id: i64) -> Result<Obstacle> {
        self.obstacles().await?.into_iter().find(|o| o.id == id).ok_or(StoreError::NotFound)
    }

    pub async fn create_obstacle(&self, actor: &Actor, collaboration: CollaborationId, new: &NewObstacle) -> Result<i64> {
        let mut tx = self.begin().await?;
        let sql = "INSERT INTO obstacles (collaboration_id, category, title, description, effect, tried, status, response, version, created_at, updated_at) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, '', 1, $8, $8) RETURNING id";
        let id: i64 = on_tx!(&mut tx, |c| sqlx::query_scalar(sql)
            .bind(collaboration.0)
            .bind(new.category.code())
            .bind(&new.title)
            .bind(&new.description)
            .bind(&new.effect)
            .bind(&new.tried)
            .bind(ObstacleStatus::Ingediend.code())
            .bind(now())
            .fetch_one(c)
            .await)?;
        tx.audit(actor, Some(collaboration.0), "obstacle.create", &format!("knelpunt:{id}"), "ok").await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Records that `collaboration` recognises the obstacle (again: its context is replaced).
    pub async fn recognise_obstacle(&self, actor: &Actor, collaboration: CollaborationId, obstacle: i64, context: &str) -> Result<()> {
        let raised_by = self.obstacle(obstacle).await?.collaboration_id;
        if raised_by == collaboration.0 {
            return Err(StoreError::Conflict("own_obstacle"));
        }
        let mut tx = self.begin().await?;
        let sql = "INSERT INTO obstacle_recognitions (obstacle_id, collaboration_id, context, created_at) VALUES ($1, $2, $3, $4) \
                   ON CONFLICT (obstacle_id, collaboration_id) DO UPDATE SET context = excluded.context";
        on_tx!(&mut tx, |c| sqlx::query(sql).bind(obstacle).bind(collaboration.0).bind(context).bind(now()).execute(c).await.map(|r| r.rows_affected()))?;
        tx.audit(actor, Some(collaboration.0), "obstacle.recognise", &format!("knelpunt:{obstacle}"), "ok").await?;
        tx.commit().await
    }

    /// The regional or national table's answer and status.
    pub async fn respond_to_obstacle(&self, actor: &Actor, obstacle: i64, status: ObstacleStatus, response: &str) -> Result<()> {
        let raised_by = self.obstacle(obstacle).await?.collaboration_id;
        let mut tx = self.begin().await?;
        let at = now();
        let sql = "UPDATE obstacles SET status = $1, response = $2, responded_at = $3, version = version + 1, updated_at = $3 WHERE id = $4";
        on_tx!(&mut tx, |c| sqlx::query(sql).bind(status.code()).bind(response).bind(at).bind(obstacle).execute(c).await.map(|r| r.rows_affected()))?;
        tx.audit(actor, Some(raised_by), "obstacle.respond", &format!("knelpunt:{obstacle} {status}"), "ok").await?;
        tx.commit().await
    }
}
