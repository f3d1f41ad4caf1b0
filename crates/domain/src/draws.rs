//! Fair draws (摇号) for full classes: the order entries are drawn in comes from a seed made
//! public when entries open and from the entries' ids alone, so anyone holding the list can
//! work it out again: each entry's place is the SHA-256 of the seed, a separator and its id,
//! lowest first (ties, which SHA-256 does not make in practice, by id). Seats then go down
//! that order while each party fits; from the first that does not fit, everyone waits, in the
//! same order, as nobody overtakes on a waiting list.

use sha2::{Digest, Sha256};

/// An entry's place in the draw: the digest its order is decided by.
fn ticket(seed: &str, entry_id: &str) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(seed.as_bytes());
    hasher.update([0u8]);
    hasher.update(entry_id.as_bytes());
    hasher.finalize().into()
}

/// The entries' ids in drawn order.
pub fn order<'a>(seed: &str, entry_ids: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut tickets: Vec<([u8; 32], &str)> = entry_ids.into_iter().map(|id| (ticket(seed, id), id)).collect();
    tickets.sort_unstable();
    tickets.dedup_by(|a, b| a.1 == b.1);
    tickets.into_iter().map(|(_, id)| id).collect()
}

/// One entry: its id and how many seats its party takes (the resident and companions).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry<'a> {
    pub id: &'a str,
    pub party: u32,
}

/// What the draw decided: who has seats, and who waits in which order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Result<'a> {
    pub seated: Vec<&'a str>,
    pub waiting: Vec<&'a str>,
}

/// Seats `capacity` from `entries` in the order `seed` draws them.
pub fn draw<'a>(seed: &str, entries: &[Entry<'a>], capacity: u32) -> Result<'a> {
    let drawn = order(seed, entries.iter().map(|entry| entry.id));
    let party = |id: &str| entries.iter().find(|entry| entry.id == id).map_or(1, |entry| entry.party);
    let mut left = capacity;
    let mut result = Result::default();
    for id in drawn {
        let needs = party(id);
        if result.waiting.is_empty() && needs <= left {
            left -= needs;
            result.seated.push(id);
        } else {
            result.waiting.push(id);
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: usize) -> Vec<String> {
        (1..=n).map(|i| format!("entry-{i:03}")).collect()
    }

    #[test]
    fn the_same_seed_and_entries_draw_the_same_order_whatever_order_they_arrive_in() {
        let entries = ids(20);
        let forward = order("seed-2026", entries.iter().map(String::as_str));
        let backward = order("seed-2026", entries.iter().rev().map(String::as_str));
        assert_eq!(forward, backward);
        assert_eq!(forward.len(), 20);
        assert_ne!(forward, entries.iter().map(String::as_str).collect::<Vec<_>>(), "not the order they came");
        assert_ne!(order("seed-2027", entries.iter().map(String::as_str)), forward, "another seed, another order");
    }

    #[test]
    fn one_changed_entry_changes_the_order_and_an_entry_counts_once() {
        let entries = ids(20);
        let drawn = order("s", entries.iter().map(String::as_str));
        let mut changed = entries.clone();
        changed[0] = "entry-999".into();
        let redrawn = order("s", changed.iter().map(String::as_str));
        assert_ne!(drawn, redrawn);
        let twice = order("s", ["a", "b", "a"]);
        assert_eq!(twice.len(), 2);
    }

    #[test]
    fn anyone_can_work_the_order_out_from_the_published_seed() {
        // The order is SHA-256(seed, 0x00, id), lowest first: written out for one case.
        let drawn = order("jiayuan", ["x", "y", "z"]);
        let mut by_hand: Vec<(String, &str)> = ["x", "y", "z"]
            .into_iter()
            .map(|id| {
                let digest = Sha256::digest([b"jiayuan".as_slice(), &[0], id.as_bytes()].concat());
                (digest.iter().map(|b| format!("{b:02x}")).collect(), id)
            })
            .collect();
        by_hand.sort();
        assert_eq!(drawn, by_hand.into_iter().map(|(_, id)| id).collect::<Vec<_>>());
    }

    #[test]
    fn companions_take_seats_and_nobody_overtakes_a_party_that_does_not_fit() {
        let entries: Vec<Entry> = ["a", "b", "c", "d"].iter().map(|id| Entry { id, party: 1 }).collect();
        let drawn = order("s", ["a", "b", "c", "d"]);
        let all_single = draw("s", &entries, 2);
        assert_eq!(all_single.seated, drawn[..2]);
        assert_eq!(all_single.waiting, drawn[2..]);
        // The second drawn comes with two companions: three seats do not fit in the two left.
        let mut with_party = entries.clone();
        let second = with_party.iter_mut().find(|e| e.id == drawn[1]).unwrap();
        second.party = 3;
        let result = draw("s", &with_party, 3);
        assert_eq!(result.seated, [drawn[0]]);
        assert_eq!(result.waiting, drawn[1..], "nobody behind overtakes");
        assert_eq!(draw("s", &entries, 10).waiting, Vec::<&str>::new(), "room for all");
    }
}
