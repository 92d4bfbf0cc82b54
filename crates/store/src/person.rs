//! People in a collaboration and their roles in it.

use crate::{Actor, Db, Result, StoreError, Tx, Versioned, belongs, code, dispatch, now, on_tx, update_versioned};
use domain::ids::{CollaborationId, PartnerId, PersonId};
use domain::person::{NewPerson, Person, PersonRole};

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    collaboration_id: i64,
    partner_id: Option<i64>,
    name: String,
    email: String,
    function: String,
    has_left: bool,
    version: i64,
}

const COLUMNS: &str = "id, collaboration_id, partner_id, name, email, function, has_left, version";

impl Row {
    fn into_domain(self, roles: &[(i64, String)]) -> Result<Person> {
        let roles =
            roles.iter().filter(|(person, _)| *person == self.id).map(|(_, r)| code(r, PersonRole::from_code, "person_roles")).collect::<Result<Vec<_>>>()?;
        Ok(Person {
            id: PersonId(self.id),
            collaboration_id: CollaborationId(self.collaboration_id),
            partner_id: self.partner_id.map(PartnerId),
            name: self.name,
            email: self.email,
            function: self.function,
            roles,
            left: self.has_left,
            version: self.version,
        })
    }
}

impl Tx {
    /// Replaces the roles of a person of the collaboration; another's person keeps theirs.
    async fn set_person_roles(&mut self, collaboration: CollaborationId, person: i64, roles: &[PersonRole]) -> Result<()> {
        let sql = "DELETE FROM person_roles WHERE person_id = $1 AND person_id IN (SELECT id FROM people WHERE collaboration_id = $2)";
        on_tx!(self, |c| sqlx::query(sql).bind(person).bind(collaboration.0).execute(c).await.map(|r| r.rows_affected()))?;
        for role in roles {
            let sql = "INSERT INTO person_roles (person_id, role) SELECT id, $2 FROM people WHERE id = $1 AND collaboration_id = $3";
            on_tx!(self, |c| sqlx::query(sql).bind(person).bind(role.code()).bind(collaboration.0).execute(c).await.map(|r| r.rows_affected()))?;
        }
        Ok(())
    }
}

impl Db {
    async fn roles_in(&self, collaboration: CollaborationId) -> Result<Vec<(i64, String)>> {
        let sql = "SELECT r.person_id, r.role FROM person_roles r JOIN people p ON p.id = r.person_id WHERE p.collaboration_id = $1 ORDER BY r.role";
        Ok(dispatch!(self, |pool| sqlx::query_as(sql).bind(collaboration.0).fetch_all(pool).await)?)
    }

    pub async fn people(&self, collaboration: CollaborationId) -> Result<Vec<Person>> {
        let sql = format!("SELECT {COLUMNS} FROM people WHERE collaboration_id = $1 ORDER BY lower(name), id");
        let rows: Vec<Row> = dispatch!(self, |pool| sqlx::query_as(&sql).bind(collaboration.0).fetch_all(pool).await)?;
        let roles = self.roles_in(collaboration).await?;
        rows.into_iter().map(|r| r.into_domain(&roles)).collect()
    }

    pub async fn person(&self, collaboration: CollaborationId, id: PersonId) -> Result<Person> {
        let sql = format!("SELECT {COLUMNS} FROM people WHERE id = $1 AND collaboration_id = $2");
        let row: Option<Row> = dispatch!(self, |pool| sqlx::query_as(&sql).bind(id.0).bind(collaboration.0).fetch_optional(pool).await)?;
        let roles = self.roles_in(collaboration).await?;
        row.ok_or(StoreError::NotFound)?.into_domain(&roles)
    }

    pub async fn create_person(&self, actor: &Actor, collaboration: CollaborationId, new: &NewPerson) -> Result<Person> {
        let mut tx = self.begin().await?;
        belongs(&mut tx, "partners", new.partner_id.map(|p| p.0), collaboration.0, "partner_id").await?;
        let sql = "INSERT INTO people (collaboration_id, partner_id, name, email, function, has_left, version, created_at, updated_at) \
                   VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7) RETURNING id";
        let id: i64 = on_tx!(&mut tx, |c| sqlx::query_scalar(sql)
            .bind(collaboration.0)
            .bind(new.partner_id.map(|p| p.0))
            .bind(&new.name)
            .bind(&new.email)
            .bind(&new.function)
            .bind(new.left)
            .bind(now())
            .fetch_one(c)
            .await)?;
        tx.set_person_roles(collaboration, id, &new.roles).await?;
        tx.audit(actor, Some(collaboration.0), "person.create", &format!("persoon:{id}"), "ok").await?;
        tx.commit().await?;
        self.person(collaboration, PersonId(id)).await
    }

    pub async fn update_person(&self, actor: &Actor, collaboration: CollaborationId, id: PersonId, version: i64, new: &NewPerson) -> Result<Person> {
        let mut tx = self.begin().await?;
        belongs(&mut tx, "partners", new.partner_id.map(|p| p.0), collaboration.0, "partner_id").await?;
        update_versioned!(
            &mut tx,
            actor,
            Versioned::of("people", collaboration, id.0, version),
            "partner_id = $1, name = $2, email = $3, function = $4, has_left = $5",
            [new.partner_id.map(|p| p.0), &new.name, &new.email, &new.function, new.left],
            "person.update",
            &format!("persoon:{id}")
        );
        tx.set_person_roles(collaboration, id.0, &new.roles).await?;
        tx.commit().await?;
        self.person(collaboration, id).await
    }

    /// Removes a person; the portfolios they held stay and become vacant.
    pub async fn delete_person(&self, actor: &Actor, collaboration: CollaborationId, id: PersonId) -> Result<()> {
        self.delete_owned(actor, "people", collaboration.0, id.0, ("person", "persoon")).await
    }
}
