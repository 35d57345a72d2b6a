//! The text report of an [`Amendment`], as `powerlist amend` prints it.

use std::fmt;

use super::{edits::compact, Amendment, Status, UnitChange};

/// Longest text quoted in full in the report, in characters; longer ones end in `…`.
const QUOTE_CHARS: usize = 80;

/// `s` on one line (its line breaks as `newline`), cut to `max` characters and `…`.
fn shorten(s: &str, max: usize, newline: &str) -> String {
    let one_line = s.replace('\n', newline);
    let mut chars = one_line.chars();
    let head: String = chars.by_ref().take(max).collect();
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}

/// A text quoted in the report.
fn quote(s: &str) -> String {
    shorten(s, QUOTE_CHARS, " ")
}

impl fmt::Display for Amendment {
    /// A title line, the counts, then the units that changed, moved or are gone, grouped by
    /// status under Chinese headings with the items citing each, and last the unchanged ones.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "法律修订影响：《{}》（新文本：{}；条文 {} 条 → {} 条）",
            self.law, self.new_title, self.old_articles, self.new_articles
        )?;
        let c = &self.counts;
        writeln!(
            f,
            "被引用的条款 {} 个：未变 {} · 修改 {} · 移动 {} · 删除 {}；待复核事项 {} 项",
            c.units, c.unchanged, c.changed, c.moved, c.gone, c.items
        )?;
        if !self.needs_review() {
            writeln!(f, "新文本没有改动本清单引用的条款。")?;
        }
        for status in [Status::Changed, Status::Moved, Status::Gone] {
            let units: Vec<&UnitChange> =
                self.units.iter().filter(|u| u.status == status).collect();
            if units.is_empty() {
                continue;
            }
            writeln!(f)?;
            writeln!(f, "{}（{}）", status.label(), units.len())?;
            for u in units {
                unit(f, u)?;
            }
        }
        let same: Vec<&UnitChange> = self
            .units
            .iter()
            .filter(|u| u.status == Status::Unchanged)
            .collect();
        if !same.is_empty() {
            writeln!(f)?;
            writeln!(f, "未变（{}）", same.len())?;
            for u in same {
                let codes: Vec<&str> = u.items.iter().map(|i| i.code.as_str()).collect();
                writeln!(f, "  {}  {}", u.old.label, codes.join("、"))?;
            }
        }
        Ok(())
    }
}

/// One unit that changed, moved or is gone, and the items citing it.
fn unit(f: &mut fmt::Formatter<'_>, u: &UnitChange) -> fmt::Result {
    match (&u.new, u.status) {
        (Some(new), Status::Moved) if !u.text_changed => {
            writeln!(f, "  {} → {}（文字未变）", u.old.label, new.label)?
        }
        (Some(new), Status::Moved) => writeln!(
            f,
            "  {} → {}（文字修改，相似度 {:.2}）",
            u.old.label, new.label, u.similarity
        )?,
        (_, Status::Gone) => {
            writeln!(f, "  {}（新文本中没有相同或相近的条文）", u.old.label)?;
            writeln!(f, "    原：{}", quote(&u.old_text))?;
            if let Some(now) = &u.now_at_old_number {
                writeln!(f, "    新文本{}：{}", u.old.label, quote(now))?;
            }
        }
        _ => writeln!(f, "  {}（相似度 {:.2}）", u.old.label, u.similarity)?,
    }
    if !u.edits.is_empty() {
        writeln!(f, "    改动：{}", quote_edits(&compact(&u.edits)))?;
    }
    for i in &u.items {
        writeln!(f, "    {}  {}", i.code, i.name)?;
    }
    Ok(())
}

/// The compact edits on one line, at most a few times a quote's length.
fn quote_edits(s: &str) -> String {
    shorten(s, 3 * QUOTE_CHARS, "⏎")
}
