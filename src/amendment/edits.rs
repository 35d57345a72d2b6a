//! The character-level difference between a unit's old and new text, for people to read: the
//! common start and end set aside, the longest common subsequence of the rest (bounded: above
//! [`MAX_DIFF_CELLS`] the middle is one deletion and one insertion), then short runs left in
//! common between changes (a stray `的`) folded into the change around them.

use serde::Serialize;

/// Above this many cells of the longest-common-subsequence table (the two middles' lengths,
/// each plus one, multiplied), the middle is reported as replaced whole: two texts of a thousand
/// characters that differ at both ends take 2 MB and a few milliseconds.
pub const MAX_DIFF_CELLS: usize = 1 << 20;

/// Runs in common shorter than this, between two changes, are folded into them.
const MIN_KEPT_RUN: usize = 2;

/// What a run of an [`Edit`] does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EditKind {
    /// In both texts.
    Same,
    /// Only in the old text.
    Delete,
    /// Only in the new text.
    Insert,
}

/// A run of characters of the difference; the old text is the `same` and `delete` runs in
/// order, the new text the `same` and `insert` runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    /// What the run does.
    pub kind: EditKind,
    /// Its characters.
    pub text: String,
}

/// Appends `chars` as a run of `kind`, joined to the last run when it is of the same kind.
fn push(out: &mut Vec<Edit>, kind: EditKind, chars: &[char]) {
    if chars.is_empty() {
        return;
    }
    match out.last_mut() {
        Some(last) if last.kind == kind => last.text.extend(chars),
        _ => out.push(Edit {
            kind,
            text: chars.iter().collect(),
        }),
    }
}

/// The runs that turn `old` into `new`.
///
/// ```
/// use powerlist::amendment::{edits, EditKind};
/// let e = edits("处一万元以上十万元以下的罚款。", "处二万元以上二十万元以下的罚款。");
/// let old: String = e.iter().filter(|x| x.kind != EditKind::Insert).map(|x| x.text.as_str()).collect();
/// let new: String = e.iter().filter(|x| x.kind != EditKind::Delete).map(|x| x.text.as_str()).collect();
/// assert_eq!((old.as_str(), new.as_str()), ("处一万元以上十万元以下的罚款。", "处二万元以上二十万元以下的罚款。"));
/// assert_eq!(e[0].text, "处");
/// assert_eq!((e[1].kind, e[1].text.as_str()), (EditKind::Delete, "一"));
/// ```
pub fn edits(old: &str, new: &str) -> Vec<Edit> {
    let a: Vec<char> = old.chars().collect();
    let b: Vec<char> = new.chars().collect();
    let pre = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suf = a[pre..]
        .iter()
        .rev()
        .zip(b[pre..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (ma, mb) = (&a[pre..a.len() - suf], &b[pre..b.len() - suf]);
    let mut middle = Vec::new();
    let cells = (ma.len() + 1).saturating_mul(mb.len() + 1);
    if ma.is_empty() || mb.is_empty() || cells > MAX_DIFF_CELLS {
        push(&mut middle, EditKind::Delete, ma);
        push(&mut middle, EditKind::Insert, mb);
    } else {
        common_subsequence(ma, mb, &mut middle);
    }
    let mut out = Vec::new();
    push(&mut out, EditKind::Same, &a[..pre]);
    fold_short_runs(middle, &mut out);
    push(&mut out, EditKind::Same, &a[a.len() - suf..]);
    out
}

/// The runs of a longest common subsequence of `a` and `b` (neither empty; `(a.len() + 1) *
/// (b.len() + 1)` at most [`MAX_DIFF_CELLS`], so every length fits in 16 bits).
fn common_subsequence(a: &[char], b: &[char], out: &mut Vec<Edit>) {
    let w = b.len() + 1;
    // lcs[i * w + j]: the longest common subsequence of a[i..] and b[j..].
    let mut lcs = vec![0u16; (a.len() + 1) * w];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i * w + j] = if a[i] == b[j] {
                lcs[(i + 1) * w + j + 1] + 1
            } else {
                lcs[(i + 1) * w + j].max(lcs[i * w + j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            push(out, EditKind::Same, &a[i..=i]);
            i += 1;
            j += 1;
        } else if lcs[(i + 1) * w + j] >= lcs[i * w + j + 1] {
            push(out, EditKind::Delete, &a[i..=i]);
            i += 1;
        } else {
            push(out, EditKind::Insert, &b[j..=j]);
            j += 1;
        }
    }
    push(out, EditKind::Delete, &a[i..]);
    push(out, EditKind::Insert, &b[j..]);
}

/// Appends `runs` to `out`, each change (the deletions and insertions between two runs in common
/// of at least [`MIN_KEPT_RUN`] characters) as one deletion and one insertion.
fn fold_short_runs(runs: Vec<Edit>, out: &mut Vec<Edit>) {
    let (mut del, mut ins): (Vec<char>, Vec<char>) = (Vec::new(), Vec::new());
    let n = runs.len();
    for (k, run) in runs.into_iter().enumerate() {
        let chars: Vec<char> = run.text.chars().collect();
        let inner = k > 0 && k + 1 < n;
        match run.kind {
            EditKind::Same if inner && chars.len() < MIN_KEPT_RUN => {
                del.extend(&chars);
                ins.extend(&chars);
            }
            EditKind::Same => {
                push(out, EditKind::Delete, &del);
                push(out, EditKind::Insert, &ins);
                del.clear();
                ins.clear();
                push(out, EditKind::Same, &chars);
            }
            EditKind::Delete => del.extend(chars),
            EditKind::Insert => ins.extend(chars),
        }
    }
    push(out, EditKind::Delete, &del);
    push(out, EditKind::Insert, &ins);
}

/// The edits in one line for a terminal: runs in common shortened to their ends (`…`), a
/// replacement as `〔old → new〕`, a deletion `〔删：…〕`, an insertion `〔增：…〕`.
pub(crate) fn compact(edits: &[Edit]) -> String {
    const KEEP: usize = 6;
    let mut s = String::new();
    let n = edits.len();
    let mut k = 0;
    while k < n {
        let e = &edits[k];
        match e.kind {
            EditKind::Same => {
                let chars: Vec<char> = e.text.chars().collect();
                let (first, last) = (k == 0, k + 1 == n);
                if chars.len() <= 2 * KEEP + 1 {
                    s.extend(&chars);
                } else {
                    if !first {
                        s.extend(&chars[..KEEP]);
                    }
                    s.push('…');
                    if !last {
                        s.extend(&chars[chars.len() - KEEP..]);
                    }
                }
            }
            EditKind::Delete => match edits.get(k + 1) {
                Some(next) if next.kind == EditKind::Insert => {
                    s.push_str(&format!("〔{} → {}〕", e.text, next.text));
                    k += 1;
                }
                _ => s.push_str(&format!("〔删：{}〕", e.text)),
            },
            EditKind::Insert => s.push_str(&format!("〔增：{}〕", e.text)),
        }
        k += 1;
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sides(e: &[Edit]) -> (String, String) {
        let side = |skip: EditKind| {
            e.iter()
                .filter(|x| x.kind != skip)
                .map(|x| x.text.as_str())
                .collect()
        };
        (side(EditKind::Insert), side(EditKind::Delete))
    }

    #[test]
    fn edits_rebuild_both_texts_and_are_compact() {
        for (a, b) in [
            ("", ""),
            ("甲", ""),
            ("", "乙"),
            ("处五千元以下罚款。", "处一万元以下罚款。"),
            ("责令改正，处罚款。", "责令改正，没收违法所得，处罚款。"),
            ("abc", "xyz"),
            ("第三十一条规定的", "第三十四条规定的"),
        ] {
            let e = edits(a, b);
            assert_eq!(sides(&e), (a.to_string(), b.to_string()), "{a} → {b}");
            assert!(e.iter().all(|x| !x.text.is_empty()));
            assert!(e.windows(2).all(|w| w[0].kind != w[1].kind));
        }
        let e = edits("责令改正，处罚款。", "责令改正，没收违法所得，处罚款。");
        assert_eq!(compact(&e), "责令改正，〔增：没收违法所得，〕处罚款。");
        let e = edits("第三十一条规定的", "第三十四条规定的");
        assert_eq!(compact(&e), "第三十〔一 → 四〕条规定的");
    }

    #[test]
    fn a_large_middle_is_replaced_whole() {
        let a: String = "甲乙".repeat(800);
        let b: String = "乙甲".repeat(800);
        let e = edits(&a, &b);
        assert_eq!(sides(&e), (a.clone(), b.clone()));
        assert!(e.len() <= 3, "{}", e.len());
    }
}
