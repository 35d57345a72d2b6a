//! Getting a catalog back out of an index: as CSV source files ([`fn@csv`]) and as a
//! printable HTML list of one region's powers for publication ([`fn@html`]).
//!
//! The CSV files rebuild the same index: with the catalog's `laws/` beside them,
//! `powerlist build` gives the very bytes exported from. A cell that starts like a formula
//! (`=`, `+`, `-`, `@`, TAB, CR) is written with a leading `'` so that spreadsheets show it as
//! text, and read back without it ([`crate::csv_cell`]). The index keeps only the articles the
//! items cite, not whole laws, so `laws/` does not come out of it.
//!
//! ```
//! # use powerlist_build::catalog::{Catalog, SourceFile, Sources};
//! # let sources = Sources {
//! #     items: SourceFile::new("items.csv", "code,name,type,field,level,department,basis\nA-1,对乱扔垃圾的行政处罚,行政处罚,城市管理,县级；乡级,城管,\n"),
//! #     regions: None, assignments: None, bodies: None, laws: vec![] };
//! # let index = powerlist::Index::from_bytes(&powerlist_build::writer::write_index(&Catalog::compile(&sources)?)?)?;
//! let files = powerlist_build::export::csv(&index)?;
//! assert!(files.items.starts_with("code,name,type,field,level,department,basis,keywords,note\n"));
//! assert!(files.items.contains("A-1,对乱扔垃圾的行政处罚,行政处罚,城市管理,县级；乡级,城管,"));
//! # Ok::<(), powerlist::Error>(())
//! ```

use std::fmt::Write as _;

use powerlist::citation::ArticleRef;
use powerlist::error::Error;
use powerlist::format::AssignRecord;
use powerlist::view::ItemView;
use powerlist::Index;

/// A catalog's source files, as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvExport {
    /// `items.csv`.
    pub items: String,
    /// `regions.csv`, when the catalog has regions.
    pub regions: Option<String>,
    /// `assignments.csv`, when the catalog has assignments.
    pub assignments: Option<String>,
    /// `bodies.csv`, when the catalog says how to reach some bodies.
    pub bodies: Option<String>,
    /// `catalog.txt`, when the catalog has a name, version or date.
    pub catalog_txt: Option<String>,
}

/// A CSV writer into a string; `csv` quotes what needs quoting, and a cell a spreadsheet would
/// run as a formula gets a leading `'` ([`crate::csv_cell::escape`]).
struct CsvText(csv::Writer<Vec<u8>>);

impl CsvText {
    fn new(header: &[&str]) -> Result<CsvText, Error> {
        let mut w = CsvText(csv::Writer::from_writer(Vec::new()));
        w.row(header)?;
        Ok(w)
    }

    fn row<S: AsRef<str>>(&mut self, cells: &[S]) -> Result<(), Error> {
        self.0
            .write_record(
                cells
                    .iter()
                    .map(|c| crate::csv_cell::escape(c.as_ref()).into_owned()),
            )
            .map_err(|e| Error::Request(format!("cannot write CSV: {e}")))
    }

    fn finish(self) -> Result<String, Error> {
        let bytes = self
            .0
            .into_inner()
            .map_err(|e| Error::Request(format!("cannot write CSV: {e}")))?;
        String::from_utf8(bytes).map_err(|e| Error::Request(format!("cannot write CSV: {e}")))
    }
}

/// A table of [`Index::stats`](powerlist::Index::stats) as CSV text.
/// The table as CSV text, header first (no BOM).
pub fn stats_csv(table: &powerlist::stats::StatsTable) -> Result<String, Error> {
    let mut w = CsvText::new(&table.header)?;
    for row in &table.rows {
        w.row(row)?;
    }
    w.finish()
}

/// Legal bases in the form the catalog reader parses: `《A》第一条、第二条第一款；《B》第三条`.
fn basis_cell(item: &ItemView) -> String {
    let mut out = String::new();
    let mut last_law: Option<&str> = None;
    for b in &item.bases {
        let r = ArticleRef {
            article: b.article,
            paragraph: b.paragraph,
            item: b.item,
        };
        if last_law == Some(b.law.as_str()) {
            out.push('、');
        } else {
            if last_law.is_some() {
                out.push('；');
            }
            let _ = write!(out, "《{}》", b.law);
            last_law = Some(&b.law);
        }
        out.push_str(&r.display());
    }
    out
}

/// Every item, in catalog order, with its handling body in `region`.
fn all_items(index: &Index, region: Option<&str>) -> Result<Vec<ItemView>, Error> {
    (0..index.item_count() as u32)
        .map(|id| index.item_view(id, region, None))
        .collect()
}

/// The catalog's tables as CSV text (English headers), and `catalog.txt`.
pub fn csv(index: &Index) -> Result<CsvExport, Error> {
    let all = all_items(index, None)?;
    // The items' own contacts only when some item has one (the header stays as it was).
    let own = all.iter().any(|it| {
        !(it.consult_phone.is_empty() && it.complaint_phone.is_empty() && it.place.is_empty())
    });
    let mut header = vec![
        "code",
        "name",
        "type",
        "field",
        "level",
        "department",
        "basis",
        "keywords",
        "note",
    ];
    if own {
        header.extend(["consult_phone", "complaint_phone", "place"]);
    }
    // The responsibility list likewise, one entry a line in its cell.
    let duties = all
        .iter()
        .any(|it| !(it.duties.is_empty() && it.accountability.is_empty()));
    if duties {
        header.extend(["duties", "accountability"]);
    }
    let mut items = CsvText::new(&header)?;
    for it in &all {
        let level = it.level.join("；");
        let basis = basis_cell(it);
        let keywords = it.keywords.join("；");
        let (duty, accountability) = (it.duties.join("\n"), it.accountability.join("\n"));
        let mut row = vec![
            it.code.as_str(),
            &it.name,
            &it.kind,
            &it.field,
            &level,
            &it.department,
            &basis,
            &keywords,
            &it.note,
        ];
        if own {
            row.extend([it.consult_phone.as_str(), &it.complaint_phone, &it.place]);
        }
        if duties {
            row.extend([duty.as_str(), &accountability]);
        }
        items.row(&row)?;
    }
    let loaded = index.regions_section()?;
    let rs = &loaded.regions;
    let regions = if rs.is_empty() {
        None
    } else {
        let mut w = CsvText::new(&["code", "name", "parent"])?;
        for (code, name, parent) in index.region_list()? {
            w.row(&[code, name, parent.unwrap_or_default()])?;
        }
        Some(w.finish()?)
    };
    let assignments = if loaded.assignments.is_empty() {
        None
    } else {
        // The documents and periods only when some assignment has them (the header stays as
        // it was).
        let dated = !loaded.dated.is_empty();
        let mut header = vec!["item", "region", "body", "mode"];
        if dated {
            header.extend(TERMS_COLUMNS);
        }
        let mut w = CsvText::new(&header)?;
        for (a, terms) in assignments_in_source_order(index)? {
            let text = |i: u32| loaded.bodies.get(i as usize).map_or("", |s| s.as_str());
            let code = index.item_record(a.item)?.code;
            let region = rs.get(a.region as usize).map_or("", |r| r.code.as_str());
            let mut row = vec![
                code,
                region.into(),
                text(a.body).into(),
                text(a.mode).into(),
            ];
            if dated {
                row.extend(terms_cells(loaded, terms));
            }
            w.row(&row)?;
        }
        Some(w.finish()?)
    };
    let bodies = bodies_csv(index)?;
    let c = index.catalog_info();
    let catalog_txt =
        (!(c.name.is_empty() && c.version.is_empty() && c.date.is_empty())).then(|| {
            let mut s = String::new();
            for (k, v) in [
                ("name", &c.name),
                ("version", &c.version),
                ("date", &c.date),
            ] {
                if !v.is_empty() {
                    let _ = writeln!(s, "{k}: {v}");
                }
            }
            s
        });
    Ok(CsvExport {
        items: items.finish()?,
        regions,
        assignments,
        bodies,
        catalog_txt,
    })
}

/// `bodies.csv`: how to reach the bodies assignments name, then the departments not among
/// them; none when the catalog gives no contact.
fn bodies_csv(index: &Index) -> Result<Option<String>, Error> {
    let loaded = index.regions_section()?;
    let mut contacts: Vec<(&str, &powerlist::index::Contact)> = loaded
        .contacts
        .iter()
        .map(|b| {
            let name = loaded.bodies.get(b.body as usize);
            (name.map_or("", |s| s.as_str()), &b.contact)
        })
        .collect();
    for (name, c) in index.department_contacts() {
        if !contacts.iter().any(|(n, _)| n == name) {
            contacts.push((name, c));
        }
    }
    if contacts.is_empty() {
        return Ok(None);
    }
    let mut w = CsvText::new(&["name", "phone", "address", "hours", "url"])?;
    for (name, c) in contacts {
        w.row(&[name, &c.phone, &c.address, &c.hours, &c.url])?;
    }
    Ok(Some(w.finish()?))
}

/// The assignments' optional columns: the document that made each, when it holds, what
/// ended it.
const TERMS_COLUMNS: [&str; 7] = [
    "document",
    "document_date",
    "basis_document",
    "from",
    "until",
    "end_document",
    "note",
];

/// The cells of [`TERMS_COLUMNS`] for the terms numbered `t` (none: empty cells).
fn terms_cells(loaded: &powerlist::index::RegionsSection, t: Option<u32>) -> Vec<String> {
    let Some(t) = t.and_then(|t| loaded.terms.get(t as usize)) else {
        return vec![String::new(); TERMS_COLUMNS.len()];
    };
    let doc = |d: u32| {
        d.checked_sub(1)
            .and_then(|i| loaded.documents.get(i as usize))
    };
    let day =
        |n: u32| powerlist::date::Date::from_ymd(n).map_or_else(String::new, |d| d.to_string());
    let made = doc(t.document);
    vec![
        made.map_or_else(String::new, |d| d.number.clone()),
        made.map_or_else(String::new, |d| day(d.date)),
        made.map_or_else(String::new, |d| d.basis.clone()),
        day(t.from),
        day(t.until),
        doc(t.end_document).map_or_else(String::new, |d| d.number.clone()),
        t.note.clone(),
    ]
}

/// Assignments (with their terms' numbers) in an order that interns their body and mode
/// texts in the order the index lists them, so a rebuild from the exported file writes the
/// same bytes. The index keeps texts in order of first use in the source file; sorting by the
/// latest text an assignment uses (a body and mode first used together ahead of the rest)
/// restores that.
fn assignments_in_source_order(index: &Index) -> Result<Vec<(AssignRecord, Option<u32>)>, Error> {
    let loaded = index.regions_section()?;
    let mut dated = loaded.dated.iter().peekable();
    let mut list: Vec<(AssignRecord, Option<u32>)> = loaded
        .assignments
        .iter()
        .enumerate()
        .map(|(at, &a)| (a, dated.next_if(|d| d.at as usize == at).map(|d| d.terms)))
        .collect();
    list.sort_by_key(|(a, _)| {
        let last = a.body.max(a.mode);
        let introduces_both = a.body.checked_add(1) == Some(a.mode);
        (last, !introduces_both)
    });
    Ok(list)
}

/// A printable, self-contained HTML page of [`Index::local_list`](powerlist::Index::local_list): what `region` (a township
/// or county, by code or name) exercises itself, by field, with the legal bases and the
/// cited text, and what the levels above handle there. Every catalog string is escaped.
pub fn html(index: &Index, region: &str) -> Result<String, Error> {
    let list = index.local_list(region)?;
    Ok(crate::export_html::page(index, &list))
}
