//! The printable HTML list of one region's powers ([`crate::export::html`]): one
//! self-contained page (no scripts, no external resources), A4 print styles with table headers
//! repeated on every page. Every catalog string goes through [`escape`], and in the page's
//! content through [`iso`]: each is isolated (`<bdi>`), so a bidirectional-text control in one
//! (U+202E) cannot reorder the text around it; the page's title, which cannot hold markup, has
//! them removed ([`plain`]).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use powerlist::index::Index;
use powerlist::local_list::LocalList;
use powerlist::view::ItemView;

/// Escapes text for HTML element content and attribute values.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A catalog string in the page's content: escaped and isolated (`<bdi>`: its text is ordered
/// on its own, as one unit among its neighbours, whatever controls it holds).
fn iso(s: &str) -> String {
    format!("<bdi>{}</bdi>", escape(s))
}

/// A catalog string in the page's title: escaped, its bidirectional-text controls removed.
fn plain(s: &str) -> String {
    let bidi = &crate::catalog::BIDI_CONTROLS;
    escape(&s.chars().filter(|c| !bidi.contains(c)).collect::<String>())
}

/// The page's styles: the app's printable list's (`www/list.css`), so both print alike.
const STYLE: &str = include_str!("../../../www/list.css");

/// The page of a region's list: its own items by field, then the items handled above.
pub(crate) fn page(index: &Index, list: &LocalList) -> String {
    let (full_name, code) = (list.full_name.as_str(), list.code.as_str());
    let (own, above) = (&list.own, &list.above);
    let info = index.catalog_info();
    let title = if info.name.is_empty() {
        "权力清单".to_string()
    } else {
        info.name.clone()
    };
    let mut by_field: BTreeMap<&str, Vec<&ItemView>> = BTreeMap::new();
    for it in own {
        by_field.entry(it.field.as_str()).or_default().push(it);
    }
    let mut h = String::new();
    let _ = write!(
        h,
        "<!doctype html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{} · {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<header>\n<h1>{}</h1>\n<p class=\"region\">{}（{}）</p>\n",
        plain(full_name),
        plain(&title),
        iso(&title),
        iso(full_name),
        iso(code),
    );
    let mut meta = Vec::new();
    if !info.version.is_empty() {
        meta.push(format!("版本 {}", iso(&info.version)));
    }
    if !info.date.is_empty() {
        meta.push(format!("日期 {}", iso(&info.date)));
    }
    meta.push(format!(
        "本级行使 {} 项，由上级行使 {} 项",
        own.len(),
        above.len()
    ));
    let _ = writeln!(h, "<p class=\"meta\">{}</p>\n</header>", meta.join(" · "));
    h.push_str("<nav aria-label=\"目录\"><ol>\n");
    for (i, (field, items)) in by_field.iter().enumerate() {
        let _ = writeln!(
            h,
            "<li><a href=\"#f{i}\">{}</a>（{} 项）</li>",
            iso(field),
            items.len()
        );
    }
    h.push_str("<li><a href=\"#above\">由上级部门行使的事项</a></li>\n</ol></nav>\n");
    let mut n = 0;
    // The responsibility list, in a column of its own when some item of the region's has one.
    let with_duties = own
        .iter()
        .any(|it| !(it.duties.is_empty() && it.accountability.is_empty()));
    let duties_head = if with_duties {
        "<th>责任清单</th>"
    } else {
        ""
    };
    for (i, (field, items)) in by_field.iter().enumerate() {
        let _ = writeln!(
            h,
            "<section id=\"f{i}\">\n<h2>{}（{} 项）</h2>\n<table>\n<thead><tr><th>序号</th><th>事项编码</th><th>事项名称</th><th>事项类型</th><th>承办主体</th><th>实施依据</th>{duties_head}</tr></thead>\n<tbody>",
            iso(field),
            items.len()
        );
        for it in items {
            n += 1;
            h.push_str(&own_row(it, n, with_duties));
        }
        h.push_str("</tbody>\n</table>\n</section>\n");
    }
    let _ = writeln!(
        h,
        "<section id=\"above\">\n<h2>由上级部门行使的事项（{} 项）</h2>\n<table>\n<thead><tr><th>序号</th><th>事项编码</th><th>事项名称</th><th>事项类型</th><th>领域</th><th>承办主体</th></tr></thead>\n<tbody>",
        above.len()
    );
    for (i, it) in above.iter().enumerate() {
        let _ = writeln!(
            h,
            "<tr><td class=\"n\">{}</td><td class=\"code\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            i + 1,
            iso(&it.code),
            iso(&it.name),
            iso(&it.kind),
            iso(&it.field),
            iso(&it.handled_by),
        );
    }
    let _ = write!(
        h,
        "</tbody>\n</table>\n</section>\n<footer>由 powerlist {} 根据清单索引生成。法律条文为清单编制时的文本，以正式公布的文本为准。</footer>\n</body>\n</html>\n",
        escape(powerlist::VERSION)
    );
    h
}

/// A row of the region's own items: number, code, name, type, handling body, the bases with the
/// cited text, and the 责任清单 cell when the list has that column.
fn own_row(it: &ItemView, n: usize, with_duties: bool) -> String {
    let body = match &it.handled_mode {
        Some(m) => format!("{}（{}）", iso(&it.handled_by), iso(m)),
        None => iso(&it.handled_by),
    };
    let mut basis = String::new();
    for b in &it.bases {
        let text = b.cited_text.as_deref().unwrap_or(&b.text);
        // The version of the law's text after its title, and a word when a newer one replaced it.
        let note = b.superseded.as_ref().map_or(String::new(), |s| {
            format!(
                "<p class=\"superseded\">该法律法规已于{}修订，下列条文为修订前的文本，请以现行文本为准。</p>",
                iso(&s.date)
            )
        });
        let _ = write!(
            basis,
            "<p>{}</p>{note}<blockquote>{}</blockquote>",
            iso(&b.versioned_citation),
            iso(text)
        );
    }
    if basis.is_empty() {
        basis.push_str("<p>（未列明）</p>");
    }
    let duties = if with_duties {
        duties_cell(it)
    } else {
        String::new()
    };
    format!(
        "<tr><td class=\"n\">{n}</td><td class=\"code\">{}</td><td>{}</td><td class=\"kind\">{}</td><td>{body}</td><td class=\"basis\">{basis}</td>{duties}</tr>\n",
        iso(&it.code),
        iso(&it.name),
        iso(&it.kind),
    )
}

/// The 责任清单 cell of an item: its 责任事项 and 追责情形, one entry a line (as list.js shows
/// them).
fn duties_cell(it: &ItemView) -> String {
    let mut cell = String::new();
    for (title, list) in [("责任事项", &it.duties), ("追责情形", &it.accountability)] {
        if list.is_empty() {
            continue;
        }
        let _ = write!(cell, "<p>{title}</p><ul>");
        for entry in list {
            let _ = write!(cell, "<li>{}</li>", iso(entry));
        }
        cell.push_str("</ul>");
    }
    if cell.is_empty() {
        cell.push_str("<p>（未列明）</p>");
    }
    format!("<td class=\"duties\">{cell}</td>")
}
