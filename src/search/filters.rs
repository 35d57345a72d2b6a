//! The options' filters (field, type, level), as attribute numbers, and which of them an item
//! passes.

use crate::error::Error;
use crate::index::{Index, ItemAttr};
use crate::model::{level_bit, type_index, LEVELS, TYPES};

use super::SearchOptions;

/// The filters asked for, as the attributes hold them.
pub(super) struct Filters {
    field: Option<u16>,
    kind: Option<u8>,
    level: Option<u8>,
}

/// Which filters an item passes (a filter not asked for passes every item).
#[derive(Clone, Copy)]
pub(super) struct Pass {
    pub(super) field: bool,
    pub(super) kind: bool,
    pub(super) level: bool,
}

impl Pass {
    /// Every filter: the item is a hit.
    pub(super) fn all(self) -> bool {
        self.field && self.kind && self.level
    }
}

impl Filters {
    /// Which filters item attributes `a` pass.
    pub(super) fn admit(&self, a: &ItemAttr) -> Pass {
        Pass {
            field: self.field.is_none_or(|f| a.field == f),
            kind: self.kind.is_none_or(|k| a.kind == k),
            level: self.level.is_none_or(|l| a.levels & l != 0),
        }
    }
}

/// An option's value, unless blank.
fn given(option: &Option<String>) -> Option<&str> {
    option.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl Index {
    /// The options' filters; an unknown field, type, level or region is an error naming the
    /// known ones.
    pub(super) fn filters(&self, opts: &SearchOptions) -> Result<Filters, Error> {
        let field = match given(&opts.field) {
            None => None,
            Some(f) => Some(
                self.meta
                    .fields
                    .iter()
                    .position(|x| x == f)
                    .map(|i| i as u16)
                    .ok_or_else(|| {
                        Error::Request(format!(
                            "unknown field \"{f}\"; the catalog's fields are {}",
                            self.meta.fields.join("、")
                        ))
                    })?,
            ),
        };
        let kind = match given(&opts.kind) {
            None => None,
            Some(t) => Some(type_index(t).ok_or_else(|| {
                Error::Request(format!(
                    "unknown type \"{t}\"; use one of {}",
                    TYPES.join("、")
                ))
            })?),
        };
        let level = match given(&opts.level) {
            None => None,
            Some(l) => Some(level_bit(l).ok_or_else(|| {
                Error::Request(format!(
                    "unknown level \"{l}\"; use one of {}",
                    LEVELS.join("、")
                ))
            })?),
        };
        if let Some(r) = opts.region.as_deref().filter(|s| !s.trim().is_empty()) {
            self.find_region(r)?;
        }
        Ok(Filters { field, kind, level })
    }
}
