//! Who may do what in a collaboration. Roles are per collaboration; the instance
//! administrator creates collaborations and accounts but reads a collaboration only as a
//! member of it.

use crate::vocab::vocabulary;

vocabulary!(
    /// A user's role in one collaboration.
    Role { Beheerder = "beheerder", Lid = "lid", Lezer = "lezer" }
);

/// What a request wants to do inside a collaboration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Read partners, people, portfolios, the company check.
    Read,
    /// Add and change partners, people and portfolios.
    Edit,
    /// Delete, manage members and settings, read the audit log.
    Manage,
}

impl Role {
    pub fn allows(self, action: Action) -> bool {
        match action {
            Action::Read => true,
            Action::Edit => matches!(self, Role::Beheerder | Role::Lid),
            Action::Manage => self == Role::Beheerder,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_nested() {
        let table = [(Role::Beheerder, [true, true, true]), (Role::Lid, [true, true, false]), (Role::Lezer, [true, false, false])];
        for (role, expected) in table {
            let got = [Action::Read, Action::Edit, Action::Manage].map(|a| role.allows(a));
            assert_eq!(got, expected, "{role}");
        }
    }
}
