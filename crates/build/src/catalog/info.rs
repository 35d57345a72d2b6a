//! `catalog.txt`: the catalog's name, version and date.

use std::path::Path;

use super::diags::line_of;
use super::CatalogInfo;
use powerlist::error::{Diagnostic, Error};

/// Reads `catalog.txt`: `name: …`, `version: …`, `date: YYYY-MM-DD` lines (`#` starts a
/// comment). A missing file gives an empty info.
pub fn read_info(dir: &Path) -> Result<CatalogInfo, Error> {
    let path = dir.join("catalog.txt");
    if !path.exists() {
        return Ok(CatalogInfo::default());
    }
    let name = path.display().to_string();
    let bytes = std::fs::read(&path).map_err(|e| Error::io(name.clone(), &e))?;
    parse_info(&name, &bytes)
}

/// Parses the text of a `catalog.txt`.
pub fn parse_info(file: &str, bytes: &[u8]) -> Result<CatalogInfo, Error> {
    let err = |line: usize, message: String| {
        Error::Catalog(vec![Diagnostic {
            file: file.to_string(),
            line,
            message,
            warning: false,
            sheet: None,
        }])
    };
    let text = std::str::from_utf8(bytes).map_err(|e| {
        err(
            line_of(bytes, e.valid_up_to()),
            "the file is not valid UTF-8".into(),
        )
    })?;
    let mut info = CatalogInfo::default();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim().trim_start_matches('\u{feff}');
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((key, value)) = line.split_once(':').or_else(|| line.split_once('：')) else {
            return Err(err(
                n + 1,
                format!("expected `key: value`, found \"{line}\""),
            ));
        };
        let value = value.trim().to_string();
        match key.trim() {
            "name" | "名称" => info.name = value,
            // Read by `Sources::from_dir` (see `base_dir`).
            "base" | "基础目录" => {}
            "version" | "版本" => info.version = value,
            "date" | "日期" => {
                let b = value.as_bytes();
                let ok = b.len() == 10
                    && b[4] == b'-'
                    && b[7] == b'-'
                    && b.iter()
                        .enumerate()
                        .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
                if !ok {
                    return Err(err(
                        n + 1,
                        format!("date \"{value}\" must be written YYYY-MM-DD"),
                    ));
                }
                info.date = value;
            }
            other => {
                return Err(err(
                    n + 1,
                    format!("unknown key \"{other}\"; use name, version, date or base"),
                ))
            }
        }
    }
    Ok(info)
}
