//! A collaboration's own working areas (werkgebieden): named sets of CBS areas — a jeugdregio,
//! a samenwerkingsverband, "the wijken of the north" — or of partner locations, each with the
//! buurt it lies in (a kindcentrum with two buildings). They may overlap one another and cut
//! across gemeenten; they are not one tree. A working area's figure is the sum of the parts of
//! its areas, each counted once.
//!
//! A figure over an arbitrary set of areas can give away a secret one: a gemeente's published
//! total minus a working area that holds all of it but one buurt is that buurt. So a working
//! area is a cell of its indicator's publication (`disclosure::publish`), audited with every
//! area and the other working areas it can be subtracted from.

use crate::area::{AreaCode, AreaLevel};
use crate::error::{Invalid, optional_text, required_text};
use crate::measure::Published;
use crate::vocab::vocabulary;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

vocabulary!(
    /// What a working area is made of.
    ScopeKind { Gebieden = "gebieden", Locaties = "locaties" }
);

/// The most members a working area may list.
pub const MAX_MEMBERS: usize = 20_000;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ScopeInput {
    pub name: String,
    /// `gebieden` or `locaties`.
    pub kind: String,
    pub description: String,
    /// One member per line: an area code, optionally after a name and a semicolon
    /// ("Kindcentrum De Boog; BU03440111"). A location needs its name.
    pub members: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Member {
    /// The location's name, or empty for an area.
    pub label: String,
    pub area: AreaCode,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScopeContent {
    pub name: String,
    pub kind: ScopeKind,
    pub description: String,
    pub members: Vec<Member>,
}

impl ScopeContent {
    pub fn parse(input: &ScopeInput) -> Result<ScopeContent, Invalid> {
        let mut errors = Invalid::default();
        let name = required_text(&mut errors, "name", &input.name, 200);
        let description = optional_text(&mut errors, "description", &input.description, 2_000);
        let kind = ScopeKind::from_code(input.kind.trim());
        if kind.is_none() {
            errors.add("kind", "err.choice");
        }
        let mut members = Vec::new();
        for line in input.members.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let (label, code) = match line.rsplit_once(';') {
                Some((label, code)) => (label.trim(), code),
                None => ("", line),
            };
            match AreaCode::parse(code) {
                Some(area) if !(kind == Some(ScopeKind::Locaties) && (label.is_empty() || area.level() != AreaLevel::Buurt)) => {
                    members.push(Member { label: label.chars().take(200).collect(), area })
                }
                _ => {
                    errors.add("members", if kind == Some(ScopeKind::Locaties) { "err.scope_location" } else { "err.scope_area" });
                    break;
                }
            }
        }
        if members.is_empty() && errors.for_field("members").is_none() {
            errors.add("members", "err.required");
        }
        if members.len() > MAX_MEMBERS {
            errors.add("members", "err.too_long");
        }
        errors.or(ScopeContent { name, kind: kind.unwrap_or(ScopeKind::Gebieden), description, members })
    }

    pub fn input(&self) -> ScopeInput {
        let members = self.members.iter().map(|m| if m.label.is_empty() { m.area.to_string() } else { format!("{}; {}", m.label, m.area) }).collect::<Vec<_>>();
        ScopeInput { name: self.name.clone(), kind: self.kind.code().into(), description: self.description.clone(), members: members.join("\n") }
    }

    /// The areas whose figures add up to the working area's: each once, and none that lies
    /// inside another member (a buurt of a listed wijk is in the wijk's figure already).
    pub fn covering(&self) -> Vec<AreaCode> {
        covering(self.members.iter().map(|m| &m.area))
    }
}

/// Whether `outer` holds `inner` (a gemeente its wijken and buurten, a wijk its buurten).
pub fn contains(outer: &AreaCode, inner: &AreaCode) -> bool {
    let (o, i) = (&outer.as_str()[2..], &inner.as_str()[2..]);
    o.len() < i.len() && i.starts_with(o)
}

/// The distinct areas of `members` that lie inside no other member.
pub fn covering<'a>(members: impl IntoIterator<Item = &'a AreaCode>) -> Vec<AreaCode> {
    let distinct: BTreeSet<&AreaCode> = members.into_iter().collect();
    distinct.iter().filter(|a| !distinct.iter().any(|o| contains(o, a))).map(|a| (*a).clone()).collect()
}

/// A working area's figure in one period, as its indicator's publication (`disclosure::publish`)
/// has it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "state", content = "value", rename_all = "snake_case")]
pub enum ScopeFigure {
    /// What may be shown of the sum.
    Published(Published),
    /// Some of its areas have no approved figure in the period: a sum would look whole and not be.
    Incomplete { measured: usize, areas: usize },
    /// Too close to the areas and working areas named (each as "Name (code)" or the working
    /// area's name) to be shown: their difference would give a small number away.
    TooClose { with: Vec<String> },
    /// Itself below the threshold (`below`): secret.
    Small { below: f64 },
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(c: &str) -> AreaCode {
        AreaCode::parse(c).expect("code")
    }

    fn input(kind: &str, members: &str) -> ScopeInput {
        ScopeInput { name: "Noord".into(), kind: kind.into(), description: String::new(), members: members.into() }
    }

    #[test]
    fn members_are_codes_or_named_locations_in_a_buurt() {
        let scope = ScopeContent::parse(&input("gebieden", "gm0344\n\n  WK036301 \nBU03440111")).expect("valid");
        assert_eq!(scope.members.iter().map(|m| m.area.as_str()).collect::<Vec<_>>(), ["GM0344", "WK036301", "BU03440111"]);
        let locations = ScopeContent::parse(&input("locaties", "Kindcentrum De Boog; BU03440111\nDe Boog, dependance; BU03440112")).expect("valid");
        assert_eq!(locations.members[1].label, "De Boog, dependance");
        assert_eq!(ScopeContent::parse(&locations.input()).expect("round trip"), locations);
        for (kind, members, field) in [
            ("gebieden", "GM0344\nXX12", "members"),
            ("locaties", "BU03440111", "members"),
            ("locaties", "De Boog; WK034401", "members"),
            ("gebieden", "", "members"),
            ("land", "GM0344", "kind"),
        ] {
            let err = ScopeContent::parse(&input(kind, members)).expect_err(members);
            assert!(err.for_field(field).is_some(), "{kind} {members:?}");
        }
    }

    #[test]
    fn an_area_inside_another_member_counts_once() {
        let members = [code("WK034401"), code("BU03440111"), code("BU03440211"), code("BU03440211"), code("GM0363"), code("BU0363AD01")];
        assert_eq!(covering(&members), [code("BU03440211"), code("GM0363"), code("WK034401")]);
        assert!(
            contains(&code("GM0344"), &code("BU03440111")) && !contains(&code("GM0344"), &code("GM0344")) && !contains(&code("WK034402"), &code("BU03440111"))
        );
    }
}
