//! The audit log's chain. Each entry's hash covers its own fields and the previous entry's
//! hash, so changing, removing or inserting a row by hand breaks the chain after it.
//!
//! Entries are sealed with an HMAC-SHA256 whose key lives outside the database: someone who
//! can write the database but not read the key cannot re-seal a changed chain. A log that
//! began before the key existed keeps its older entries under the plain SHA-256 rule; a
//! key entry (action [`KEY_ACTION`], sealed with the key it names) marks where each key takes
//! over. Deleting the newest rows leaves an intact chain, so a checkpoint kept outside the
//! database ([`Checkpoint`]) records how far the log reached and with which hash.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// The hash before the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The action of the entry from which on a key seals the chain; its object is `key:<fingerprint>`.
pub const KEY_ACTION: &str = "audit.key";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub seq: i64,
    pub at: i64,
    pub actor: String,
    pub collaboration_id: Option<i64>,
    pub action: String,
    pub object: String,
    pub result: String,
    pub origin: String,
    pub prev_hash: String,
    pub hash: String,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A secret key of 32 bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct Key([u8; 32]);

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Key({})", self.fingerprint())
    }
}

impl Key {
    /// Reads a key written as 64 hexadecimal digits.
    pub fn from_hex(text: &str) -> Option<Key> {
        let text = text.trim();
        if text.len() != 64 || !text.is_ascii() {
            return None;
        }
        let mut bytes = [0u8; 32];
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).ok()?;
        }
        Some(Key(bytes))
    }

    pub fn to_hex(&self) -> String {
        hex(&self.0)
    }

    /// A short public name for the key: part of a hash of it, safe to store and show.
    pub fn fingerprint(&self) -> String {
        let mut h = Sha256::new();
        h.update(b"reisgenoot audit key fingerprint\0");
        h.update(self.0);
        hex(&h.finalize())[..16].to_string()
    }

    fn mac(&self) -> Hmac<Sha256> {
        // An HMAC takes a key of any length; 32 bytes never fail.
        <Hmac<Sha256> as Mac>::new_from_slice(&self.0).unwrap_or_else(|_| unreachable!("HMAC accepts any key length"))
    }

    /// The MAC of a text, as hex.
    pub fn seal(&self, text: &str) -> String {
        let mut mac = self.mac();
        mac.update(text.as_bytes());
        hex(&mac.finalize().into_bytes())
    }
}

/// The keys an installation knows, oldest first; the newest seals new entries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Keyring {
    pub keys: Vec<Key>,
}

impl Keyring {
    pub fn signing(&self) -> Option<&Key> {
        self.keys.last()
    }

    pub fn find(&self, fingerprint: &str) -> Option<&Key> {
        self.keys.iter().find(|k| k.fingerprint() == fingerprint)
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

impl Entry {
    fn fields(&self) -> impl Iterator<Item = String> + '_ {
        let collab = self.collaboration_id.map(|c| c.to_string()).unwrap_or_default();
        [
            self.prev_hash.clone(),
            self.seq.to_string(),
            self.at.to_string(),
            self.actor.clone(),
            collab,
            self.action.clone(),
            self.object.clone(),
            self.result.clone(),
            self.origin.clone(),
        ]
        .into_iter()
    }

    /// The plain hash of this entry's fields and the previous entry's hash, the rule for
    /// entries written before a key existed. Fields are length-prefixed so that moving text
    /// from one field to the next changes the hash.
    pub fn compute_hash(&self) -> String {
        let mut h = Sha256::new();
        for field in self.fields() {
            h.update((field.len() as u64).to_be_bytes());
            h.update(field.as_bytes());
        }
        hex(&h.finalize())
    }

    /// The HMAC of the same length-prefixed fields under `key`.
    pub fn compute_mac(&self, key: &Key) -> String {
        let mut mac = key.mac();
        for field in self.fields() {
            mac.update(&(field.len() as u64).to_be_bytes());
            mac.update(field.as_bytes());
        }
        hex(&mac.finalize().into_bytes())
    }

    /// The seal of this entry: the HMAC under `key`, or the plain hash without one.
    pub fn seal(&self, key: Option<&Key>) -> String {
        match key {
            Some(key) => self.compute_mac(key),
            None => self.compute_hash(),
        }
    }

    /// The fingerprint a key entry names.
    pub fn names_key(&self) -> Option<&str> {
        if self.action == KEY_ACTION { self.object.strip_prefix("key:") } else { None }
    }
}

/// How far the log reached when it was last seen, kept outside the database and sealed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    /// The number of the newest entry (entries are numbered from 1 without gaps).
    pub seq: i64,
    pub hash: String,
    /// The entry from which on the chain is sealed with a key.
    pub keyed_since: i64,
    pub at: i64,
    /// The key that sealed this checkpoint.
    pub key: String,
    pub mac: String,
}

impl Checkpoint {
    fn body(seq: i64, hash: &str, keyed_since: i64, at: i64, key: &str) -> String {
        format!("reisgenoot-audit-checkpoint 1 seq={seq} hash={hash} keyed_since={keyed_since} at={at} key={key}")
    }

    pub fn new(seq: i64, hash: &str, keyed_since: i64, at: i64, key: &Key) -> Checkpoint {
        let fingerprint = key.fingerprint();
        let mac = key.seal(&Checkpoint::body(seq, hash, keyed_since, at, &fingerprint));
        Checkpoint { seq, hash: hash.to_string(), keyed_since, at, key: fingerprint, mac }
    }

    /// The one line written to the checkpoint file.
    pub fn to_line(&self) -> String {
        format!("{} mac={}\n", Checkpoint::body(self.seq, &self.hash, self.keyed_since, self.at, &self.key), self.mac)
    }

    pub fn parse(text: &str) -> Option<Checkpoint> {
        let line = text.lines().next()?;
        let mut parts = line.split(' ');
        if parts.next()? != "reisgenoot-audit-checkpoint" || parts.next()? != "1" {
            return None;
        }
        let mut field = |name: &str| parts.next()?.strip_prefix(name)?.strip_prefix('=').map(str::to_string);
        let seq = field("seq")?.parse().ok()?;
        let hash = field("hash")?;
        let keyed_since = field("keyed_since")?.parse().ok()?;
        let at = field("at")?.parse().ok()?;
        let key = field("key")?;
        let mac = field("mac")?;
        Some(Checkpoint { seq, hash, keyed_since, at, key, mac })
    }

    /// Whether the checkpoint was sealed by a key of `keys`.
    pub fn is_genuine(&self, keys: &Keyring) -> bool {
        keys.find(&self.key).is_some_and(|k| k.seal(&Checkpoint::body(self.seq, &self.hash, self.keyed_since, self.at, &self.key)) == self.mac)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Break {
    /// The row's stored hash does not match its contents: it was changed.
    Altered { seq: i64 },
    /// The row does not point at the previous row's hash: a row was removed or inserted.
    Gap { seq: i64 },
    /// A key entry names a key that is not at hand: the entries after it cannot be checked.
    UnknownKey { seq: i64, fingerprint: String },
    /// A key is configured but the log holds no key entry: the keyed part was removed or
    /// rewritten under the plain rule.
    KeyEntryMissing,
    /// The checkpoint's first keyed entry is not a key entry.
    KeyedSinceMoved { seq: i64 },
    /// The log ends before the checkpoint's last entry: the newest rows were removed.
    Truncated { last: i64, checkpoint: i64 },
    /// The entry the checkpoint names has another hash: the chain was rebuilt.
    CheckpointMismatch { seq: i64 },
    /// The checkpoint is unreadable or not sealed by a known key.
    CheckpointForged,
    /// No checkpoint was found although the log is sealed with a key.
    CheckpointMissing,
}

/// Walks the entries in order and reports every break in the chain. Entries before the first
/// key entry follow the plain rule; from each key entry on, the HMAC under the key it names.
pub fn verify(entries: &[Entry], keys: &Keyring) -> Vec<Break> {
    let mut breaks = Vec::new();
    let mut prev = GENESIS.to_string();
    let mut prev_seq = 0;
    // None: plain rule; Some(None): a key that is not at hand; Some(Some(k)): that key.
    let mut current: Option<Option<&Key>> = None;
    for e in entries {
        if e.prev_hash != prev || e.seq != prev_seq + 1 {
            breaks.push(Break::Gap { seq: e.seq });
        }
        if let Some(fingerprint) = e.names_key() {
            let key = keys.find(fingerprint);
            if key.is_none() {
                breaks.push(Break::UnknownKey { seq: e.seq, fingerprint: fingerprint.to_string() });
            }
            current = Some(key);
        }
        let expected = match current {
            None => Some(e.compute_hash()),
            Some(Some(key)) => Some(e.compute_mac(key)),
            Some(None) => None,
        };
        if expected.is_some_and(|h| h != e.hash) {
            breaks.push(Break::Altered { seq: e.seq });
        }
        prev = e.hash.clone();
        prev_seq = e.seq;
    }
    if !keys.is_empty() && current.is_none() && !entries.is_empty() {
        breaks.push(Break::KeyEntryMissing);
    }
    breaks
}

/// Compares the log with its checkpoint (when the log is sealed with a key).
pub fn compare(entries: &[Entry], keys: &Keyring, checkpoint: Option<&Checkpoint>) -> Vec<Break> {
    let keyed = entries.iter().any(|e| e.names_key().is_some());
    let Some(cp) = checkpoint else {
        return if keyed || !keys.is_empty() { vec![Break::CheckpointMissing] } else { Vec::new() };
    };
    if !cp.is_genuine(keys) {
        return vec![Break::CheckpointForged];
    }
    let mut breaks = Vec::new();
    let at = |seq: i64| entries.iter().find(|e| e.seq == seq);
    if at(cp.keyed_since).is_none_or(|e| e.names_key().is_none()) {
        breaks.push(Break::KeyedSinceMoved { seq: cp.keyed_since });
    }
    let last = entries.last().map(|e| e.seq).unwrap_or(0);
    match at(cp.seq) {
        None if last < cp.seq => breaks.push(Break::Truncated { last, checkpoint: cp.seq }),
        None => breaks.push(Break::CheckpointMismatch { seq: cp.seq }),
        Some(e) if e.hash != cp.hash => breaks.push(Break::CheckpointMismatch { seq: cp.seq }),
        Some(_) => {}
    }
    breaks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(n: u8) -> Key {
        Key([n; 32])
    }

    fn entry(seq: i64, prev: &str, action: &str, object: &str) -> Entry {
        Entry {
            seq,
            at: 1000 + seq,
            actor: "a@b.nl".into(),
            collaboration_id: Some(1),
            action: action.into(),
            object: object.into(),
            result: "ok".into(),
            origin: "127.0.0.1".into(),
            prev_hash: prev.to_string(),
            hash: String::new(),
        }
    }

    /// `plain` entries under the plain rule, then (with a key) a key entry and `keyed` more.
    fn chain(plain: i64, keyed: Option<(&Key, i64)>) -> Vec<Entry> {
        let mut prev = GENESIS.to_string();
        let mut out = Vec::new();
        for seq in 1..=plain {
            let mut e = entry(seq, &prev, "partner.create", "partner:1");
            e.hash = e.seal(None);
            prev = e.hash.clone();
            out.push(e);
        }
        if let Some((k, n)) = keyed {
            let mut e = entry(plain + 1, &prev, KEY_ACTION, &format!("key:{}", k.fingerprint()));
            e.hash = e.seal(Some(k));
            prev = e.hash.clone();
            out.push(e);
            for seq in plain + 2..plain + 2 + n {
                let mut e = entry(seq, &prev, "partner.create", "partner:1");
                e.hash = e.seal(Some(k));
                prev = e.hash.clone();
                out.push(e);
            }
        }
        out
    }

    fn rehash_plain(entries: &mut [Entry]) {
        let mut prev = GENESIS.to_string();
        for e in entries {
            e.prev_hash = prev;
            e.hash = e.compute_hash();
            prev = e.hash.clone();
        }
    }

    #[test]
    fn an_intact_chain_verifies() {
        assert!(verify(&chain(5, None), &Keyring::default()).is_empty());
        let ring = Keyring { keys: vec![key(1)] };
        assert!(verify(&chain(3, Some((&key(1), 4))), &ring).is_empty());
    }

    #[test]
    fn a_changed_field_and_a_removed_row_are_found() {
        let none = Keyring::default();
        let mut entries = chain(5, None);
        entries[1].actor = "mallory".into();
        assert_eq!(verify(&entries, &none), [Break::Altered { seq: 2 }]);
        let mut entries = chain(5, None);
        entries.remove(2);
        assert_eq!(verify(&entries, &none), [Break::Gap { seq: 4 }]);
    }

    #[test]
    fn a_chain_rebuilt_without_the_key_is_found() {
        let ring = Keyring { keys: vec![key(1)] };
        let mut entries = chain(2, Some((&key(1), 4)));
        entries[4].actor = "mallory".into();
        rehash_plain(&mut entries);
        let breaks = verify(&entries, &ring);
        assert!(breaks.contains(&Break::Altered { seq: 3 }) && breaks.contains(&Break::Altered { seq: 5 }), "{breaks:?}");
        // Without the key entry the whole log reads as plain, which a configured key refuses.
        entries.remove(2);
        rehash_plain(&mut entries);
        for (i, e) in entries.iter_mut().enumerate() {
            e.seq = i as i64 + 1;
        }
        rehash_plain(&mut entries);
        assert_eq!(verify(&entries, &ring), [Break::KeyEntryMissing]);
    }

    #[test]
    fn an_unknown_key_and_a_rotated_key_are_told_apart() {
        let mut entries = chain(1, Some((&key(1), 2)));
        let last = entries.last().expect("entries").clone();
        let mut rotate = entry(last.seq + 1, &last.hash, KEY_ACTION, &format!("key:{}", key(2).fingerprint()));
        rotate.hash = rotate.seal(Some(&key(2)));
        entries.push(rotate);
        assert!(verify(&entries, &Keyring { keys: vec![key(1), key(2)] }).is_empty());
        let breaks = verify(&entries, &Keyring { keys: vec![key(2)] });
        assert_eq!(breaks, [Break::UnknownKey { seq: 2, fingerprint: key(1).fingerprint() }]);
    }

    #[test]
    fn the_checkpoint_finds_removed_newest_rows_and_a_forged_checkpoint() {
        let ring = Keyring { keys: vec![key(1)] };
        let entries = chain(2, Some((&key(1), 4)));
        let last = entries.last().expect("entries");
        let cp = Checkpoint::new(last.seq, &last.hash, 3, 99, &key(1));
        assert_eq!(Checkpoint::parse(&cp.to_line()), Some(cp.clone()));
        assert!(compare(&entries, &ring, Some(&cp)).is_empty());
        assert!(verify(&entries[..5], &ring).is_empty(), "cutting the end leaves a sound chain");
        assert_eq!(compare(&entries[..5], &ring, Some(&cp)), [Break::Truncated { last: 5, checkpoint: 7 }]);
        let mut forged = cp.clone();
        forged.seq = 5;
        assert_eq!(compare(&entries[..5], &ring, Some(&forged)), [Break::CheckpointForged]);
        assert_eq!(compare(&entries, &ring, None), [Break::CheckpointMissing]);
    }
}
