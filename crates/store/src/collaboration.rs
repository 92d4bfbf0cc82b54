//! Collaborations, their area codes and their members (a user's role in each).

use crate::{Actor, Db, Result, StoreError, Tx, Versioned, code, dispatch, now, on_tx, update_versioned};
use domain::access::Role;
use domain::area::AreaCode;
use domain::collaboration::{AgeFocus, Collaboration, CollaborationStatus, NewCollaboration, Scale};
use domain::ids::{CollaborationId, UserId};

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    name: String,
    description: String,
    scale: String,
    age_focus: String,
    status: String,
    area_year: i32,
    version: i64,
}

const COLUMNS: &str = "id, name, description, scale, age_focus, status, area_year, version";

/// What the instance administrator sees of a collaboration: its name, status, creation and
/// first beheerder; never its members or content.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CollaborationSummary {
    pub id: i64,
    pub name: String,
    pub status: String,
    pub created_at: i64,
    pub beheerder_name: Option<String>,
    pub beheerder_email: Option<String>,
}

const SUMMARY: &str = "SELECT c.id, c.name, c.status, c.created_at, u.name AS beheerder_name, u.email AS beheerder_email \
                       FROM collaborations c LEFT JOIN users u ON u.id = c.first_beheerder_id";

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Member {
    pub user_id: i64,
    pub email: String,
    pub name: String,
    pub role: String,
}

impl Member {
    pub fn role(&self) -> Option<Role> {
        Role::from_code(&self.role)
    }
}

impl Row {
    fn into_domain(self, area_codes: Vec<AreaCode>) -> Result<Collaboration> {
        Ok(Collaboration {
            id: CollaborationId(self.id),
            name: self.name,
            description: self.description,
            scale: code(&self.scale, Scale::from_code, "collaborations")?,
            area_codes,
            area_year: self.area_year,
            age_focus: code(&self.age_focus, AgeFocus::from_code, "collaborations")?,
            status: code(&self.status, CollaborationStatus::from_code, "collaborations")?,
            version: self.version,
        })
    }
}

impl Tx {
    async fn replace_areas(&mut self, id: i64, codes: &[AreaCode]) -> Result<()> {
        on_tx!(self, |c| sqlx::query("DELETE FROM collaboration_areas WHERE collaboration_id = $1").bind(id).execute(c).await.map(|r| r.rows_affected()))?;
        for (position, area) in codes.iter().enumerate() {
            let sql = "INSERT INTO collaboration_areas (collaboration_id, code, position) VALUES ($1, $2, $3)";
            on_tx!(self, |c| sqlx::query(sql).bind(id).bind(area.as_str()).bind(position as i32).execute(c).await.map(|r| r.rows_affected()))?;
        }
        Ok(())
    }
}

impl Db {
    /// Creates a collaboration with `first_beheerder` as its first beheerder.
    pub async fn create_collaboration(&self, actor: &Actor, new: &NewCollaboration, first_beheerder: UserId) -> Result<Collaboration> {
        let mut tx = self.begin().await?;
        let at = now();
        let sql = "INSERT INTO collaborations (name, description, scale, age_focus, status, area_year, version, created_at, updated_at, first_beheerder_id) \
                   VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7, $8) RETURNING id";
        let id: i64 = on_tx!(&mut tx, |c| sqlx::query_scalar(sql)
            .bind(&new.name)
            .bind(&new.description)
            .bind(new.scale.code())
            .bind(new.age_focus.code())
            .bind(new.status.code())
            .bind(new.area_year)
            .bind(at)
            .bind(first_beheerder.0)
            .fetch_one(c)
            .await)?;
        tx.replace_areas(id, &new.area_codes).await?;
        let sql = "INSERT INTO memberships (collaboration_id, user_id, role) VALUES ($1, $2, $3)";
        on_tx!(&mut tx, |c| sqlx::query(sql).bind(id).bind(first_beheerder.0).bind(Role::Beheerder.code()).execute(c).await.map(|r| r.rows_affected()))?;
        tx.audit(actor, Some(id), "collaboration.create", &format!("samenwerking:{id}"), "ok").await?;
        tx.audit(actor, Some(id), "member.set", &format!("user:{first_beheerder} beheerder"), "ok").await?;
        tx.commit().await?;
        self.collaboration(CollaborationId(id)).await
    }

    pub async fn collaboration(&self, id: CollaborationId) -> Result<Collaboration> {
        let sql = format!("SELECT {COLUMNS} FROM collaborations WHERE id = $1");
        let row: Row = dispatch!(self, |pool| sqlx::query_as(&sql).bind(id.0).fetch_optional(pool).await)?.ok_or(StoreError::NotFound)?;
        let codes: Vec<String> =
            dispatch!(self, |pool| sqlx::query_scalar("SELECT code FROM collaboration_areas WHERE collaboration_id = $1 ORDER BY position")
                .bind(id.0)
                .fetch_all(pool)
                .await)?;
        let codes = codes.iter().map(|c| AreaCode::parse(c).ok_or(StoreError::Corrupt("collaboration_areas"))).collect::<Result<Vec<_>>>()?;
        row.into_domain(codes)
    }

    /// Updates a collaboration if it is still at `version`; a stale version is a conflict.
    pub async fn update_collaboration(&self, actor: &Actor, id: CollaborationId, version: i64, new: &NewCollaboration) -> Result<Collaboration> {
        let mut tx = self.begin().await?;
        let year: Option<i32> =
            on_tx!(&mut tx, |c| sqlx::query_scalar("SELECT area_year FROM collaborations WHERE id = $1").bind(id.0).fetch_optional(c).await)?;
        update_versioned!(
            &mut tx,
            actor,
            Versioned::collaboration(id, version),
            "name = $1, description = $2, scale = $3, age_focus = $4, status = $5, area_year = $6",
            [&new.name, &new.description, new.scale.code(), new.age_focus.code(), new.status.code(), new.area_year],
            "collaboration.update",
            &format!("samenwerking:{id}")
        );
        tx.replace_areas(id.0, &new.area_codes).await?;
        if year.is_some_and(|y| y != new.area_year) {
            // Another classification year judges what is measured whole.
            tx.refresh_rollups_of(id).await?;
        }
        tx.commit().await?;
        self.collaboration(id).await
    }

    /// The collaborations a user is a member of, with the user's role in each.
    pub async fn collaborations_of(&self, user: UserId) -> Result<Vec<(Collaboration, Role)>> {
        let sql =
            "SELECT collaboration_id, role FROM memberships m JOIN collaborations c ON c.id = m.collaboration_id WHERE m.user_id = $1 ORDER BY lower(c.name)";
        let rows: Vec<(i64, String)> = dispatch!(self, |pool| sqlx::query_as(sql).bind(user.0).fetch_all(pool).await)?;
        let mut result = Vec::with_capacity(rows.len());
        for (id, role) in rows {
            result.push((self.collaboration(CollaborationId(id)).await?, code(&role, Role::from_code, "memberships")?));
        }
        Ok(result)
    }

    /// Every collaboration on the instance as the administrator sees it, by name.
    pub async fn collaboration_summaries(&self) -> Result<Vec<CollaborationSummary>> {
        let sql = format!("{SUMMARY} ORDER BY lower(c.name), c.id");
        Ok(dispatch!(self, |pool| sqlx::query_as(&sql).fetch_all(pool).await)?)
    }

    pub async fn collaboration_summary(&self, id: CollaborationId) -> Result<CollaborationSummary> {
        let sql = format!("{SUMMARY} WHERE c.id = $1");
        dispatch!(self, |pool| sqlx::query_as(&sql).bind(id.0).fetch_optional(pool).await)?.ok_or(StoreError::NotFound)
    }

    /// Every collaboration on the instance, for the administrator's overview.
    pub async fn collaboration_ids(&self) -> Result<Vec<CollaborationId>> {
        let ids: Vec<i64> = dispatch!(self, |pool| sqlx::query_scalar("SELECT id FROM collaborations ORDER BY id").fetch_all(pool).await)?;
        Ok(ids.into_iter().map(CollaborationId).collect())
    }

    pub async fn role_of(&self, user: UserId, collaboration: CollaborationId) -> Result<Option<Role>> {
        let role: Option<String> = dispatch!(self, |pool| sqlx::query_scalar("SELECT role FROM memberships WHERE user_id = $1 AND collaboration_id = $2")
            .bind(user.0)
            .bind(collaboration.0)
            .fetch_optional(pool)
            .await)?;
        role.map(|r| code(&r, Role::from_code, "memberships")).transpose()
    }

    pub async fn members(&self, collaboration: CollaborationId) -> Result<Vec<Member>> {
        let sql = "SELECT u.id AS user_id, u.email, u.name, m.role FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.collaboration_id = $1 ORDER BY lower(u.name)";
        Ok(dispatch!(self, |pool| sqlx::query_as(sql).bind(collaboration.0).fetch_all(pool).await)?)
    }

    /// Gives a user a role in the collaboration (adding or changing the membership).
    pub async fn set_member(&self, actor: &Actor, collaboration: CollaborationId, user: UserId, role: Role) -> Result<()> {
        let mut tx = self.begin().await?;
        if role != Role::Beheerder {
            tx.keep_a_beheerder(collaboration, user).await?;
        }
        let sql = "INSERT INTO memberships (collaboration_id, user_id, role) VALUES ($1, $2, $3) ON CONFLICT (collaboration_id, user_id) DO UPDATE SET role = excluded.role";
        on_tx!(&mut tx, |c| sqlx::query(sql).bind(collaboration.0).bind(user.0).bind(role.code()).execute(c).await.map(|r| r.rows_affected()))?;
        tx.audit(actor, Some(collaboration.0), "member.set", &format!("user:{user} {role}"), "ok").await?;
        tx.commit().await
    }

    pub async fn remove_member(&self, actor: &Actor, collaboration: CollaborationId, user: UserId) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.keep_a_beheerder(collaboration, user).await?;
        let gone = on_tx!(&mut tx, |c| sqlx::query("DELETE FROM memberships WHERE collaboration_id = $1 AND user_id = $2")
            .bind(collaboration.0)
            .bind(user.0)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
        if gone == 0 {
            return Err(StoreError::NotFound);
        }
        tx.audit(actor, Some(collaboration.0), "member.remove", &format!("user:{user}"), "ok").await?;
        tx.commit().await
    }
}

impl Tx {
    /// Refuses a change that would leave the collaboration without any beheerder.
    async fn keep_a_beheerder(&mut self, collaboration: CollaborationId, leaving: UserId) -> Result<()> {
        let others: i64 =
            on_tx!(self, |c| sqlx::query_scalar("SELECT COUNT(*) FROM memberships WHERE collaboration_id = $1 AND role = 'beheerder' AND user_id <> $2")
                .bind(collaboration.0)
                .bind(leaving.0)
                .fetch_one(c)
                .await)?;
        if others == 0 { Err(StoreError::Conflict("last_beheerder")) } else { Ok(()) }
    }
}

impl Db {
    /// Whether figures of this collaboration are approved by another member than the one who
    /// submitted them (four eyes).
    pub async fn four_eyes(&self, collaboration: CollaborationId) -> Result<bool> {
        let sql = "SELECT four_eyes FROM collaborations WHERE id = $1";
        dispatch!(self, |pool| sqlx::query_scalar(sql).bind(collaboration.0).fetch_optional(pool).await)?.ok_or(StoreError::NotFound)
    }

    /// Sets or clears four eyes, audited (only when it changes).
    pub async fn set_four_eyes(&self, actor: &Actor, collaboration: CollaborationId, on: bool) -> Result<()> {
        let mut tx = self.begin().await?;
        let sql = "UPDATE collaborations SET four_eyes = $1 WHERE id = $2 AND four_eyes <> $1";
        let changed = on_tx!(&mut tx, |c| sqlx::query(sql).bind(on).bind(collaboration.0).execute(c).await.map(|r| r.rows_affected()))?;
        if changed > 0 {
            tx.audit(
                actor,
                Some(collaboration.0),
                "collaboration.four_eyes",
                &format!("samenwerking:{collaboration} {}", if on { "aan" } else { "uit" }),
                "ok",
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
