//! `powerlist search`: search an index; the text of a hit, shared with `get`.

use std::path::Path;

use powerlist::view::{DocumentView, PeriodView};
use powerlist::{Error, ItemView, SearchOptions, SearchView};

use crate::io::{json, load, outln};

/// Prints the hits for `query`, as text or JSON.
pub fn run(index: &Path, query: &str, opts: &SearchOptions, as_json: bool) -> Result<(), Error> {
    let index = load(index)?;
    let r = index.search_view(query, opts)?;
    if as_json {
        return json(&r);
    }
    print_heading(&r, query);
    let offset = opts.offset.unwrap_or(0);
    for (i, h) in r.hits.iter().enumerate() {
        if offset + i == r.strict && r.strict > 0 {
            outln!("  — matching most of the query —");
        }
        print_item(offset + i + 1, h, false);
    }
    if r.total == 0 && !r.suggestions.is_empty() {
        outln!("did you mean:");
        for s in &r.suggestions {
            outln!("  {}  {}", s.code, s.name);
        }
    }
    Ok(())
}

/// `N item(s) for "…" (kind, …)`, and the provision when the query is a citation.
fn print_heading(r: &SearchView, query: &str) {
    let kind = format!("{:?}", r.kind).to_lowercase();
    let relaxed = if r.relaxed {
        ", no item matches every word: closest shown".to_string()
    } else if r.strict < r.total {
        format!(", {} match every word, the rest most of them", r.strict)
    } else {
        String::new()
    };
    outln!(
        "{} item(s) for \"{}\" ({kind}{relaxed})",
        r.total,
        query.trim()
    );
    if let Some(fixed) = &r.corrected {
        // Pinyin shown as the Chinese word it spells, when there is one.
        let (shown, spelled) = match &r.corrected_word {
            Some(word) => (word.as_str(), format!("{fixed}; ")),
            None => (fixed.as_str(), String::new()),
        };
        outln!(
            "showing results for \"{shown}\" ({spelled}nothing matched \"{}\" whole)",
            query.trim()
        );
    }
    if r.contact {
        outln!("asks how to reach a body: each hit's handler and contact follow it");
    }
    if let Some(c) = &r.citation {
        // Each article asked for that the index has, labelled (`大气法第18条、第19条`: both).
        for a in &c.articles {
            outln!("{}: {}", a.title, a.text.replace('\n', " "));
        }
        if c.uncited && r.total == 0 {
            outln!("no item cites {}", c.title);
        } else if c.uncited {
            outln!(
                "no item cites {}: the items citing the article's other parts",
                c.title
            );
        }
    }
}

/// Prints one item: numbered `n` when `n > 0` (a hit); `full` adds the provisions' text,
/// the keywords, the note and the responsibility list (`get`).
pub fn print_item(n: usize, h: &ItemView, full: bool) {
    let prefix = if n > 0 {
        format!("{n:>3}. ")
    } else {
        String::new()
    };
    outln!("{prefix}{}  {}", h.code, h.name);
    outln!("     {} · {} · {}", h.kind, h.field, h.level.join("、"));
    let mode = h
        .handled_mode
        .as_deref()
        .map(|m| format!(" ({m})"))
        .unwrap_or_default();
    outln!("     handled by: {}{mode}", h.handled_by);
    for p in &h.periods {
        print_period(p);
    }
    print_contact(h, full);
    for b in &h.bases {
        if !full {
            outln!("     basis: {}", b.citation);
            continue;
        }
        outln!("     basis: {}", b.versioned_citation);
        if let Some(s) = &b.superseded {
            let gap = if s.note.is_empty() || s.note.starts_with(['（', '(']) {
                ""
            } else {
                " "
            };
            outln!(
                "       (superseded by the text of {}{gap}{}: the article below is the older text)",
                s.date,
                s.note
            );
        }
        for line in b.text.lines() {
            outln!("       {line}");
        }
    }
    if full && !h.keywords.is_empty() {
        outln!("     keywords: {}", h.keywords.join("；"));
    }
    if full && !h.note.is_empty() {
        outln!("     note: {}", h.note);
    }
    // The responsibility list (责任清单), one entry a line.
    for (label, list) in [
        ("duties (责任事项)", &h.duties),
        ("accountability (追责情形)", &h.accountability),
    ] {
        if full && !list.is_empty() {
            outln!("     {label}:");
            for entry in list {
                outln!("       {entry}");
            }
        }
    }
}

/// One assignment with a period or a document: `ended: 甲镇人民政府 (赋权) in 甲镇, 2021-06-01
/// to 2025-07-31, by 淮政发〔2021〕37号 (2021-05-20; on 苏司函〔2020〕47号); taken back (上收)
/// from 2025-08-01 by 淮政发〔2025〕88号`, and its note.
fn print_period(p: &PeriodView) {
    let mode = p
        .mode
        .as_deref()
        .map(|m| format!(" ({m})"))
        .unwrap_or_default();
    let span = match (p.from, p.through) {
        (Some(f), Some(t)) => format!(", {f} to {t}"),
        (Some(f), None) => format!(", from {f}"),
        (None, Some(t)) => format!(", until {t}"),
        (None, None) => String::new(),
    };
    let doc = |d: &DocumentView| {
        let mut about = Vec::new();
        if let Some(date) = d.date {
            about.push(date.to_string());
        }
        if !d.basis.is_empty() {
            about.push(format!("on {}", d.basis));
        }
        if about.is_empty() {
            d.number.clone()
        } else {
            format!("{} ({})", d.number, about.join("; "))
        }
    };
    let made = p
        .document
        .as_ref()
        .map(|d| format!(", by {}", doc(d)))
        .unwrap_or_default();
    let ended = match (p.until, &p.end_document) {
        (Some(u), Some(d)) => format!("; taken back (上收) from {u} by {}", doc(d)),
        (Some(u), None) => format!("; taken back (上收) from {u}"),
        _ => String::new(),
    };
    outln!(
        "     {}: {}{mode} in {}{span}{made}{ended}",
        p.state.as_str(),
        p.body,
        p.region_name
    );
    if !p.note.is_empty() {
        outln!("       note: {}", p.note);
    }
}

/// How to reach the handling body: its phone in a hit; phone, address, hours, web page and the
/// item's complaint phone on an item (`full`); the 12345 hotline when nothing is known.
fn print_contact(h: &ItemView, full: bool) {
    let c = h.contact.clone().unwrap_or_default();
    if !c.phone.is_empty() {
        outln!("     phone: {}", c.phone);
    } else if full {
        outln!("     phone: 12345 (政务服务便民热线; the catalog gives no phone)");
    }
    if !full {
        return;
    }
    for (label, value) in [
        ("address", &c.address),
        ("hours", &c.hours),
        ("web", &c.url),
        ("complaints", &h.complaint_phone),
    ] {
        if !value.is_empty() {
            outln!("     {label}: {value}");
        }
    }
}
