//! The execution programme: ambitions, goals, activities and their progress notes. An
//! activity is one JSON document with a version; its goal, period, status, people and
//! agreement are columns too, so lists sort in SQL and deleting a person or an agreement
//! leaves the activity without it rather than pointing nowhere. Notes are only ever added.

use crate::{Actor, Db, Result, StoreError, Tx, Versioned, belongs, code, dispatch, now, on_tx, update_versioned};
use domain::ids::CollaborationId;
use domain::programme::{ActivityContent, ActivityStatus, AmbitionContent, GoalContent, StatusChange};

#[derive(Debug, Clone, PartialEq)]
pub struct Ambition {
    pub id: i64,
    pub version: i64,
    pub content: AmbitionContent,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Goal {
    pub id: i64,
    pub ambition_id: i64,
    pub version: i64,
    pub content: GoalContent,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Activity {
    pub id: i64,
    pub goal_id: i64,
    pub version: i64,
    pub content: ActivityContent,
}

/// A progress note: the day it was written, what, and by whom.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub id: i64,
    pub activity_id: i64,
    pub date: String,
    pub text: String,
    pub author: String,
}

type ActivityTuple = (i64, i64, i64, String, String, Option<i64>, Option<i64>, Option<i64>);

const ACTIVITY_COLUMNS: &str = "id, goal_id, version, content, status, trekker_id, owner_id, agreement_id";

fn activity_row((id, goal_id, version, json, status, trekker, owner, agreement): ActivityTuple) -> Result<Activity> {
    let mut content: ActivityContent = serde_json::from_str(&json).map_err(|_| StoreError::Corrupt("programme_activities"))?;
    content.status = code(&status, ActivityStatus::from_code, "programme_activities")?;
    (content.trekker, content.owner, content.agreement) = (trekker, owner, agreement);
    Ok(Activity { id, goal_id, version, content })
}

fn encode(content: &ActivityContent) -> Result<String> {
    serde_json::to_string(content).map_err(|_| StoreError::Corrupt("programme_activities"))
}

impl Tx {
    /// Everything an activity points at must be the collaboration's own.
    async fn check_activity(&mut self, collaboration: CollaborationId, content: &ActivityContent) -> Result<()> {
        for partner in &content.partners {
            belongs(self, "partners", Some(*partner), collaboration.0, "partners").await?;
        }
        belongs(self, "people", content.trekker, collaboration.0, "trekker").await?;
        belongs(self, "people", content.owner, collaboration.0, "owner").await?;
        belongs(self, "agreements", content.agreement, collaboration.0, "agreement").await
    }

    async fn add_note(&mut self, actor: &Actor, collaboration: CollaborationId, activity: i64, date: &str, text: &str) -> Result<Note> {
        let sql = "INSERT INTO programme_notes (collaboration_id, activity_id, date, text, author, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
        let id: i64 = on_tx!(self, |c| sqlx::query_scalar(sql)
            .bind(collaboration.0)
            .bind(activity)
            .bind(date)
            .bind(text)
            .bind(&actor.label)
            .bind(now())
            .fetch_one(c)
            .await)?;
        self.audit(actor, Some(collaboration.0), "activity.note", &format!("activiteit:{activity} notitie:{id}"), "ok").await?;
        Ok(Note { id, activity_id: activity, date: date.to_string(), text: text.to_string(), author: actor.label.clone() })
    }
}

impl Db {
    // ---- ambitions ----

    pub async fn ambitions(&self, collaboration: CollaborationId) -> Result<Vec<Ambition>> {
        let sql = "SELECT id, version, title, description FROM programme_ambitions WHERE collaboration_id = $1 ORDER BY id";
        let rows: Vec<(i64, i64, String, String)> = dispatch!(self, |pool| sqlx::query_as(sql).bind(collaboration.0).fetch_all(pool).await)?;
        Ok(rows.into_iter().map(|(id, version, title, description)| Ambition { id, version, content: AmbitionContent { title, description } }).collect())
    }

    pub async fn ambition(&self, collaboration: CollaborationId, id: i64) -> Result<Ambition> {
        self.ambitions(collaboration).await?.into_iter().find(|a| a.id == id).ok_or(StoreError::NotFound)
    }

    pub async fn create_ambition(&self, actor: &Actor, collaboration: CollaborationId, content: &AmbitionContent) -> Result<Ambition> {
        let mut tx = self.begin().await?;
        let sql = "INSERT INTO programme_ambitions (collaboration_id, title, description, version, created_at, updated_at) VALUES ($1, $2, $3, 1, $4, $4) RETURNING id";
        let id: i64 =
            on_tx!(&mut tx, |c| sqlx::query_scalar(sql).bind(collaboration.0).bind(&content.title).bind(&content.description).bind(now()).fetch_one(c).await)?;
        tx.audit(actor, Some(collaboration.0), "ambition.create", &format!("ambitie:{id}"), "ok").await?;
        tx.commit().await?;
        Ok(Ambition { id, version: 1, content: content.clone() })
    }

    /// Saves the ambition if it is still at `version`; a stale one is a conflict.
    pub async fn update_ambition(&self, actor: &Actor, collaboration: CollaborationId, id: i64, version: i64, content: &AmbitionContent) -> Result<Ambition> {
        let mut tx = self.begin().await?;
        update_versioned!(
            &mut tx,
            actor,
            Versioned::of("programme_ambitions", collaboration, id, version),
            "title = $1, description = $2",
            [&content.title, &content.description],
            "ambition.update",
            &format!("ambitie:{id}")
        );
        tx.commit().await?;
        Ok(Ambition { id, version: version + 1, content: content.clone() })
    }

    // ---- goals ----

    pub async fn goals(&self, collaboration: CollaborationId) -> Result<Vec<Goal>> {
        let sql = "SELECT id, ambition_id, version, title, measure, target_date FROM programme_goals WHERE collaboration_id = $1 ORDER BY id";
        let rows: Vec<(i64, i64, i64, String, String, String)> = dispatch!(self, |pool| sqlx::query_as(sql).bind(collaboration.0).fetch_all(pool).await)?;
        Ok(rows
            .into_iter()
            .map(|(id, ambition_id, version, title, measure, target_date)| Goal {
                id,
                ambition_id,
                version,
                content: GoalContent { title, measure, target_date },
            })
            .collect())
    }

    pub async fn goal(&self, collaboration: CollaborationId, id: i64) -> Result<Goal> {
        self.goals(collaboration).await?.into_iter().find(|g| g.id == id).ok_or(StoreError::NotFound)
    }

    /// Adds a goal under an ambition of the collaboration; another's ambition is not found.
    pub async fn create_goal(&self, actor: &Actor, collaboration: CollaborationId, ambition: i64, content: &GoalContent) -> Result<Goal> {
        let mut tx = self.begin().await?;
        belongs(&mut tx, "programme_ambitions", Some(ambition), collaboration.0, "ambition").await.map_err(|_| StoreError::NotFound)?;
        let sql = "INSERT INTO programme_goals (collaboration_id, ambition_id, title, measure, target_date, version, created_at, updated_at) \
                   VALUES ($1, $2, $3, $4, $5, 1, $6, $6) RETURNING id";
        let id: i64 = on_tx!(&mut tx, |c| sqlx::query_scalar(sql)
            .bind(collaboration.0)
            .bind(ambition)
            .bind(&content.title)
            .bind(&content.measure)
            .bind(&content.target_date)
            .bind(now())
            .fetch_one(c)
            .await)?;
        tx.audit(actor, Some(collaboration.0), "goal.create", &format!("doel:{id} ambitie:{ambition}"), "ok").await?;
        tx.commit().await?;
        Ok(Goal { id, ambition_id: ambition, version: 1, content: content.clone() })
    }

    pub async fn update_goal(&self, actor: &Actor, collaboration: CollaborationId, id: i64, version: i64, content: &GoalContent) -> Result<Goal> {
        let mut tx = self.begin().await?;
        update_versioned!(
            &mut tx,
            actor,
            Versioned::of("programme_goals", collaboration, id, version),
            "title = $1, measure = $2, target_date = $3",
            [&content.title, &content.measure, &content.target_date],
            "goal.update",
            &format!("doel:{id}")
        );
        tx.commit().await?;
        self.goal(collaboration, id).await
    }

    // ---- activities ----

    /// The collaboration's activities by start date. Partners removed since drop out.
    pub async fn activities(&self, collaboration: CollaborationId) -> Result<Vec<Activity>> {
        let sql = format!("SELECT {ACTIVITY_COLUMNS} FROM programme_activities WHERE collaboration_id = $1 ORDER BY starts, ends, id");
        let rows: Vec<ActivityTuple> = dispatch!(self, |pool| sqlx::query_as(&sql).bind(collaboration.0).fetch_all(pool).await)?;
        let partners: Vec<i64> = self.partners(collaboration).await?.iter().map(|p| p.id.0).collect();
        rows.into_iter()
            .map(|row| {
                let mut activity = activity_row(row)?;
                activity.content.partners.retain(|p| partners.contains(p));
                Ok(activity)
            })
            .collect()
    }

    pub async fn activity(&self, collaboration: CollaborationId, id: i64) -> Result<Activity> {
        let sql = format!("SELECT {ACTIVITY_COLUMNS} FROM programme_activities WHERE id = $1 AND collaboration_id = $2");
        let row: Option<ActivityTuple> = dispatch!(self, |pool| sqlx::query_as(&sql).bind(id).bind(collaboration.0).fetch_optional(pool).await)?;
        let mut activity = activity_row(row.ok_or(StoreError::NotFound)?)?;
        let partners: Vec<i64> = self.partners(collaboration).await?.iter().map(|p| p.id.0).collect();
        activity.content.partners.retain(|p| partners.contains(p));
        Ok(activity)
    }

    /// Adds an activity under a goal of the collaboration; another's goal is not found.
    pub async fn create_activity(&self, actor: &Actor, collaboration: CollaborationId, goal: i64, content: &ActivityContent) -> Result<Activity> {
        let json = encode(content)?;
        let mut tx = self.begin().await?;
        belongs(&mut tx, "programme_goals", Some(goal), collaboration.0, "goal").await.map_err(|_| StoreError::NotFound)?;
        tx.check_activity(collaboration, content).await?;
        let sql = "INSERT INTO programme_activities (collaboration_id, goal_id, title, starts, ends, status, trekker_id, owner_id, agreement_id, content, version, created_at, updated_at) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $11) RETURNING id";
        let id: i64 = on_tx!(&mut tx, |c| sqlx::query_scalar(sql)
            .bind(collaboration.0)
            .bind(goal)
            .bind(&content.title)
            .bind(&content.starts)
            .bind(&content.ends)
            .bind(content.status.code())
            .bind(content.trekker)
            .bind(content.owner)
            .bind(content.agreement)
            .bind(&json)
            .bind(now())
            .fetch_one(c)
            .await)?;
        tx.audit(actor, Some(collaboration.0), "activity.create", &format!("activiteit:{id} doel:{goal}"), "ok").await?;
        tx.commit().await?;
        Ok(Activity { id, goal_id: goal, version: 1, content: content.clone() })
    }

    /// Saves the activity (its status included) if it is still at `version`.
    pub async fn update_activity(&self, actor: &Actor, collaboration: CollaborationId, id: i64, version: i64, content: &ActivityContent) -> Result<Activity> {
        let json = encode(content)?;
        let mut tx = self.begin().await?;
        tx.check_activity(collaboration, content).await?;
        update_versioned!(
            &mut tx,
            actor,
            Versioned::of("programme_activities", collaboration, id, version),
            "title = $1, starts = $2, ends = $3, status = $4, trekker_id = $5, owner_id = $6, agreement_id = $7, content = $8",
            [&content.title, &content.starts, &content.ends, content.status.code(), content.trekker, content.owner, content.agreement, &json],
            "activity.update",
            &format!("activiteit:{id}")
        );
        tx.commit().await?;
        self.activity(collaboration, id).await
    }

    /// Changes the status if the activity is still at `version`, and keeps what happened as a
    /// progress note dated `today`, in the same transaction.
    pub async fn change_activity_status(
        &self,
        actor: &Actor,
        collaboration: CollaborationId,
        id: i64,
        version: i64,
        change: &StatusChange,
        today: &str,
    ) -> Result<Activity> {
        let current = self.activity(collaboration, id).await?;
        let content = ActivityContent { status: change.status, ..current.content };
        let json = encode(&content)?;
        let mut tx = self.begin().await?;
        update_versioned!(
            &mut tx,
            actor,
            Versioned::of("programme_activities", collaboration, id, version),
            "status = $1, content = $2",
            [change.status.code(), &json],
            "activity.status",
            &format!("activiteit:{id} {}", change.status)
        );
        if !change.note.is_empty() {
            tx.add_note(actor, collaboration, id, today, &change.note).await?;
        }
        tx.commit().await?;
        self.activity(collaboration, id).await
    }

    /// Adds a progress note to an activity of the collaboration; notes are never changed.
    pub async fn add_progress_note(&self, actor: &Actor, collaboration: CollaborationId, activity: i64, today: &str, text: &str) -> Result<Note> {
        let mut tx = self.begin().await?;
        belongs(&mut tx, "programme_activities", Some(activity), collaboration.0, "activity").await.map_err(|_| StoreError::NotFound)?;
        let note = tx.add_note(actor, collaboration, activity, today, text).await?;
        tx.commit().await?;
        Ok(note)
    }

    /// The progress notes of one activity, or of all, newest first.
    pub async fn progress_notes(&self, collaboration: CollaborationId, activity: Option<i64>) -> Result<Vec<Note>> {
        let sql = "SELECT id, activity_id, date, text, author FROM programme_notes WHERE collaboration_id = $1 AND ($2 IS NULL OR activity_id = $2) \
                   ORDER BY date DESC, id DESC";
        let rows: Vec<(i64, i64, String, String, String)> =
            dispatch!(self, |pool| sqlx::query_as(sql).bind(collaboration.0).bind(activity).fetch_all(pool).await)?;
        Ok(rows.into_iter().map(|(id, activity_id, date, text, author)| Note { id, activity_id, date, text, author }).collect())
    }
}
