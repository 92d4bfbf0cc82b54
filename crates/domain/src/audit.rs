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

impl Entry {
    /// The hash of this entry's fields and the previous entry's hash. Fields are
    /// length-prefixed so that moving text from one field to the next changes the hash.
    pub fn compute_hash(&self) -> String {
        let mut h = Sha256::new();
        let collab = self.collaboration_id.map(|c| c.to_string()).unwrap_or_default();
        for field in
            [&self.prev_hash, &self.seq.to_string(), &self.at.to_string(), &self.actor, &collab, &self.action, &self.object, &self.result, &self.origin]
        {
            h.update((field.len() as u64).to_be_bytes());
            h.update(field.as_bytes());
        }
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }
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
        if e.compute_hash() != e.hash {
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
                let mut e = Entry {
                    seq,
                    at: 1000 + seq,
                    actor: "a@b.nl".into(),
                    collaboration_id: Some(1),
                    action: "partner.create".into(),
                    object: "partner:1".into(),
                    result: "ok".into(),
                    origin: "127.0.0.1".into(),
                    prev_hash: prev.clone(),
                    hash: String::new(),
                };
                e.hash = e.compute_hash();
                prev = e.hash.clone();
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
