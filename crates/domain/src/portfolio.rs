//! Portfolios (portefeuilles): a responsibility with its mandate that belongs to the
//! collaboration, not to a person, so it survives when its holder leaves.

use crate::error::{Invalid, optional_text, required_text};
use crate::ids::{CollaborationId, PersonId, PortfolioId};
use serde::Deserialize;

#[derive(Debug, Clone, PartialEq)]
pub struct Portfolio {
    pub id: PortfolioId,
    pub collaboration_id: CollaborationId,
    pub name: String,
    pub mandate: String,
    pub expectations: String,
    pub holder_id: Option<PersonId>,
    pub version: i64,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct PortfolioInput {
    pub name: String,
    pub mandate: String,
    pub expectations: String,
    #[serde(deserialize_with = "crate::error::lenient_number")]
    pub holder_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewPortfolio {
    pub name: String,
    pub mandate: String,
    pub expectations: String,
    pub holder_id: Option<PersonId>,
}

impl NewPortfolio {
    pub fn parse(input: &PortfolioInput) -> Result<NewPortfolio, Invalid> {
        let mut errors = Invalid::default();
        let name = required_text(&mut errors, "name", &input.name, 200);
        let mandate = optional_text(&mut errors, "mandate", &input.mandate, 5000);
        let expectations = optional_text(&mut errors, "expectations", &input.expectations, 5000);
        errors.or(NewPortfolio { name, mandate, expectations, holder_id: input.holder_id.map(PersonId) })
    }
}

/// Why a portfolio has no active holder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vacancy {
    /// Nobody was ever named to hold it.
    NeverHeld,
    /// Its holder has left.
    HolderLeft,
}

/// Whether a portfolio has no active holder, and why.
pub fn vacancy(portfolio: &Portfolio, holder_left: impl Fn(PersonId) -> bool) -> Option<Vacancy> {
    match portfolio.holder_id {
        None => Some(Vacancy::NeverHeld),
        Some(holder) if holder_left(holder) => Some(Vacancy::HolderLeft),
        Some(_) => None,
    }
}

/// A portfolio is vacant when nobody holds it, or its holder has left.
pub fn is_vacant(portfolio: &Portfolio, holder_left: impl Fn(PersonId) -> bool) -> bool {
    vacancy(portfolio, holder_left).is_some()
}
