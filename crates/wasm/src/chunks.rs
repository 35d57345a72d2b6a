//! A chunked index in the browser (see `powerlist::format::web`): `PowerIndex.fromCore`
//! loads the core, `addChunk` adds a chunk the page fetched, `missingChunks` lists what is
//! still to copy for offline use. A call that needs a chunk not added yet throws, and
//! `neededChunks()` then names every chunk it needs: the page fetches them, adds them and
//! calls again (`www/loader.js`, `ask`), so an answer is never made from part of its data.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;

use powerlist::index::Index;

use crate::{load_error, PowerIndex};

thread_local! {
    /// The chunks the last failed call needed (the module is single-threaded).
    static NEEDED: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// Notes the chunks `e` asks for, when it is [`powerlist::Error::NeedChunks`].
pub(crate) fn note(e: &powerlist::Error) {
    if let powerlist::Error::NeedChunks(names) = e {
        NEEDED.with(|n| *n.borrow_mut() = names.clone());
    }
}

/// The chunks the last call that threw needed (file names without `.bin`), and forgets them;
/// empty when it failed for another reason.
#[wasm_bindgen(js_name = neededChunks)]
pub fn needed_chunks() -> Vec<String> {
    NEEDED.with(|n| std::mem::take(&mut *n.borrow_mut()))
}

#[wasm_bindgen]
impl PowerIndex {
    /// Loads the core of a chunked index (`core.bin` of `powerlist build --web`). Throws as
    /// the constructor does; a single-file index is refused here with code `"wrong-form"`.
    #[wasm_bindgen(js_name = fromCore)]
    pub fn from_core(bytes: &[u8]) -> Result<PowerIndex, JsValue> {
        Index::from_core(bytes)
            .map(PowerIndex::wrap)
            .map_err(load_error)
    }

    /// Adds a chunk (`<name>.bin`). Throws, with `code` `"foreign-chunk"` for a chunk of
    /// another build and `"corrupt"` (or `"not-index"`) for damaged bytes; the index stays as
    /// it was.
    #[wasm_bindgen(js_name = addChunk)]
    pub fn add_chunk(&self, bytes: &[u8]) -> Result<(), JsValue> {
        self.inner.add_chunk(bytes).map_err(load_error)
    }

    /// The chunks not added yet, as `[name, bytes]` pairs (none for a single file).
    #[wasm_bindgen(js_name = missingChunks, unchecked_return_type = "[string, number][]")]
    pub fn missing_chunks(&self) -> js_sys::Array {
        self.inner
            .missing_chunks()
            .into_iter()
            .map(|(name, bytes)| {
                js_sys::Array::of2(&JsValue::from_str(&name), &JsValue::from_f64(bytes as f64))
            })
            .collect()
    }

    /// Whether this index was loaded from a core (and may need chunks).
    #[wasm_bindgen(getter, js_name = isChunked)]
    pub fn is_chunked(&self) -> bool {
        self.inner.is_chunked()
    }
}
