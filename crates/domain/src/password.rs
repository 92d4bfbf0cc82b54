//! The password policy (OWASP ASVS level 2): at least 12 characters, at most 256, and not
//! built on a commonly used password. Hashing lives in the web layer; this is only the rule.

use crate::error::Invalid;
use std::collections::HashSet;
use std::sync::OnceLock;

pub const MIN_LENGTH: usize = 12;
pub const MAX_LENGTH: usize = 256;

fn common() -> &'static HashSet<&'static str> {
    static LIST: OnceLock<HashSet<&'static str>> = OnceLock::new();
    LIST.get_or_init(|| include_str!("../data/common-passwords.txt").lines().collect())
}

/// Checks a new password; `email` is refused as (part of) the password as well.
pub fn check(password: &str, email: &str) -> Result<(), Invalid> {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        return Err(Invalid::single("password", "err.password_short"));
    }
    if length > MAX_LENGTH {
        return Err(Invalid::single("password", "err.too_long"));
    }
    let lower = password.to_lowercase();
    // A common word with digits or signs around it ("Welkom2024!!") is as guessable as the word.
    let core = lower.trim_matches(|c: char| !c.is_alphabetic());
    let local = email.split('@').next().unwrap_or_default().to_lowercase();
    let distinct = lower.chars().collect::<HashSet<_>>().len();
    let refused = common().contains(lower.as_str())
        || (core.chars().count() >= 4 && common().contains(core))
        || (local.chars().count() >= 4 && lower.contains(&local))
        || distinct < 4
        || is_keyboard_run(&lower);
    if refused { Err(Invalid::single("password", "err.password_common")) } else { Ok(()) }
}

/// "123456789012", "abcdefghijkl": every character one step from the one before.
fn is_keyboard_run(text: &str) -> bool {
    let bytes = text.as_bytes();
    let step = |a: u8, b: u8| a.abs_diff(b) == 1 || (a == b'9' && b == b'0') || (a == b'0' && b == b'9');
    bytes.windows(2).all(|w| step(w[0], w[1]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_short_common_and_derived_passwords() {
        for bad in ["kort", "password1234", "Wachtwoord2024!", "123456789012", "aaaaaaaaaaaaaaa", "QWERTYUIOP123", "janssen-geheim-99"] {
            assert!(check(bad, "janssen@example.nl").is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn accepts_a_long_uncommon_passphrase() {
        assert_eq!(check("paars konijn fietst naar Zwolle", "a@b.nl"), Ok(()));
        assert_eq!(check("Tr0mbone-Lantaarn", "a@b.nl"), Ok(()));
    }
}
