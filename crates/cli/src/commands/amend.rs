//! `powerlist amend`: what a new text of a law changes for a catalog (动态化管理): the cited
//! articles, paragraphs and items whose text changed, moved or disappeared, and the items citing
//! each (see [`powerlist::amendment`]).

use std::io::Read;
use std::path::Path;

use powerlist::amendment::{AmendError, MAX_LAW_BYTES};
use powerlist::Error;

use crate::io::{json, load, outln};

/// The exit code when a cited unit changed, moved or is gone: items to review (0: none; 1 is an
/// error, 2 bad usage, as for every command).
pub const TO_REVIEW: i32 = 3;

/// Prints what the law text at `law` changes for the catalog of `index`, as text or JSON; the
/// exit code: [`TO_REVIEW`] when there is something to review, else 0.
pub fn run(index: &Path, law: &Path, as_json: bool) -> Result<i32, Error> {
    let index = load(index)?;
    let bytes = read_law(law)?;
    let a = powerlist::amendment::amendment(&index, &bytes)
        .map_err(|e| e.in_law_file(law.display()))?;
    if as_json {
        json(&a)?;
    } else {
        outln!("{}", a.to_string().trim_end());
    }
    Ok(if a.needs_review() { TO_REVIEW } else { 0 })
}

/// The bytes of a law file, refused unread when larger than a law text may be.
fn read_law(path: &Path) -> Result<Vec<u8>, Error> {
    let io = |e: std::io::Error| Error::io(path.display(), &e);
    let file = powerlist_build::files::open_regular(path)?;
    let len = file.metadata().map_err(io)?.len();
    let too_large = |bytes: usize| {
        Error::Amendment {
            error: AmendError::TooLarge { bytes },
            file: None,
        }
        .in_law_file(path.display())
    };
    if len > MAX_LAW_BYTES as u64 {
        return Err(too_large(usize::try_from(len).unwrap_or(usize::MAX)));
    }
    let mut bytes = Vec::new();
    file.take(MAX_LAW_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    Ok(bytes)
}
