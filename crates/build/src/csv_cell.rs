//! Formulas in CSV cells (OWASP "CSV injection"): a spreadsheet opening a CSV file runs a cell
//! that starts with `=`, `+`, `-`, `@`, a TAB or a CR (`=HYPERLINK(…)`, `+cmd|' /C calc'!A0`,
//! `@SUM(1+1)`, `-2+3`). [`escape`] writes such a cell with a leading `'`, which makes it text;
//! [`unescape`] takes that `'` off again when the catalog is read, so an exported catalog builds
//! the same index.
//!
//! To read back exactly, a cell that already starts with one or more `'` followed by a trigger
//! gets one more `'`, and reading strips exactly one `'` only from a cell of that shape:
//!
//! | text          | written        | read back     |
//! |---------------|----------------|---------------|
//! | `=1+1`        | `'=1+1`        | `=1+1`        |
//! | `'=1+1`       | `''=1+1`       | `'=1+1`       |
//! | `+86 523 1`   | `'+86 523 1`   | `+86 523 1`   |
//! | `'quoted'`    | `'quoted'`     | `'quoted'`    |
//!
//! So a cell typed by hand as `'=x` reads as `=x`. Worksheets (`.xlsx`) are not concerned: a
//! cell there holds its text as it is, and Excel's own leading `'` is not part of it.
//!
//! ```
//! use powerlist_build::csv_cell::{escape, unescape};
//! assert_eq!(escape("=HYPERLINK(\"http://x\")"), "'=HYPERLINK(\"http://x\")");
//! assert_eq!(escape("占道经营"), "占道经营");
//! for s in ["=1", "'=1", "''@x", "'a", "-", "", "'"] {
//!     assert_eq!(unescape(&escape(s)), s);
//! }
//! ```

use std::borrow::Cow;

/// What a spreadsheet reads a formula from at the start of a cell.
pub const TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether `s` is zero or more `'` and then a [trigger](TRIGGERS).
fn quoted_trigger(s: &str) -> bool {
    s.trim_start_matches('\'').starts_with(TRIGGERS)
}

/// The cell to write for `text`: with a `'` in front when it starts with a trigger, or with
/// `'`s and then a trigger; else `text` as it is. Never starts with a trigger.
pub fn escape(text: &str) -> Cow<'_, str> {
    if quoted_trigger(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// The text of a cell [`escape`] wrote (or a person typed): one leading `'` removed when what
/// follows is `'`s and then a trigger; else the cell as it is.
pub fn unescape(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if quoted_trigger(rest) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn unescape_undoes_escape_and_escaped_cells_run_nothing(s in any::<String>()) {
            let written = escape(&s);
            prop_assert_eq!(unescape(&written), s.as_str());
            prop_assert!(!written.starts_with(TRIGGERS), "{:?}", written);
        }

        #[test]
        fn quotes_and_triggers_round_trip(s in "['=+\\-@\t\ra]{0,8}") {
            let written = escape(&s);
            prop_assert_eq!(unescape(&written), s.as_str());
            prop_assert!(!written.starts_with(TRIGGERS), "{:?}", written);
        }
    }

    #[test]
    fn the_owasp_payloads_are_made_text() {
        for payload in [
            "=HYPERLINK(\"http://evil.example\",\"点击\")",
            "+cmd|' /C calc'!A0",
            "@SUM(1+1)",
            "-2+3",
            "\t=1",
            "\r=1",
            "+86 523 8612 3456",
        ] {
            assert_eq!(escape(payload), format!("'{payload}"));
        }
        assert_eq!(escape("'=x"), "''=x");
        assert_eq!(unescape("'=x"), "=x", "typed by hand");
        assert_eq!(unescape("'x"), "'x");
        assert_eq!(unescape("x'=y"), "x'=y");
    }
}
