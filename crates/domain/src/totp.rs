//! Time-based one-time passwords (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits), the
//! second factor that every authenticator app speaks, and the base32 that carries its secret.

use hmac::{Hmac, Mac};
use sha1::Sha1;

pub const STEP_SECONDS: i64 = 30;

const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// RFC 4648 base32 without padding, as authenticator apps expect.
pub fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &byte in bytes {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

pub fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in text.chars().filter(|c| !c.is_whitespace() && *c != '=') {
        let value = ALPHABET.iter().position(|&a| char::from(a) == c.to_ascii_uppercase())? as u32;
        buffer = (buffer << 5) | value;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    Some(out)
}

/// The code for the time step `counter` (RFC 4226 dynamic truncation).
pub fn code_at(secret: &[u8], counter: u64) -> u32 {
    let Ok(mut mac) = Hmac::<Sha1>::new_from_slice(secret) else { return 0 };
    mac.update(&counter.to_be_bytes());
    let hash = mac.finalize().into_bytes();
    let offset = usize::from(hash[19] & 0x0f);
    let binary = u32::from_be_bytes([hash[offset] & 0x7f, hash[offset + 1], hash[offset + 2], hash[offset + 3]]);
    binary % 1_000_000
}

/// The time step of a unix time.
pub fn step(unix_seconds: i64) -> i64 {
    unix_seconds.div_euclid(STEP_SECONDS)
}

/// Checks `code` against the current step and one step either side (clock drift). Returns the
/// step that matched, so the caller can refuse a code that was used before (replay).
pub fn verify(secret: &[u8], code: &str, unix_seconds: i64) -> Option<i64> {
    let code = code.trim();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let wanted: u32 = code.parse().ok()?;
    let now = step(unix_seconds);
    (now - 1..=now + 1).find(|&s| s >= 0 && code_at(secret, s as u64) == wanted)
}

/// The `otpauth://` address an authenticator app reads (usually as a QR code).
pub fn provisioning_uri(secret_base32: &str, account: &str) -> String {
    let account: String =
        account.chars().map(|c| if c.is_ascii_alphanumeric() || "@.-_".contains(c) { c.to_string() } else { format!("%{:02X}", c as u32 & 0xff) }).collect();
    format!("otpauth://totp/Reisgenoot:{account}?secret={secret_base32}&issuer=Reisgenoot&algorithm=SHA1&digits=6&period=30")
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
        assert!(verify(secret, &code, t + 30).is_some());
        assert!(verify(secret, &code, t + 90).is_none());
        assert!(verify(secret, "12345", t).is_none());
    }
}
