//! Meetings and their action points. A meeting's agenda, attendance and minutes are one JSON
//! document with a version; its body is a column with a foreign key, so deleting a body keeps
//! its meetings (without a body) rather than losing their minutes.

use crate::{Actor, Db, Result, StoreError, Tx, Versioned, belongs, code, dispatch, now, on_tx, update_versioned};
use domain::ids::CollaborationId;
use domain::meeting::{ActionPoint, ActionStatus, MeetingContent};

#[derive(Debug, Clone, PartialEq)]
pub struct Meeting {
    pub id: i64,
    pub version: i64,
    pub content: MeetingContent,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ActionPointRow {
    pub id: i64,
    pub collaboration_id: i64,
    pub meeting_id: i64,
    pub version: i64,
    pub point: ActionPoint,
}

fn decode(json: &str, body: Option<i64>) -> Result<MeetingContent> {
    let mut content: MeetingContent = serde_json::from_str(json).map_err(|_| StoreError::Corrupt("meetings"))?;
    content.body = body;
    Ok(content)
}

fn encode(content: &MeetingContent) -> Result<String> {
    serde_json::to_string(content).map_err(|_| StoreError::Corrupt("meetings"))
}

impl Tx {
    async fn check_meeting(&mut self, collaboration: CollaborationId, content: &MeetingContent) -> Result<()> {
        belongs(self, "bodies", content.body, collaboration.0, "body").await?;
        for agreement in content.agreements() {
            belongs(self, "agreements", Some(agreement), collaboration.0, "items").await?;
        }
        for indicator in content.indicators() {
            belongs(self, "indicators", Some(indicator), collaboration.0, "items").await?;
        }
        for a in &content.attendance {
            belongs(self, "people", Some(a.person), collaboration.0, "attendance").await?;
        }
        Ok(())
    }

    async fn check_owner(&mut self, collaboration: CollaborationId, point: &ActionPoint) -> Result<()> {
        let Some(owner) = point.owner else { return Ok(()) };
        let sql = "SELECT COUNT(*) FROM memberships WHERE user_id = $1 AND collaboration_id = $2";
        let found: i64 = on_tx!(self, |c| sqlx::query_scalar(sql).bind(owner).bind(collaboration.0).fetch_one(c).await)?;
        if found == 1 { Ok(()) } else { Err(StoreError::Reference("owner")) }
    }
}

const POINT_COLUMNS: &str = "id, collaboration_id, meeting_id, version, title, owner_id, due, status";

type PointTuple = (i64, i64, i64, i64, String, Option<i64>, String, String);

fn point_row((id, collaboration_id, meeting_id, version, title, owner, due, status): PointTuple) -> Result<ActionPointRow> {
    let status = code(&status, ActionStatus::from_code, "action_points")?;
    Ok(ActionPointRow { id, collaboration_id, meeting_id, version, point: ActionPoint { title, owner, due, status } })
}

impl Db {
    /// The collaboration's meetings by date.
    pub async fn meetings(&self, collaboration: CollaborationId) -> Result<Vec<Meeting>> {
        let sql = "SELECT id, version, content, body_id FROM meetings WHERE collaboration_id = $1 ORDER BY date, id";
        let rows: Vec<(i64, i64, String, Option<i64>)> = dispatch!(self, |pool| sqlx::query_as(sql).bind(collaboration.0).fetch_all(pool).await)?;
        rows.into_iter().map(|(id, version, json, body)| Ok(Meeting { id, version, content: decode(&json, body)? })).collect()
    }

    pub async fn meeting(&self, collaboration: CollaborationId, id: i64) -> Result<Meeting> {
        let sql = "SELECT id, version, content, body_id FROM meetings WHERE id = $1 AND collaboration_id = $2";
        let row: Option<(i64, i64, String, Option<i64>)> =
            dispatch!(self, |pool| sqlx::query_as(sql).bind(id).bind(collaboration.0).fetch_optional(pool).await)?;
        let (id, version, json, body) = row.ok_or(StoreError::NotFound)?;
        Ok(Meeting { id, version, content: decode(&json, body)? })
    }

    /// Plans one meeting or a series, all or none.
    pub async fn create_meetings(&self, actor: &Actor, collaboration: CollaborationId, planned: &[MeetingContent]) -> Result<Vec<Meeting>> {
        let mut tx = self.begin().await?;
        let mut created = Vec::new();
        for content in planned {
            tx.check_meeting(collaboration, content).await?;
            let json = encode(content)?;
            let sql = "INSERT INTO meetings (collaboration_id, body_id, date, content, version, created_at, updated_at) VALUES ($1, $2, $3, $4, 1, $5, $5) RETURNING id";
            let id: i64 = on_tx!(&mut tx, |c| sqlx::query_scalar(sql)
                .bind(collaboration.0)
                .bind(content.body)
                .bind(&content.date)
                .bind(&json)
                .bind(now())
                .fetch_one(c)
                .await)?;
            tx.audit(actor, Some(collaboration.0), "meeting.create", &format!("vergadering:{id} {}", content.date), "ok").await?;
            created.push(Meeting { id, version: 1, content: content.clone() });
        }
        tx.commit().await?;
        Ok(created)
    }

    /// Saves the meeting if it is still at `version`; a stale one is a conflict.
    pub async fn update_meeting(&self, actor: &Actor, collaboration: CollaborationId, id: i64, version: i64, content: &MeetingContent) -> Result<Meeting> {
        let json = encode(content)?;
        let mut tx = self.begin().await?;
        tx.check_meeting(collaboration, content).await?;
        update_versioned!(
            &mut tx,
            actor,
            Versioned::of("meetings", collaboration, id, version),
            "body_id = $1, date = $2, content = $3",
            [content.body, &content.date, &json],
            "meeting.update",
            &format!("vergadering:{id}")
        );
        tx.commit().await?;
        Ok(Meeting { id, version: version + 1, content: content.clone() })
    }

    pub async fn delete_meeting(&self, actor: &Actor, collaboration: CollaborationId, id: i64) -> Result<()> {
        self.delete_owned(actor, "meetings", collaboration.0, id, ("meeting", "vergadering")).await
    }

    /// The action points of one meeting, or of the whole collaboration.
    pub async fn action_points(&self, collaboration: CollaborationId, meeting: Option<i64>) -> Result<Vec<ActionPointRow>> {
        let sql =
            format!("SELECT {POINT_COLUMNS} FROM action_points WHERE collaboration_id = $1 AND ($2 IS NULL OR meeting_id = $2) ORDER BY due = '', due, id");
        let rows: Vec<PointTuple> = dispatch!(self, |pool| sqlx::query_as(&sql).bind(collaboration.0).bind(meeting).fetch_all(pool).await)?;
        rows.into_iter().map(point_row).collect()
    }

    /// A person's action points in every collaboration they are still a member of.
    pub async fn my_action_points(&self, user: i64) -> Result<Vec<ActionPointRow>> {
        let sql = format!(
            "SELECT {POINT_COLUMNS} FROM action_points a WHERE owner_id = $1 \
             AND EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = a.owner_id AND m.collaboration_id = a.collaboration_id) \
             ORDER BY status = 'gedaan', due = '', due, id"
        );
        let rows: Vec<PointTuple> = dispatch!(self, |pool| sqlx::query_as(&sql).bind(user).fetch_all(pool).await)?;
        rows.into_iter().map(point_row).collect()
    }

    pub async fn action_point(&self, collaboration: CollaborationId, id: i64) -> Result<ActionPointRow> {
        let sql = format!("SELECT {POINT_COLUMNS} FROM action_points WHERE id = $1 AND collaboration_id = $2");
        let row: Option<PointTuple> = dispatch!(self, |pool| sqlx::query_as(&sql).bind(id).bind(collaboration.0).fetch_optional(pool).await)?;
        point_row(row.ok_or(StoreError::NotFound)?)
    }

    pub async fn create_action_point(&self, actor: &Actor, collaboration: CollaborationId, meeting: i64, point: &ActionPoint) -> Result<ActionPointRow> {
        let mut tx = self.begin().await?;
        belongs(&mut tx, "meetings", Some(meeting), collaboration.0, "meeting").await.map_err(|_| StoreError::NotFound)?;
        tx.check_owner(collaboration, point).await?;
        let sql = "INSERT INTO action_points (collaboration_id, meeting_id, title, owner_id, due, status, version, created_at, updated_at) \
                   VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7) RETURNING id";
        let id: i64 = on_tx!(&mut tx, |c| sqlx::query_scalar(sql)
            .bind(collaboration.0)
            .bind(meeting)
            .bind(&point.title)
            .bind(point.owner)
            .bind(&point.due)
            .bind(point.status.code())
            .bind(now())
            .fetch_one(c)
            .await)?;
        tx.audit(actor, Some(collaboration.0), "action.create", &format!("actiepunt:{id} vergadering:{meeting}"), "ok").await?;
        tx.commit().await?;
        Ok(ActionPointRow { id, collaboration_id: collaboration.0, meeting_id: meeting, version: 1, point: point.clone() })
    }

    pub async fn update_action_point(
        &self,
        actor: &Actor,
        collaboration: CollaborationId,
        id: i64,
        version: i64,
        point: &ActionPoint,
    ) -> Result<ActionPointRow> {
        let mut tx = self.begin().await?;
        tx.check_owner(collaboration, point).await?;
        update_versioned!(
            &mut tx,
            actor,
            Versioned::of("action_points", collaboration, id, version),
            "title = $1, owner_id = $2, due = $3, status = $4",
            [&point.title, point.owner, &point.due, point.status.code()],
            "action.update",
            &format!("actiepunt:{id} {}", point.status)
        );
        tx.commit().await?;
        let row = self.action_point(collaboration, id).await?;
        Ok(row)
    }
}
