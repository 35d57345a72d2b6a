//! The encodings of the postings section: postings lists and the texts of pinyin windows.

use std::collections::BTreeSet;

use powerlist::format::put_varint;

/// `n, then n × (byte length, UTF-8)`: the texts a pinyin window spells.
pub(super) fn encode_texts(out: &mut Vec<u8>, texts: &BTreeSet<String>) {
    put_varint(out, texts.len() as u64);
    for t in texts {
        put_varint(out, t.len() as u64);
        out.extend_from_slice(t.as_bytes());
    }
}

/// `n_docs, then per document: id delta, n_slots, slots` (see the slot coding inside).
/// `list` holds each document's slots together, documents in ascending order.
pub(super) fn encode_postings(out: &mut Vec<u8>, list: &[(u32, u32)]) {
    let mut groups: Vec<(u32, Vec<u32>)> = Vec::new();
    for &(item, slot) in list {
        match groups.last_mut() {
            Some((i, slots)) if *i == item => slots.push(slot),
            _ => groups.push((item, vec![slot])),
        }
    }
    put_varint(out, groups.len() as u64);
    let mut prev_item = 0;
    for (item, mut slots) in groups {
        put_varint(out, u64::from(item - prev_item));
        prev_item = item;
        slots.retain(|&s| s != u32::MAX);
        slots.sort_unstable();
        slots.dedup();
        put_varint(out, slots.len() as u64);
        // Each slot as (position delta << 2 | field); the delta is from the previous slot of the
        // same field, else from 0. Slots are sorted by field, then position.
        let mut prev: Option<u32> = None;
        for s in slots {
            let (field, pos) = (s >> 24, s & 0xFF_FFFF);
            let base = match prev {
                Some(p) if p >> 24 == field => p & 0xFF_FFFF,
                _ => 0,
            };
            put_varint(out, u64::from((pos - base) << 2 | field));
            prev = Some(s);
        }
    }
}
