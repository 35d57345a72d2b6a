//! The responsibility list (责任清单) of an item: its 责任事项 (the duties in exercising the
//! power: 受理责任、审查责任、决定责任、送达责任、事后监管责任…) and its 追责情形 (what leads to
//! accountability), each a cell of the items table read as a list.
//!
//! Published lists write a list in one cell in three ways, and each is read as they mean it:
//!
//! * one entry a line (the cell has line breaks): each line is an entry;
//! * numbered entries run together (`1.受理责任：…。2.审查责任：…`, `（一）…；（二）…`): the
//!   cell is cut before each number that follows `。`, `；` or `：`, and a line holding several
//!   numbered entries is cut the same way;
//! * unnumbered entries on one line (`没有法律依据的；擅自改变处罚种类的`): the cell is cut at
//!   each `；`.
//!
//! Written back one entry a line (`export --csv`), a list reads back the same.

/// The longest 责任事项 or 追责情形 cell, in characters.
pub(super) const MAX_DUTIES: usize = 4000;

/// The entries of a 责任事项 or 追责情形 cell (see the module's description), trimmed, empty
/// ones left out.
pub(super) fn entries(cell: &str) -> Vec<String> {
    let lines: Vec<&str> = cell
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let mut out = Vec::new();
    for line in &lines {
        let cuts = numbered_cuts(line);
        if lines.len() == 1 && cuts.is_empty() && !starts_numbered(line) {
            out.extend(line.split(['；', ';']).map(str::trim).map(String::from));
            continue;
        }
        let mut start = 0;
        for cut in cuts.into_iter().chain([line.len()]) {
            out.push(line[start..cut].trim().to_string());
            start = cut;
        }
    }
    out.retain(|e| !e.is_empty());
    out
}

/// Where numbered entries start inside `line`: right after a `。`, `；` or `：` that a number
/// follows.
fn numbered_cuts(line: &str) -> Vec<usize> {
    line.char_indices()
        .filter(|&(_, c)| matches!(c, '。' | '；' | ';' | '：' | ':'))
        .map(|(i, c)| i + c.len_utf8())
        .filter(|&i| i < line.len() && starts_numbered(line[i..].trim_start()))
        .collect()
}

/// Whether `s` opens with a list number: `1.` `2、` `3）` `（一）` `(1)` `一、` `①`.
fn starts_numbered(s: &str) -> bool {
    let mut chars = s.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    if ('①'..='⑳').contains(&first) {
        return true;
    }
    let numeral = |c: char| c.is_ascii_digit() || "一二三四五六七八九十".contains(c);
    if matches!(first, '（' | '(') {
        let inner: String = chars
            .by_ref()
            .take_while(|&c| c != '）' && c != ')')
            .collect();
        return !inner.is_empty() && inner.chars().count() <= 3 && inner.chars().all(numeral);
    }
    if !numeral(first) {
        return false;
    }
    let rest: String = chars.collect();
    let digits = rest.chars().take_while(|&c| numeral(c)).count();
    if digits > 2 {
        return false;
    }
    let after = rest.chars().nth(digits);
    match after {
        Some('、' | '）' | ')') => true,
        // 1. or 1．, but not a number such as 1.5万元.
        Some('.' | '．') => !rest
            .chars()
            .nth(digits + 1)
            .is_some_and(|c| c.is_ascii_digit()),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_entry_a_line() {
        let cell = "1.受理责任：公示应当提交的材料；一次性告知补正材料。\n2.审查责任：审查申请材料。\n\n3.决定责任：作出决定。";
        assert_eq!(
            entries(cell),
            [
                "1.受理责任：公示应当提交的材料；一次性告知补正材料。",
                "2.审查责任：审查申请材料。",
                "3.决定责任：作出决定。"
            ]
        );
    }

    #[test]
    fn numbered_entries_run_together() {
        let cell = "因不履行或不正确履行行政职责，有下列情形的，应承担相应责任：1.对符合法定条件的申请不予受理的；2.违反法定程序的；（三）其他违反法律法规规章规定的。";
        assert_eq!(
            entries(cell),
            [
                "因不履行或不正确履行行政职责，有下列情形的，应承担相应责任：",
                "1.对符合法定条件的申请不予受理的；",
                "2.违反法定程序的；",
                "（三）其他违反法律法规规章规定的。"
            ]
        );
        // A numbered line keeps its own ；.
        assert_eq!(
            entries("1.受理责任：公示材料；告知补正。"),
            ["1.受理责任：公示材料；告知补正。"]
        );
        // An amount is not a number opening an entry.
        assert_eq!(
            entries("罚款：1.5万元以下；2.其他"),
            ["罚款：1.5万元以下；", "2.其他"]
        );
    }

    #[test]
    fn unnumbered_entries_on_one_line() {
        assert_eq!(
            entries("没有法律依据的；擅自改变处罚种类的；"),
            ["没有法律依据的", "擅自改变处罚种类的"]
        );
        assert!(entries(" \n ").is_empty());
    }

    #[test]
    fn written_one_a_line_they_read_back_the_same() {
        for cell in [
            "受理责任：a；b",
            "1.受理责任：a；b",
            "总则：1.甲；2.乙",
            "甲；乙\n丙",
            "一、甲。二、乙",
        ] {
            let once = entries(cell);
            assert_eq!(entries(&once.join("\n")), once, "{cell}");
        }
    }
}
