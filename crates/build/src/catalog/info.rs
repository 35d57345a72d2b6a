//! `catalog.txt`: the catalog's name, version and date.

use std::path::Path;

use super::diags::line_of;
use super::{Catalog, CatalogInfo};
use powerlist::error::{Diagnostic, Error};

/// The most characters a value of `catalog.txt` may have.
pub const MAX_INFO_CHARS: usize = 200;
/// The largest `catalog.txt`: a few short lines.
const MAX_INFO_BYTES: usize = 64 << 10;

/// Reads `catalog.txt` into `catalog.info`: `name: …`, `version: …`, `date: YYYY-MM-DD` lines
/// (`#` starts a comment); a line holding a bidirectional-text control is a warning. A missing
/// file leaves the info empty.
pub fn read_info(dir: &Path, catalog: &mut Catalog) -> Result<(), Error> {
    let path = dir.join("catalog.txt");
    if !path.exists() {
        return Ok(());
    }
    let name = path.display().to_string();
    let bytes = crate::files::read_regular(&path)?;
    catalog.info = parse_info(&name, &bytes)?;
    let text = String::from_utf8_lossy(&bytes);
    for (n, line) in text.lines().enumerate() {
        if let Some(c) = super::bidi::bidi_control(line) {
            catalog.warnings.push(Diagnostic {
                file: name.clone(),
                line: n + 1,
                message: super::bidi::message("the line", c),
                warning: true,
                sheet: None,
            });
        }
    }
    Ok(())
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
    if bytes.len() > MAX_INFO_BYTES {
        return Err(err(
            0,
            format!("is {} bytes long; a catalog.txt holds a few short lines (at most {MAX_INFO_BYTES} bytes): is it the right file?", bytes.len()),
        ));
    }
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
        let chars = value.chars().count();
        if chars > MAX_INFO_CHARS {
            return Err(err(
                n + 1,
                format!(
                    "the {} is {chars} characters long; at most {MAX_INFO_CHARS} are allowed: shorten it",
                    key.trim()
                ),
            ));
        }
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
