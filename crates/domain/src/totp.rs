//! Time-based one-time passwords (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits, one step of
//! clock drift either side), the second factor that every authenticator app speaks, through
//! `totp-rs`. Secrets are stored as RFC 4648 base32 without padding, as the apps expect.

use totp_rs::{Algorithm, Secret, TOTP};

pub const STEP_SECONDS: i64 = 30;
const DIGITS: usize = 6;
/// How many steps before and after the current one a code may come from.
const SKEW: i64 = 1;
const ISSUER: &str = "Reisgenoot";

/// The one-time passwords of `secret` as Reisgenoot uses them, for `account` in the app.
fn totp(secret: &[u8], account: &str) -> TOTP {
    // Unchecked: secrets made before (and RFC 6238's own test secret) are 160 bits, but the
    // check would also refuse the 6-digit codes a stored secret of another length gave so far.
    TOTP::new_unchecked(Algorithm::SHA1, DIGITS, 0, STEP_SECONDS as u64, secret.to_vec(), Some(ISSUER.to_string()), account.to_string())
}

/// RFC 4648 base32 without padding, as authenticator apps expect.
pub fn base32_encode(bytes: &[u8]) -> String {
    match Secret::Raw(bytes.to_vec()).to_encoded() {
        Secret::Encoded(text) => text,
        Secret::Raw(_) => unreachable!("to_encoded gives an encoded secret"),
    }
}

/// Reads a base32 secret; spaces, padding and lower case as people type them are allowed.
pub fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let clean: String = text.chars().filter(|c| !c.is_whitespace() && *c != '=').map(|c| c.to_ascii_uppercase()).collect();
    Secret::Encoded(clean).to_bytes().ok()
}

/// The code for the time step `counter`, as a number (RFC 4226 dynamic truncation).
pub fn code_at(secret: &[u8], counter: u64) -> u32 {
    totp(secret, "").generate(counter * STEP_SECONDS as u64).parse().unwrap_or(0)
}

/// The time step of a unix time.
pub fn step(unix_seconds: i64) -> i64 {
    unix_seconds.div_euclid(STEP_SECONDS)
}

/// Checks `code` against the current step and one step either side (clock drift). Returns the
/// step that matched, so the caller can refuse a code that was used before (replay).
pub fn verify(secret: &[u8], code: &str, unix_seconds: i64) -> Option<i64> {
    let code = code.trim();
    if code.len() != DIGITS || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let t = totp(secret, "");
    let now = step(unix_seconds);
    // totp-rs compares in constant time; each step is checked on its own to learn which matched.
    (now - SKEW..=now + SKEW).find(|&s| s >= 0 && t.check(code, s as u64 * STEP_SECONDS as u64))
}

/// The `otpauth://` address an authenticator app reads (usually as a QR code).
pub fn provisioning_uri(secret_base32: &str, account: &str) -> String {
    match base32_decode(secret_base32) {
        Some(secret) => totp(&secret, account).get_url(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_6238_sha1_test_vectors() {
        let secret = b"12345678901234567890";
        for (time, expected) in [(59, 94287082u32), (1111111109, 7081804), (1111111111, 14050471), (1234567890, 89005924), (2000000000, 69279037)] {
            assert_eq!(code_at(secret, step(time) as u64), expected % 1_000_000, "t={time}");
        }
    }

    #[test]
    fn base32_round_trips_and_matches_rfc_4648() {
        assert_eq!(base32_encode(b"foobar"), "MZXW6YTBOI");
        assert_eq!(base32_decode("MZXW6YTBOI").as_deref(), Some(&b"foobar"[..]));
        assert_eq!(base32_decode("mzxw 6ytb oi").as_deref(), Some(&b"foobar"[..]));
        assert_eq!(base32_decode("M1"), None);
    }

    #[test]
    fn verify_allows_one_step_of_drift_and_nothing_more() {
        let secret = b"12345678901234567890";
        let t = 1_700_000_000;
        let code = format!("{:06}", code_at(secret, step(t) as u64));
        assert_eq!(verify(secret, &code, t), Some(step(t)));
        assert_eq!(verify(secret, &code, t + 30), Some(step(t)));
        assert_eq!(verify(secret, &code, t - 30), Some(step(t)));
        assert!(verify(secret, &code, t + 90).is_none());
        assert!(verify(secret, &code, t - 90).is_none());
        assert!(verify(secret, "12345", t).is_none());
        assert!(verify(secret, "1234567", t).is_none());
    }

    /// The code RFC 4226 gives for the 20 bytes 0..20 at step 56,666,666 (1,699,999,980 s),
    /// worked out apart from this crate (Python's `hmac` with SHA-1).
    const OLD_CODE: u32 = 367_345;

    /// A stored secret (base32 as written before) and its codes stay valid.
    #[test]
    fn secrets_and_codes_from_before_stay_valid() {
        let secret = base32_decode("AAAQEAYEAUDAOCAJBIFQYDIOB4IBCEQT").expect("base32");
        assert_eq!(secret, (0u8..20).collect::<Vec<_>>());
        assert_eq!(base32_encode(&secret), "AAAQEAYEAUDAOCAJBIFQYDIOB4IBCEQT");
        assert_eq!(code_at(&secret, 56_666_666), OLD_CODE);
        assert_eq!(verify(&secret, &format!("{OLD_CODE:06}"), 1_699_999_990), Some(56_666_666));
    }

    #[test]
    fn the_app_address_names_the_product_the_account_and_the_secret() {
        let uri = provisioning_uri("MZXW6YTBOI", "a.b+c@example.nl");
        assert!(uri.starts_with("otpauth://totp/Reisgenoot:a.b%2Bc%40example.nl?"), "{uri}");
        assert!(uri.contains("secret=MZXW6YTBOI") && uri.contains("issuer=Reisgenoot"), "{uri}");
    }
}
