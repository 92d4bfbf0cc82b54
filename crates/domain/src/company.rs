//! "Wie missen we nog?": which sectors a collaboration of this age focus is expected to have
//! around the table and does not, and which inner-ring partners have no ambassador.
//!
//! The expected sectors follow the guide's "whom do you need" list and the sectors the
//! documents add (youth work, samenwerkingsverbanden, safety); some sectors only matter for
//! one side of the age split at 12.

use crate::collaboration::AgeFocus;
use crate::ids::PartnerId;
use crate::partner::{Partner, Ring, Sector};
use crate::person::{Person, PersonRole};
use serde::Serialize;

/// Sectors the documents say are easily forgotten: they are shown first and highlighted.
pub const OFTEN_FORGOTTEN: &[Sector] =
    &[Sector::Kinderopvang, Sector::Mbo, Sector::WelzijnJongerenwerk, Sector::Zorgverzekeraar, Sector::Ouders, Sector::Jongeren];

/// The sectors a collaboration with this age focus is expected to include.
pub fn expected_sectors(focus: AgeFocus) -> Vec<Sector> {
    use Sector::*;
    let common = [
        Gemeente,
        Ouders,
        Jongeren,
        Jeugdhulp,
        Jeugdgezondheidszorg,
        WelzijnJongerenwerk,
        Samenwerkingsverband,
        SportCultuur,
        Bibliotheek,
        Opleidingsinstituut,
    ];
    let young: &[Sector] = &[Kinderopvang, PrimairOnderwijs, SpeciaalOnderwijs];
    let older: &[Sector] = &[VoortgezetOnderwijs, Mbo, PolitieVeiligheid, Zorgverzekeraar];
    let mut sectors: Vec<Sector> = common.to_vec();
    match focus {
        AgeFocus::Under12 => sectors.extend_from_slice(young),
        AgeFocus::Over12 => sectors.extend_from_slice(older),
        AgeFocus::Both => {
            sectors.extend_from_slice(young);
            sectors.extend_from_slice(older);
        }
    }
    sectors.sort();
    sectors
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MissingSector {
    pub sector: Sector,
    pub often_forgotten: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CompanyCheck {
    /// Often-forgotten sectors first, then the others, each group in list order.
    pub missing: Vec<MissingSector>,
    /// Inner-ring partners with no ambassador who is still active.
    pub inner_ring_without_ambassador: Vec<PartnerId>,
}

pub fn check(focus: AgeFocus, partners: &[Partner], people: &[Person]) -> CompanyCheck {
    let mut missing: Vec<MissingSector> = expected_sectors(focus)
        .into_iter()
        .filter(|sector| !partners.iter().any(|p| p.sector == *sector))
        .map(|sector| MissingSector { sector, often_forgotten: OFTEN_FORGOTTEN.contains(&sector) })
        .collect();
    missing.sort_by_key(|m| (!m.often_forgotten, m.sector));
    let inner_ring_without_ambassador = partners
        .iter()
        .filter(|p| p.ring == Ring::Binnenring)
        .filter(|p| !people.iter().any(|person| !person.left && person.partner_id == Some(p.id) && person.roles.contains(&PersonRole::Ambassadeur)))
        .map(|p| p.id)
        .collect();
    CompanyCheck { missing, inner_ring_without_ambassador }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{CollaborationId, PersonId};

    fn partner(id: i64, sector: Sector, ring: Ring) -> Partner {
        Partner { id: PartnerId(id), collaboration_id: CollaborationId(1), name: format!("p{id}"), sector, ring, description: String::new(), version: 1 }
    }

    fn ambassador(partner: i64, left: bool) -> Person {
        Person {
            id: PersonId(partner * 10),
            collaboration_id: CollaborationId(1),
            partner_id: Some(PartnerId(partner)),
            name: "a".into(),
            email: String::new(),
            function: String::new(),
            roles: vec![PersonRole::Ambassadeur],
            left,
            version: 1,
        }
    }

    #[test]
    fn young_focus_does_not_ask_for_mbo_but_older_does() {
        assert!(!expected_sectors(AgeFocus::Under12).contains(&Sector::Mbo));
        assert!(expected_sectors(AgeFocus::Over12).contains(&Sector::Mbo));
        assert!(expected_sectors(AgeFocus::Both).contains(&Sector::Kinderopvang));
        assert!(!expected_sectors(AgeFocus::Both).contains(&Sector::Overig));
    }

    #[test]
    fn often_forgotten_sectors_come_first_and_present_ones_are_left_out() {
        let partners = [partner(1, Sector::Gemeente, Ring::Binnenring), partner(2, Sector::Ouders, Ring::Buitenring)];
        let result = check(AgeFocus::Both, &partners, &[]);
        assert!(result.missing.iter().all(|m| m.sector != Sector::Gemeente && m.sector != Sector::Ouders));
        let first_plain = result.missing.iter().position(|m| !m.often_forgotten).expect("some");
        assert!(result.missing[..first_plain].iter().all(|m| m.often_forgotten));
        assert!(result.missing[first_plain..].iter().all(|m| !m.often_forgotten));
        assert_eq!(result.missing[0].sector, Sector::Kinderopvang);
    }

    #[test]
    fn inner_ring_partner_needs_an_active_ambassador() {
        let partners =
            [partner(1, Sector::Gemeente, Ring::Binnenring), partner(2, Sector::Mbo, Ring::Binnenring), partner(3, Sector::Bibliotheek, Ring::Buitenring)];
        let people = [ambassador(1, false), ambassador(2, true)];
        assert_eq!(check(AgeFocus::Over12, &partners, &people).inner_ring_without_ambassador, [PartnerId(2)]);
    }
}
