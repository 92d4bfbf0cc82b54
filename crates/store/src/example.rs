//! Collaborations' own practice examples. The built-in ones live in the domain's content.

use crate::{Actor, Db, Result, StoreError, Versioned, dispatch, now, on_tx, update_versioned};
use domain::collaboration::AgeFocus;
use domain::example::{Example, NewExample};
use domain::ids::CollaborationId;
use domain::partner::Sector;

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    collaboration_id: i64,
    place: String,
    age_group: Option<String>,
    themes: String,
    sectors: String,
    title: String,
    summary: String,
    why: String,
    source: String,
    shared: bool,
    version: i64,
}

impl From<Row> for Example {
    fn from(r: Row) -> Example {
        // Own examples are written in one language; both sides of each pair carry it.
        Example {
            key: format!("eigen-{}", r.id),
            place: r.place,
            age_group: r.age_group.as_deref().and_then(AgeFocus::from_code),
            themes: r.themes.split(',').filter_map(|t| t.parse().ok()).collect(),
            sectors: r.sectors.split(',').filter_map(Sector::from_code).collect(),
            title: (r.title.clone(), r.title),
            summary: (r.summary.clone(), r.summary),
            why: (r.why.clone(), r.why),
            source: r.source,
            owner: Some(r.collaboration_id),
            shared: r.shared,
            version: r.version,
        }
    }
}

const COLUMNS: &str = "id, collaboration_id, place, age_group, themes, sectors, title, summary, why, source, shared, version";

fn lists(new: &NewExample) -> (String, String) {
    let themes = new.themes.iter().map(|t| t.to_string()).collect::<Vec<_>>().join(",");
    let sectors = new.sectors.iter().map(|s| s.code()).collect::<Vec<_>>().join(",");
    (themes, sectors)
}

impl Db {
    /// The collaboration's own examples and those other collaborations share.
    pub async fn examples_visible_to(&self, collaboration: CollaborationId) -> Result<Vec<Example>> {
        let sql = format!("SELECT {COLUMNS} FROM examples WHERE collaboration_id = $1 OR shared = TRUE ORDER BY id");
        let rows: Vec<Row> = dispatch!(self, |pool| sqlx::query_as(&sql).bind(collaboration.0).fetch_all(pool).await)?;
        Ok(rows.into_iter().map(Example::from).collect())
    }

    pub async fn create_example(&self, actor: &Actor, collaboration: CollaborationId, new: &NewExample) -> Result<Example> {
        let (themes, sectors) = lists(new);
        let mut tx = self.begin().await?;
        let sql = format!(
            "INSERT INTO examples (collaboration_id, place, age_group, themes, sectors, title, summary, why, source, shared, version, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $11) RETURNING {COLUMNS}"
        );
        let row: Row = on_tx!(&mut tx, |c| sqlx::query_as(&sql)
            .bind(collaboration.0)
            .bind(&new.place)
            .bind(new.age_group.map(|a| a.code()))
            .bind(&themes)
            .bind(&sectors)
            .bind(&new.title)
            .bind(&new.summary)
            .bind(&new.why)
            .bind(&new.source)
            .bind(new.shared)
            .bind(now())
            .fetch_one(c)
            .await)?;
        tx.audit(actor, Some(collaboration.0), "example.create", &format!("voorbeeld:{}", row.id), "ok").await?;
        tx.commit().await?;
        Ok(row.into())
    }

    /// Updates an own example if it is still at `version`.
    pub async fn update_example(&self, actor: &Actor, collaboration: CollaborationId, id: i64, version: i64, new: &NewExample) -> Result<Example> {
        let (themes, sectors) = lists(new);
        let mut tx = self.begin().await?;
        update_versioned!(
            &mut tx,
            actor,
            Versioned::of("examples", collaboration, id, version),
            "place = $1, age_group = $2, themes = $3, sectors = $4, title = $5, summary = $6, why = $7, source = $8, shared = $9",
            [&new.place, new.age_group.map(|a| a.code()), &themes, &sectors, &new.title, &new.summary, &new.why, &new.source, new.shared],
            "example.update",
            &format!("voorbeeld:{id}")
        );
        tx.commit().await?;
        self.examples_visible_to(collaboration).await?.into_iter().find(|e| e.own_id() == Some(id)).ok_or(StoreError::NotFound)
    }

    pub async fn delete_example(&self, actor: &Actor, collaboration: CollaborationId, id: i64) -> Result<()> {
        self.delete_owned(actor, "examples", collaboration.0, id, ("example", "voorbeeld")).await
    }
}
