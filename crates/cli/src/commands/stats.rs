//! `powerlist stats`: what an index holds, as text, JSON or one CSV file per table.

use std::path::Path;

use powerlist::date::Date;
use powerlist::stats::StatsTable;
use powerlist::{Error, Stats};

use crate::io::{json, load, outln, write_dir};

/// Prints the statistics of the index as text or JSON, or writes them as CSV into `csv_dir`.
pub fn run(index: &Path, as_json: bool, csv_dir: Option<&Path>) -> Result<(), Error> {
    let index = load(index)?;
    let s = index.stats()?;
    if as_json {
        return json(&s);
    }
    let tables = s.tables();
    if let Some(dir) = csv_dir {
        return write_csv(dir, &tables);
    }
    print_text(&s, &tables);
    Ok(())
}

/// Prints, per county, the township assignments that began and those taken back between the
/// two days of `period` (both counted), as text or JSON.
pub fn devolution(index: &Path, period: (Date, Date), as_json: bool) -> Result<(), Error> {
    let index = load(index)?;
    let d = index.devolution_between(period.0, period.1)?;
    if as_json {
        return json(&d);
    }
    outln!(
        "{} 至 {}：乡镇（街道）承接记录开始 {} 条（下放），终止 {} 条（上收）",
        d.from,
        d.to,
        d.devolved,
        d.taken_back
    );
    for c in &d.counties {
        outln!(
            "\n{} {}：下放 {} 条（{} 项事项），上收 {} 条（{} 项事项）",
            c.code,
            c.name,
            c.devolved,
            c.devolved_items.len(),
            c.taken_back,
            c.taken_back_items.len()
        );
        for (label, items) in [("下放", &c.devolved_items), ("上收", &c.taken_back_items)] {
            for it in items {
                let days: Vec<String> = it.dates.iter().map(|d| d.to_string()).collect();
                let docs = if it.documents.is_empty() {
                    String::new()
                } else {
                    format!("，{}", it.documents.join("、"))
                };
                outln!(
                    "  {label} {} {}：{} 个乡镇（街道），{}{docs}",
                    it.code,
                    it.name,
                    it.townships,
                    days.join("、")
                );
            }
        }
    }
    Ok(())
}

/// One `NAME.csv` per table (UTF-8 with BOM, for Excel), written as a whole (see
/// [`write_dir`]); other files in the folder are kept.
fn write_csv(dir: &Path, tables: &[StatsTable]) -> Result<(), Error> {
    let mut files = Vec::new();
    for t in tables {
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend(powerlist_build::export::stats_csv(t)?.into_bytes());
        files.push((format!("{}.csv", t.name), bytes));
    }
    write_dir(dir, &files, |name| !files.iter().any(|(n, _)| n == name))?;
    outln!("wrote {} tables to {}", tables.len(), dir.display());
    Ok(())
}

/// The summary in two lines, then each table but the first (the summary) with its title.
fn print_text(s: &Stats, tables: &[StatsTable]) {
    outln!(
        "{}（{} {}）",
        if s.catalog.name.is_empty() {
            "权力清单"
        } else {
            &s.catalog.name
        },
        s.catalog.version,
        s.catalog.date
    );
    outln!(
        "事项 {} 项，法律法规 {} 部，引用条文 {} 个，行政区划 {} 个，承接记录 {} 条；索引 {} 字节（格式 {}，powerlist {}）",
        s.items, s.laws, s.articles_cited, s.regions, s.assignments, s.bytes, s.format_version, s.built_with
    );
    for t in tables.iter().skip(1) {
        outln!("\n{}", t.title);
        for row in &t.rows {
            outln!("{}", row_line(t.name, row));
        }
        if t.rows.is_empty() {
            outln!("  （无）");
        }
    }
}

/// One row of a table, as text.
fn row_line(table: &str, row: &[String]) -> String {
    match table {
        "townships" => format!(
            "  {} {}：本级 {} 项，上级 {} 项",
            row[0], row[1], row[3], row[4]
        ),
        "counties" => format!(
            "  {} {}：{} 个乡镇（街道），下放 {} / {} 项（{:.1}%）",
            row[0],
            row[1],
            row[2],
            row[4],
            row[3],
            row[5].parse::<f64>().unwrap_or(0.0) * 100.0
        ),
        "laws" => law_line(row),
        _ => format!("  {}  {} 项", row[0], row[1]),
    }
}

/// A row of the `laws` table: `《title》 2013年修正（2013-06-29，来源 …）  12 项  已被修订：…`.
fn law_line(row: &[String]) -> String {
    let cell = |i: usize| row.get(i).map_or("", String::as_str);
    let version = match (cell(1), cell(4)) {
        ("", _) => "版本不详".to_string(),
        (label, "") => format!("{label}（{}）", cell(2)),
        (label, source) => format!("{label}（{}，来源 {source}）", cell(2)),
    };
    let superseded = match cell(5) {
        "" => String::new(),
        date => format!("  已被修订：{date}{}", cell(6)),
    };
    format!("  《{}》 {version}  {} 项{superseded}", cell(0), cell(8))
}
