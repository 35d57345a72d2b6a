//! Matching a table's header row to the columns powerlist reads: English keys (`code`) or the
//! Chinese headers published lists use (`事项编码`, `权力编码`…).

use std::collections::HashMap;

use super::diags::{Diags, Locator};

/// A column of a table: its key (the English header, also used in messages), every header
/// that names it, and whether the table must have it.
pub(super) struct Column {
    pub(super) key: &'static str,
    pub(super) names: &'static [&'static str],
    pub(super) required: bool,
}

/// The header row to suggest: `code,name,type…`.
pub(super) fn header_hint(columns: &[Column]) -> String {
    let cols: Vec<_> = columns
        .iter()
        // Row numbers, the items' own contacts and responsibility lists, and the assignments'
        // documents and dates are rarely wanted in a new table.
        .filter(|c| {
            !matches!(
                c.key,
                "no" | "consult_phone"
                    | "complaint_phone"
                    | "place"
                    | "duties"
                    | "accountability"
                    | "document"
                    | "document_date"
                    | "basis_document"
                    | "from"
                    | "until"
                    | "end_document"
            )
        })
        .map(|c| c.key)
        .collect();
    cols.join(",")
}

/// The column a header cell names, if any. Spaces and line breaks inside the cell (`实施\n依据`),
/// a required-field star (`*事项名称`) and a trailing remark in brackets (`实施依据（条款）`)
/// do not matter.
pub(super) fn column_named(columns: &[Column], cell: &str) -> Option<usize> {
    let squeezed: String = cell
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '*' && *c != '＊')
        .collect::<String>()
        .to_ascii_lowercase();
    let find = |name: &str| columns.iter().position(|c| c.names.contains(&name));
    find(&squeezed).or_else(|| {
        let cut = squeezed.find(['（', '(']).filter(|&i| i > 0)?;
        find(&squeezed[..cut])
    })
}

/// Maps each cell of the header row (at `header_line`) to the column it names, if any. A
/// repeated or missing required column is an error (`None`); a cell naming no column is
/// ignored with a warning.
pub(super) fn match_header(
    header: &[String],
    header_line: usize,
    columns: &[Column],
    loc: &Locator,
    diags: &mut Diags,
) -> Option<Vec<Option<usize>>> {
    let mut map: Vec<Option<usize>> = Vec::new();
    let mut seen: HashMap<usize, String> = HashMap::new();
    let mut ok = true;
    for cell in header {
        let cell_t = cell.trim();
        match column_named(columns, cell_t) {
            Some(i) => {
                if let Some(prev) = seen.insert(i, cell_t.to_string()) {
                    diags.at(
                        loc,
                        header_line,
                        None,
                        format!(
                            "column \"{cell_t}\" repeats column \"{prev}\" ({}); keep one",
                            columns[i].key
                        ),
                    );
                    ok = false;
                }
                map.push(Some(i));
            }
            None if cell_t.is_empty() => map.push(None),
            None => {
                // Published lists carry more columns (责任事项依据, 办理时限…): they are
                // ignored, and said so, so a misspelled optional column is noticed.
                let expected: Vec<String> = columns
                    .iter()
                    .map(|c| format!("{} ({})", c.key, c.names[1]))
                    .collect();
                diags.warn_at(
                    loc,
                    header_line,
                    None,
                    format!(
                        "column \"{cell_t}\" is not one powerlist reads and is ignored; the columns it reads: {}",
                        expected.join(", ")
                    ),
                );
                map.push(None);
            }
        }
    }
    for (i, c) in columns.iter().enumerate() {
        if c.required && !seen.contains_key(&i) {
            diags.at(
                loc,
                header_line,
                None,
                format!(
                    "missing column \"{}\" (中文表头: {}); add it to the header row",
                    c.key, c.names[1]
                ),
            );
            ok = false;
        }
    }
    ok.then_some(map)
}
