//! The bodies table (`bodies.csv`, or the bodies sheet of a workbook): how to reach a handling
//! body or a department — phone, address, office hours, web page. Optional: a body without a
//! row has no contact, and a page points to the 12345 hotline instead.

use std::collections::{HashMap, HashSet};

use super::contacts::{phone_problem, too_long, url_problem, MAX_NAME, MAX_TEXT};
use super::diags::{Diags, Locator};
use super::headers::Column;
use super::table::{read_table, Row, Table};
use super::{Assignment, Body, Item, SourceFile};
use powerlist::index::Contact;

const BODY_COLUMNS: &[Column] = &[
    Column {
        key: "name",
        names: &[
            "name",
            "名称",
            "机构名称",
            "单位名称",
            "主体名称",
            "承办主体",
        ],
        required: true,
    },
    Column {
        key: "phone",
        names: &["phone", "电话", "联系电话", "咨询电话", "办公电话"],
        required: false,
    },
    Column {
        key: "address",
        names: &["address", "地址", "办公地址", "办公地点"],
        required: false,
    },
    Column {
        key: "hours",
        names: &["hours", "办公时间", "工作时间"],
        required: false,
    },
    Column {
        key: "url",
        names: &["url", "网址", "网站", "网页"],
        required: false,
    },
];

/// Reads and checks the bodies table. A name repeated, a phone that is not one, a web address
/// that is not http(s) and an overlong cell are errors; a name that no assignment (承办主体)
/// and no item's department (实施主体) uses is a warning (most likely misspelled). Errors go
/// to `diags`.
pub(super) fn read_bodies(
    file: &SourceFile,
    items: &[Item],
    assignments: &[Assignment],
    diags: &mut Diags,
) -> Vec<Body> {
    let Some(Table { loc, rows, .. }) = read_table(file, BODY_COLUMNS, diags) else {
        return Vec::new();
    };
    let named: HashSet<&str> = assignments
        .iter()
        .map(|a| a.body.as_str())
        .chain(items.iter().map(|i| i.department.as_str()))
        .collect();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    for mut row in rows {
        if let Some(body) = body_row(&mut row, &loc, &mut seen, diags) {
            if !named.contains(body.name.as_str()) {
                diags.warn_at(&loc, row.line, Some("name"), format!(
                    "body \"{}\" is named by no assignment (承办主体) and no item's department (实施主体); correct the name to match them or remove the row",
                    body.name
                ));
            }
            out.push(body);
        }
    }
    out
}

/// The body of one row, or `None` after reporting what is wrong with it.
fn body_row(
    row: &mut Row,
    loc: &Locator,
    seen: &mut HashMap<String, usize>,
    diags: &mut Diags,
) -> Option<Body> {
    let line = row.line;
    let mut problems: Vec<(&str, String)> = Vec::new();
    let name = row.take(0);
    if name.is_empty() {
        problems.push((
            "name",
            "the body's name (名称) is empty; write it as assignments.csv (承办主体) or items.csv (实施主体) names it".into(),
        ));
    } else if let Some(m) = too_long(&name, MAX_NAME, "the body's name (名称)") {
        problems.push(("name", m));
    } else if let Some(prev) = seen.get(&name) {
        problems.push((
            "name",
            format!("body \"{name}\" is given twice (first on line {prev}); keep one row per body"),
        ));
    }
    let contact = Contact {
        phone: row.take(1),
        address: row.take(2),
        hours: row.take(3),
        url: row.take(4),
    };
    if !contact.phone.is_empty() {
        if let Some(m) = phone_problem(&contact.phone, "the phone (电话)") {
            problems.push(("phone", m));
        }
    }
    if let Some(m) = too_long(&contact.address, MAX_TEXT, "the address (地址)") {
        problems.push(("address", m));
    }
    if let Some(m) = too_long(&contact.hours, MAX_TEXT, "the office hours (办公时间)") {
        problems.push(("hours", m));
    }
    if !contact.url.is_empty() {
        if let Some(m) = url_problem(&contact.url) {
            problems.push(("url", m));
        }
    }
    if !problems.is_empty() {
        for (key, m) in problems {
            diags.at(loc, line, Some(key), m);
        }
        return None;
    }
    seen.insert(name.clone(), line);
    Some(Body { name, contact })
}
