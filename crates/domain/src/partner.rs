//! Partner organisations and the sector and ring they belong to.

use crate::error::{Invalid, choice, optional_text, required_text};
use crate::ids::{CollaborationId, PartnerId};
use crate::vocab::vocabulary;
use serde::Deserialize;

vocabulary!(
    /// The sectors the documents name around children and young people.
    Sector {
        Gemeente = "gemeente",
        Kinderopvang = "kinderopvang",
        PrimairOnderwijs = "primair_onderwijs",
        VoortgezetOnderwijs = "voortgezet_onderwijs",
        SpeciaalOnderwijs = "speciaal_onderwijs",
        Mbo = "mbo",
        Samenwerkingsverband = "samenwerkingsverband",
        Jeugdhulp = "jeugdhulp",
        Jeugdgezondheidszorg = "jeugdgezondheidszorg",
        WelzijnJongerenwerk = "welzijn_jongerenwerk",
        SportCultuur = "sport_cultuur",
        Bibliotheek = "bibliotheek",
        Levensbeschouwelijk = "levensbeschouwelijk",
        PolitieVeiligheid = "politie_veiligheid",
        Woningcorporatie = "woningcorporatie",
        Opleidingsinstituut = "opleidingsinstituut",
        Zorgverzekeraar = "zorgverzekeraar",
        Ouders = "ouders",
        Jongeren = "jongeren",
        Overig = "overig",
    }
);

vocabulary!(
    /// Binnenring: the partners who carry the collaboration; buitenring: those who are
    /// involved per topic.
    Ring { Binnenring = "binnenring", Buitenring = "buitenring" }
);

#[derive(Debug, Clone, PartialEq)]
pub struct Partner {
    pub id: PartnerId,
    pub collaboration_id: CollaborationId,
    pub name: String,
    pub sector: Sector,
    pub ring: Ring,
    pub description: String,
    pub version: i64,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct PartnerInput {
    pub name: String,
    pub sector: String,
    pub ring: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewPartner {
    pub name: String,
    pub sector: Sector,
    pub ring: Ring,
    pub description: String,
}

impl NewPartner {
    pub fn parse(input: &PartnerInput) -> Result<NewPartner, Invalid> {
        let mut errors = Invalid::default();
        let name = required_text(&mut errors, "name", &input.name, 200);
        let sector = choice(&mut errors, "sector", &input.sector, Sector::from_code);
        let ring = choice(&mut errors, "ring", &input.ring, Ring::from_code);
        let description = optional_text(&mut errors, "description", &input.description, 5000);
        match (sector, ring) {
            (Some(sector), Some(ring)) => errors.or(NewPartner { name, sector, ring, description }),
            _ => Err(errors),
        }
    }
}
