//! People in the collaboration: named by the partners they work for, with the roles they
//! play in it. No child is ever a person here.

use crate::error::{Invalid, email, optional_text, required_text};
use crate::ids::{CollaborationId, PartnerId, PersonId};
use crate::vocab::vocabulary;
use serde::Deserialize;

vocabulary!(
    PersonRole {
        Regisseur = "regisseur",
        Ambassadeur = "ambassadeur",
        Trekker = "trekker",
        Bestuurder = "bestuurder",
        Beleidsmedewerker = "beleidsmedewerker",
        Professional = "professional",
        Oudervertegenwoordiger = "oudervertegenwoordiger",
        Jongerenvertegenwoordiger = "jongerenvertegenwoordiger",
    }
);

#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    pub id: PersonId,
    pub collaboration_id: CollaborationId,
    pub partner_id: Option<PartnerId>,
    pub name: String,
    pub email: String,
    pub function: String,
    pub roles: Vec<PersonRole>,
    /// Set when the person has left the collaboration; their portfolios become vacant.
    pub left: bool,
    pub version: i64,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct PersonInput {
    pub name: String,
    pub email: String,
    pub function: String,
    #[serde(deserialize_with = "crate::error::lenient_number")]
    pub partner_id: Option<i64>,
    pub roles: Vec<String>,
    #[serde(deserialize_with = "crate::error::lenient_bool")]
    pub left: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewPerson {
    pub name: String,
    pub email: String,
    pub function: String,
    pub partner_id: Option<PartnerId>,
    pub roles: Vec<PersonRole>,
    pub left: bool,
}

impl NewPerson {
    pub fn parse(input: &PersonInput) -> Result<NewPerson, Invalid> {
        let mut errors = Invalid::default();
        let name = required_text(&mut errors, "name", &input.name, 200);
        let email = email(&mut errors, "email", &input.email, false);
        let function = optional_text(&mut errors, "function", &input.function, 200);
        let mut roles = Vec::new();
        for raw in &input.roles {
            match PersonRole::from_code(raw.trim()) {
                Some(role) if !roles.contains(&role) => roles.push(role),
                Some(_) => {}
                None => errors.add("roles", "err.choice"),
            }
        }
        roles.sort();
        errors.or(NewPerson { name, email, function, partner_id: input.partner_id.map(PartnerId), roles, left: input.left })
    }
}
