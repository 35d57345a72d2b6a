//! A structural check of FST bytes before `fst` reads them.
//!
//! `fst` trusts an FST's node bytes: its readers index and subtract without bounds checks, and
//! its checksum only proves the bytes are what some writer wrote — an adversary (or a fuzzer,
//! which learns checksums from the comparison) can write a matching one. So the loader walks
//! every node reachable from the root once, doing the address arithmetic of `fst` 0.4's node
//! format (format version 3) with checks: every byte a later lookup or stream could read is then
//! known to be inside the FST, and every transition to point to a node that was checked too.
//!
//! Node layout (read backwards from the node's address, the state byte):
//!
//! * `11xxxxxx` one transition to the node just before, input in the state byte or one byte;
//! * `10xxxxxx` one transition: input, pack sizes, transition address, output;
//! * `0fxxxxxx` any number of transitions (`f`: final): count in the state byte or one byte,
//!   pack sizes, a 256-byte index when over 32 transitions, inputs, addresses, outputs, final
//!   output.
//!
//! Transition addresses are deltas below the node's end, so addresses strictly decrease along
//! every path: the walk ends, and each node is checked once.

/// Transitions above this count come with a 256-byte input index (fst's
/// `TRANS_INDEX_THRESHOLD`).
const INDEX_THRESHOLD: usize = 32;
/// The empty final state's address.
const EMPTY: usize = 0;

/// Whether every node reachable from `root` is well-formed and inside `bytes`.
pub(crate) fn nodes_are_sound(bytes: &[u8], root: usize) -> bool {
    // Format 3 only (what fst 0.4 writes; older formats lay out their footer differently).
    if bytes.get(..8) != Some(&3u64.to_le_bytes()[..]) {
        return false;
    }
    let mut seen = vec![0u64; bytes.len() / 64 + 1];
    let mut todo = vec![root];
    while let Some(addr) = todo.pop() {
        if addr == EMPTY {
            continue;
        }
        let (word, bit) = (addr / 64, 1u64 << (addr % 64));
        match seen.get_mut(word) {
            None => return false,
            Some(w) if *w & bit != 0 => continue,
            Some(w) => *w |= bit,
        }
        let before = todo.len();
        if visit(bytes, addr, &mut todo).is_none()
            || todo[before..].iter().any(|&t| t != EMPTY && t >= addr)
        {
            return false;
        }
    }
    true
}

/// Pushes the transition addresses of the node at `addr` onto `out`; `None` when reading the
/// node would go out of bounds or past what fst's readers accept.
fn visit(bytes: &[u8], addr: usize, out: &mut Vec<usize>) -> Option<()> {
    let state = *bytes.get(addr)?;
    match state >> 6 {
        0b11 => {
            // One transition to the node compiled just before this one.
            let input_len = usize::from(state & 0b11_1111 == 0);
            let end = addr.checked_sub(input_len)?;
            out.push(end.checked_sub(1)?);
        }
        0b10 => {
            let input_len = usize::from(state & 0b11_1111 == 0);
            let sizes_at = addr.checked_sub(input_len + 1)?;
            let (tsize, osize) = pack_sizes(*bytes.get(sizes_at)?)?;
            if tsize == 0 {
                return None;
            }
            let end = sizes_at.checked_sub(tsize + osize)?;
            out.push(target(bytes, sizes_at - tsize, tsize, end)?);
        }
        _ => {
            let is_final = state & 0b0100_0000 != 0;
            let in_state = usize::from(state & 0b11_1111);
            let count_len = usize::from(in_state == 0);
            let ntrans = if in_state != 0 {
                in_state
            } else {
                match *bytes.get(addr.checked_sub(1)?)? {
                    1 => 256,
                    n => usize::from(n),
                }
            };
            let sizes_at = addr.checked_sub(count_len + 1)?;
            let (tsize, osize) = pack_sizes(*bytes.get(sizes_at)?)?;
            if ntrans > 0 && tsize == 0 {
                return None;
            }
            let index = if ntrans > INDEX_THRESHOLD { 256 } else { 0 };
            let trans_size = ntrans + ntrans * tsize + index;
            let final_size = if is_final { osize } else { 0 };
            let end = sizes_at.checked_sub(trans_size + ntrans * osize + final_size)?;
            let addrs_end = sizes_at - index - ntrans;
            for i in 0..ntrans {
                out.push(target(bytes, addrs_end - (i + 1) * tsize, tsize, end)?);
            }
        }
    }
    Some(())
}

/// Transition and output pack sizes (each 0 to 8 bytes).
fn pack_sizes(b: u8) -> Option<(usize, usize)> {
    let (t, o) = (usize::from(b >> 4), usize::from(b & 0b1111));
    (t <= 8 && o <= 8).then_some((t, o))
}

/// The address a transition packed in `size` bytes at `at` leads to: `end` minus the delta,
/// or the empty state for delta 0.
fn target(bytes: &[u8], at: usize, size: usize, end: usize) -> Option<usize> {
    let packed = bytes.get(at..at.checked_add(size)?)?;
    let delta = packed
        .iter()
        .enumerate()
        .fold(0u64, |n, (i, &b)| n | u64::from(b) << (8 * i));
    let delta = usize::try_from(delta).ok()?;
    if delta == 0 {
        Some(EMPTY)
    } else {
        end.checked_sub(delta)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root_of(bytes: &[u8]) -> usize {
        let at = bytes.len() - 12;
        u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap()) as usize
    }

    #[test]
    fn fsts_written_by_fst_are_sound() {
        // Small and large nodes (a 256-way node has the input index), outputs of every size.
        let mut keys: Vec<(Vec<u8>, u64)> = Vec::new();
        for a in 0..=255u8 {
            keys.push((vec![a], u64::from(a) << 40));
            for b in [0u8, 7, 200] {
                keys.push((vec![a, b, b'x'], u64::from(a) * 3 + u64::from(b)));
            }
        }
        keys.sort();
        let map = fst::Map::from_iter(keys).unwrap();
        let bytes = map.as_fst().as_bytes();
        assert!(nodes_are_sound(bytes, root_of(bytes)));
        let empty = fst::Map::from_iter(Vec::<(&[u8], u64)>::new()).unwrap();
        let bytes = empty.as_fst().as_bytes();
        assert!(nodes_are_sound(bytes, root_of(bytes)));
    }

    #[test]
    fn changed_bytes_of_a_large_fst_are_refused_or_safe_to_read() {
        use fst::Streamer;
        let mut keys: Vec<(Vec<u8>, u64)> = (0..=255u8)
            .flat_map(|a| [(vec![a], u64::from(a) << 20), (vec![a, 9, a], 7)])
            .collect();
        keys.sort();
        let bytes = fst::Map::from_iter(keys)
            .unwrap()
            .as_fst()
            .as_bytes()
            .to_vec();
        for i in 8..bytes.len() {
            for v in [0u8, 1, 0x21, 0x3f, 0x80, 0xc0, 0xff] {
                let mut b = bytes.clone();
                b[i] = v;
                let root = root_of(&b);
                if root < b.len() && nodes_are_sound(&b, root) {
                    if let Ok(m) = fst::Map::new(b) {
                        let mut s = m.stream();
                        while s.next().is_some() {}
                        let _ = (m.get([7u8]), m.get([200u8, 9, 200]));
                    }
                }
            }
        }
    }

    #[test]
    fn a_root_or_transition_out_of_bounds_is_refused() {
        let map = fst::Map::from_iter([("ab", 1u64), ("ac", 2), ("b", 3)]).unwrap();
        let bytes = map.as_fst().as_bytes().to_vec();
        assert!(!nodes_are_sound(&bytes, bytes.len() + 5));
        // Every single-byte change is refused, or fst can then read every key and look keys up
        // without a panic (its checksum is not what this check relies on).
        use fst::{IntoStreamer, Streamer};
        for i in 0..bytes.len() {
            for v in 0..=255u8 {
                let mut b = bytes.clone();
                b[i] = v;
                let root = root_of(&b);
                if root >= b.len() || !nodes_are_sound(&b, root) {
                    continue;
                }
                if let Ok(m) = fst::Map::new(b) {
                    let mut s = m.stream();
                    while s.next().is_some() {}
                    let mut s = m.range().ge("a").lt("c").into_stream();
                    while s.next().is_some() {}
                    for k in ["ab", "ac", "b", "a", "", "zz"] {
                        let _ = m.get(k);
                    }
                }
            }
        }
    }
}
