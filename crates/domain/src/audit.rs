//! The audit log's hash chain. Each entry's hash covers its own fields and the previous
//! entry's hash, so changing, removing or inserting a row by hand breaks the chain after it.

use sha2::{Digest, Sha256};

/// The hash before the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

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

/// The hash of an entry given the hash of the one before it. Fields are length-prefixed so
/// that moving text from one field to the next changes the hash.
pub fn hash(prev_hash: &str, seq: i64, at: i64, actor: &str, collaboration_id: Option<i64>, action: &str, object: &str, result: &str, origin: &str) -> String {
    let mut h = Sha256::new();
    let collab = collaboration_id.map(|c| c.to_string()).unwrap_or_default();
    for field in [prev_hash, &seq.to_string(), &at.to_string(), actor, &collab, action, object, result, origin] {
        h.update((field.len() as u64).to_be_bytes());
        h.update(field.as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Break {
    /// The row's stored hash does not match its contents: it was changed.
    Altered { seq: i64 },
    /// The row does not point at the previous row's hash: a row was removed or inserted.
    Gap { seq: i64 },
}

/// Walks the entries in order and reports every break in the chain.
pub fn verify(entries: &[Entry]) -> Vec<Break> {
    let mut breaks = Vec::new();
    let mut prev = GENESIS.to_string();
    let mut prev_seq = 0;
    for e in entries {
        if e.prev_hash != prev || e.seq != prev_seq + 1 {
            breaks.push(Break::Gap { seq: e.seq });
        }
        let expected = hash(&e.prev_hash, e.seq, e.at, &e.actor, e.collaboration_id, &e.action, &e.object, &e.result, &e.origin);
        if expected != e.hash {
            breaks.push(Break::Altered { seq: e.seq });
        }
        prev = e.hash.clone();
        prev_seq = e.seq;
    }
    breaks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<Entry> {
        let mut prev = GENESIS.to_string();
        (1..=n)
            .map(|seq| {
                let hash = hash(&prev, seq, 1000 + seq, "a@b.nl", Some(1), "partner.create", "partner:1", "ok", "127.0.0.1");
                let e = Entry { seq, at: 1000 + seq, actor: "a@b.nl".into(), collaboration_id: Some(1), action: "partner.create".into(), object: "partner:1".into(), result: "ok".into(), origin: "127.0.0.1".into(), prev_hash: prev.clone(), hash: hash.clone() };
                prev = hash;
                e
            })
            .collect()
    }

    #[test]
    fn an_intact_chain_verifies() {
        assert!(verify(&chain(5)).is_empty());
    }

    #[test]
    fn a_changed_field_and_a_removed_row_are_found() {
        let mut entries = chain(5);
        entries[1].actor = "mallory".into();
        assert_eq!(verify(&entries), [Break::Altered { seq: 2 }]);
        let mut entries = chain(5);
        entries.remove(2);
        assert_eq!(verify(&entries), [Break::Gap { seq: 4 }]);
    }
}
