//! Bidirectional-text controls (U+202E RIGHT-TO-LEFT OVERRIDE…): invisible characters that make
//! the text around them display in another order (`321281990` shown as `099182123`). A catalog
//! has no use for them; each is reported as a warning where it is.

/// The controls: ALM, LRM, RLM, the embeddings and overrides, the isolates.
pub const BIDI_CONTROLS: [char; 12] = [
    '\u{061C}', '\u{200E}', '\u{200F}', '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}',
    '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}',
];

/// The first bidirectional-text control in `s`.
pub fn bidi_control(s: &str) -> Option<char> {
    s.chars().find(|c| BIDI_CONTROLS.contains(c))
}

/// The warning for `what` (`the "name" field`) holding the control `c`.
pub(super) fn message(what: &str, c: char) -> String {
    format!(
        "{what} holds an invisible bidirectional-text control (U+{:04X}), which can make the text around it display in another order; delete it (retype the text, or remove the character in an editor that shows it)",
        c as u32
    )
}
