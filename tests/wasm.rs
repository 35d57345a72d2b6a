//! The JavaScript API, in headless Chromium (wasm-bindgen-test). The index is compiled in the
//! page from the mini catalog, then used only through the exported bindings. scripts/test.sh runs
//! them twice: without features (the citizen's module, www/pkg/) and with `--features maintainer`
//! (www/pkg/admin/), where the maintainer's methods are tested too.
#![cfg(target_arch = "wasm32")]

mod common;

use js_sys::{Array, Object, Reflect};
use powerlist_wasm::{format_version, version, PowerIndex};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).expect("property exists")
}

fn index() -> PowerIndex {
    PowerIndex::new(common::mini_bytes()).expect("index loads")
}

fn options(pairs: &[(&str, JsValue)]) -> Option<JsValue> {
    let o = Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &JsValue::from_str(k), v).unwrap();
    }
    Some(o.into())
}

#[wasm_bindgen_test]
fn search_returns_items_with_handler_and_highlights() {
    let idx = index();
    let r = idx
        .search(
            "摆摊",
            options(&[("region", "321281100".into()), ("limit", 5.into())]),
        )
        .map_err(JsValue::from)
        .unwrap();
    assert_eq!(get(&r, "kind").as_string().unwrap(), "keyword");
    assert!(get(&r, "total").as_f64().unwrap() >= 1.0);
    let hits: Array = get(&r, "hits").dyn_into().unwrap();
    let top = hits.get(0);
    assert_eq!(get(&top, "code").as_string().unwrap(), "CG-CF-014");
    assert_eq!(
        get(&top, "handled_by").as_string().unwrap(),
        "戴窑镇综合行政执法局"
    );
    let facets = get(&r, "facets");
    assert!(get(&get(&facets, "type"), "行政处罚").as_f64().unwrap() >= 1.0);
}

#[wasm_bindgen_test]
fn pinyin_citation_and_code_queries() {
    let idx = index();
    for (q, kind) in [
        ("zdjy", "pinyin"),
        ("摆摊", "keyword"),
        ("城市道路管理条例第二十七条", "citation"),
        ("cg-cf-014", "code"),
    ] {
        let r = idx.search(q, None).map_err(JsValue::from).unwrap();
        assert_eq!(get(&r, "kind").as_string().unwrap(), kind, "{q}");
        assert!(get(&r, "total").as_f64().unwrap() >= 1.0, "{q}");
    }
}

#[wasm_bindgen_test]
fn search_ids_are_typed_arrays_and_item_builds_one() {
    let idx = index();
    let ids = idx
        .search_ids("城市道路", None)
        .map_err(JsValue::from)
        .unwrap();
    assert!(ids.total() >= 4);
    let first = ids.ids()[0];
    let item = idx.item(first, None, None).map_err(JsValue::from).unwrap();
    assert!(get(&item, "name").as_string().unwrap().contains("城市道路"));
    assert!(idx.item(9999, None, None).is_err());
}

#[wasm_bindgen_test]
fn get_lists_and_info() {
    let idx = index();
    let item = idx
        .get("CG-CF-014", Some("321281".into()), None)
        .map_err(JsValue::from)
        .unwrap();
    assert_eq!(
        get(&item, "handled_by").as_string().unwrap(),
        "兴化市城市管理局"
    );
    assert_eq!(idx.types().len(), 10);
    assert_eq!(idx.levels(), vec!["省级", "市级", "县级", "乡级"]);
    assert!(idx.fields().contains(&"城市管理".to_string()));
    let regions: Array = idx
        .regions()
        .map_err(JsValue::from)
        .unwrap()
        .dyn_into()
        .unwrap();
    assert_eq!(regions.length(), 7);
    let info = idx.info().map_err(JsValue::from).unwrap();
    assert_eq!(get(&info, "items").as_f64(), Some(8.0));
    assert_eq!(get(&info, "regions").as_f64(), Some(7.0));
    assert_eq!(
        get(&info, "format_version").as_f64(),
        Some(f64::from(powerlist::format::FORMAT_VERSION))
    );
    assert!(get(&get(&info, "catalog"), "name").is_string());
    assert_eq!(idx.item_count(), 8);
    assert!(!version().is_empty());
    assert_eq!(format_version(), powerlist::format::FORMAT_VERSION);
}

/// The numbers of `powerlist stats`, for the page's charts; its first fields are `info()`'s.
#[cfg(feature = "maintainer")]
#[wasm_bindgen_test]
fn stats_for_the_charts() {
    let idx = index();
    let stats = idx.stats().map_err(JsValue::from).unwrap();
    assert_eq!(get(&stats, "items").as_f64().unwrap(), 8.0);
    // The distribution numbers of `powerlist stats`, for the page's charts.
    assert_eq!(
        get(&get(&stats, "by_body"), "戴窑镇综合行政执法局").as_f64(),
        Some(1.0)
    );
    let townships: Array = get(&stats, "townships").dyn_into().unwrap();
    assert_eq!(townships.length(), 3);
    let counties: Array = get(&stats, "counties").dyn_into().unwrap();
    let xinghua = counties
        .iter()
        .find(|c| get(c, "code").as_string().as_deref() == Some("321281"))
        .unwrap();
    assert_eq!(get(&xinghua, "devolved").as_f64(), Some(2.0));
    assert_eq!(get(&xinghua, "share").as_f64(), Some(0.25));
    // Every law with its version and the items citing it.
    let laws: Array = get(&stats, "law_texts").dyn_into().unwrap();
    assert_eq!(laws.length(), 2);
    let first = laws.get(0);
    assert_eq!(
        get(&get(&first, "version"), "label").as_string().as_deref(),
        Some("2017年修订")
    );
    assert_eq!(get(&first, "items").as_f64(), Some(4.0));
    let json = |v: &JsValue| -> String { js_sys::JSON::stringify(v).unwrap().into() };
    let info = idx.info().map_err(JsValue::from).unwrap();
    for key in Object::keys(info.unchecked_ref::<Object>()).iter() {
        let key = key.as_string().unwrap();
        assert_eq!(json(&get(&stats, &key)), json(&get(&info, &key)), "{key}");
    }
    let devolved: Array = idx
        .devolved("321281")
        .map_err(JsValue::from)
        .unwrap()
        .dyn_into()
        .unwrap();
    assert!(devolved.length() > 0);
}

fn error_message(e: wasm_bindgen::JsError) -> String {
    let v = JsValue::from(e);
    let err: js_sys::Error = v.dyn_into().expect("a real JS Error");
    err.message().into()
}

fn load_error(bytes: &[u8]) -> (String, String) {
    let err: js_sys::Error = PowerIndex::new(bytes.to_vec())
        .err()
        .unwrap()
        .dyn_into()
        .expect("a real JS Error");
    let code = get(&err, "code").as_string().unwrap_or_default();
    (err.message().into(), code)
}

#[wasm_bindgen_test]
fn errors_are_js_errors_with_the_full_message() {
    let (m, code) = load_error(b"definitely not an index");
    assert!(m.contains("not a powerlist index") && code == "not-index");
    // A byte of the metadata, which is checked on load (the pinyin FST, now half the mini
    // index, is checked on first use).
    let mut bytes = common::mini_bytes();
    let at = {
        let c = powerlist::format::Container::parse(&bytes).unwrap();
        let meta = c.section(powerlist::format::section::META).unwrap();
        meta.as_ptr() as usize - bytes.as_ptr() as usize + meta.len() / 2
    };
    bytes[at] ^= 1;
    let (m, code) = load_error(&bytes);
    assert!(m.contains("checksum mismatch") && code == "corrupt");
    let (m, code) = load_error(&[]);
    assert!(m.contains("the index is empty") && code == "empty");
    let mut bytes = common::mini_bytes();
    bytes[8] = 9;
    let (m, code) = load_error(&bytes);
    assert!(m.contains("format version 9") && code == "version", "{m}");
    let idx = index();
    let e = idx
        .search("x", options(&[("field", "不存在".into())]))
        .err()
        .unwrap();
    assert!(error_message(e).contains("unknown field"));
    let e = idx.search("x", Some(JsValue::from(42))).err().unwrap();
    assert!(error_message(e).contains("invalid search options"));
    let e = idx.get("NOPE", None, None).err().unwrap();
    assert!(error_message(e).contains("no item has code"));
}

#[wasm_bindgen_test]
fn every_truncation_is_an_error_in_the_browser() {
    let bytes = common::mini_bytes();
    for len in (0..bytes.len()).step_by(97) {
        assert!(PowerIndex::new(bytes[..len].to_vec()).is_err(), "{len}");
    }
}

#[cfg(feature = "maintainer")]
#[wasm_bindgen_test]
fn diff_against_an_older_version() {
    let new = index();
    // The older version: CG-CF-014 had a shorter name and there were no assignments yet.
    let items = common::ITEMS.replace("对擅自占用城市道路的行政处罚", "对擅自占用道路的行政处罚");
    let catalog = powerlist_build::catalog::Catalog::compile(&common::with_items(&items)).unwrap();
    let old = PowerIndex::new(powerlist_build::writer::write_index(&catalog).unwrap()).unwrap();
    let d = new.diff(&old).map_err(JsValue::from).unwrap();
    let counts = get(&d, "counts");
    assert_eq!(get(&counts, "renamed").as_f64(), Some(1.0));
    assert_eq!(get(&counts, "added").as_f64(), Some(0.0));
    assert_eq!(get(&counts, "reassigned").as_f64(), Some(5.0));
    let renamed = Array::from(&get(&d, "renamed")).get(0);
    assert_eq!(get(&renamed, "code").as_string().unwrap(), "CG-CF-014");
    assert_eq!(
        get(&renamed, "old_name").as_string().unwrap(),
        "对擅自占用道路的行政处罚"
    );
    let same = new.diff(&new).map_err(JsValue::from).unwrap();
    assert_eq!(get(&get(&same, "counts"), "reassigned").as_f64(), Some(0.0));
    assert_eq!(Array::from(&get(&same, "renamed")).length(), 0);
}

/// What a new text of a cited law changes: the law's bytes in, the units and the items citing
/// them out; a text that is no law is an error saying so.
#[cfg(feature = "maintainer")]
#[wasm_bindgen_test]
fn amendment_of_a_cited_law() {
    let idx = index();
    let new = common::LAW_ROADS.replace(
        "(一)擅自占用或者挖掘城市道路；",
        "(一)擅自占用或者挖掘城市道路、人行道；",
    );
    let a = idx
        .amendment(new.as_bytes())
        .map_err(JsValue::from)
        .unwrap();
    assert_eq!(get(&a, "law").as_string().unwrap(), "城市道路管理条例");
    let counts = get(&a, "counts");
    assert_eq!(get(&counts, "changed").as_f64(), Some(1.0));
    assert_eq!(get(&counts, "gone").as_f64(), Some(0.0));
    let units = Array::from(&get(&a, "units"));
    let changed = units
        .iter()
        .find(|u| get(u, "status").as_string().as_deref() == Some("changed"))
        .unwrap();
    assert_eq!(
        get(&get(&changed, "old"), "label").as_string().unwrap(),
        "第二十七条第（一）项"
    );
    let edits = Array::from(&get(&changed, "edits"));
    assert!(edits
        .iter()
        .any(|e| get(&e, "kind").as_string().as_deref() == Some("insert")));
    assert_eq!(Array::from(&get(&changed, "items")).length(), 2);
    assert!(get(&changed, "now_at_old_number").is_null());
    let err = idx
        .amendment("不是法律".as_bytes())
        .map(|_| ())
        .unwrap_err();
    let message = error_message(err);
    assert!(
        message.starts_with("line 1: no articles found"),
        "{message}"
    );
}

#[cfg(feature = "maintainer")]
#[wasm_bindgen_test]
fn overlaps_of_an_item_in_a_region() {
    let idx = index();
    let o = idx
        .overlaps("CG-CF-014", Some("321281100".into()))
        .map_err(JsValue::from)
        .unwrap();
    assert_eq!(
        get(&o, "handled_by").as_string().unwrap(),
        "戴窑镇综合行政执法局"
    );
    let shared = Array::from(&get(&o, "shared"));
    let first = shared.get(0);
    assert_eq!(get(&first, "level").as_string().unwrap(), "same_unit");
    assert_eq!(get(&first, "code").as_string().unwrap(), "CG-CF-015");
    assert_eq!(
        get(&first, "handled_by").as_string().unwrap(),
        "泰州市城市管理局"
    );
    assert_eq!(get(&first, "same_body").as_bool(), Some(false));
    assert!(idx.overlaps("NOPE-1", None).is_err());
}

/// Hits and items are copies of templates kept per item (`Shown` in crates/wasm/src/lib.rs): a region's
/// handling body must not leak into the next result without a region, or into another region,
/// and a caller changing a result must not change the next one.
#[wasm_bindgen_test]
fn cached_items_are_copies_with_the_regions_handler() {
    let idx = index();
    let handled_by = |r: &JsValue| -> String {
        let hits: Array = get(r, "hits").dyn_into().unwrap();
        get(&hits.get(0), "handled_by").as_string().unwrap()
    };
    let search = |region: Option<&str>| {
        let opts = match region {
            Some(code) => options(&[("region", code.into()), ("limit", 5.into())]),
            None => options(&[("limit", 5.into())]),
        };
        idx.search("摆摊", opts).map_err(JsValue::from).unwrap()
    };
    let plain = search(None);
    assert_eq!(handled_by(&plain), "县级城市管理部门");
    assert_eq!(
        handled_by(&search(Some("321281100"))),
        "戴窑镇综合行政执法局"
    );
    assert_eq!(handled_by(&search(None)), "县级城市管理部门");

    // A caller's change to one hit stays in that hit.
    let hits: Array = get(&plain, "hits").dyn_into().unwrap();
    let top = hits.get(0);
    Reflect::set(&top, &"name".into(), &"changed".into()).unwrap();
    let again: Array = get(&search(None), "hits").dyn_into().unwrap();
    assert_ne!(get(&again.get(0), "name").as_string().unwrap(), "changed");
    // Nested arrays are shared between copies, so they are frozen.
    assert!(Object::is_frozen(
        &get(&top, "keywords").unchecked_into::<Object>()
    ));
    assert!(Object::is_frozen(
        &get(&top, "bases").unchecked_into::<Object>()
    ));

    // item() with and without a region, in either order.
    let id = idx
        .search_ids("摆摊", None)
        .map_err(JsValue::from)
        .unwrap()
        .ids()[0];
    let with = idx
        .item(id, Some("321281100".into()), None)
        .map_err(JsValue::from)
        .unwrap();
    let without = idx.item(id, None, None).map_err(JsValue::from).unwrap();
    assert_eq!(
        get(&with, "handled_by").as_string().unwrap(),
        "戴窑镇综合行政执法局"
    );
    assert_eq!(get(&with, "handled_mode").as_string().unwrap(), "赋权");
    assert_eq!(
        get(&without, "handled_by").as_string().unwrap(),
        "县级城市管理部门"
    );
    assert!(get(&without, "handled_region").is_null());
    let bases: Array = get(&without, "bases").dyn_into().unwrap();
    assert!(get(&bases.get(0), "text")
        .as_string()
        .is_some_and(|t| !t.is_empty()));
}

/// How to reach the handler: set per region on each copy of an item's template (the
/// department's without a region), the item's own phone first, `null` when nothing is known.
#[wasm_bindgen_test]
fn items_carry_how_to_reach_the_handler_in_the_region() {
    let idx = PowerIndex::new(common::contacts_bytes()).expect("index loads");
    let phone = |code: &str, region: Option<&str>| {
        let item = idx
            .get(code, region.map(String::from), None)
            .map_err(JsValue::from)
            .unwrap();
        let c = get(&item, "contact");
        (!c.is_null()).then(|| get(&c, "phone").as_string().unwrap())
    };
    assert_eq!(phone("CG-CF-001", None).as_deref(), Some("0523-00000003"));
    assert_eq!(
        phone("CG-CF-001", Some("321281100")).as_deref(),
        Some("0523-00000002 转 8001")
    );
    assert_eq!(phone("CG-CF-001", None).as_deref(), Some("0523-00000003"));
    assert_eq!(
        phone("CG-CF-014", Some("321281100")).as_deref(),
        Some("0523-00000099")
    );
    assert_eq!(phone("CG-CF-015", Some("321281100")), None);
    let item = idx
        .get("CG-CF-014", None, None)
        .map_err(JsValue::from)
        .unwrap();
    assert_eq!(
        get(&item, "complaint_phone").as_string().unwrap(),
        "0523-00000098"
    );
}

/// The copies `search()`, `item()` and `get()` make of their templates, with score, highlights
/// and handling body set on them, are exactly what converting the same views gives (the JSON
/// contract in the README): same keys, same order, same values, with and without a region.
#[wasm_bindgen_test]
fn copies_match_the_converted_views() {
    // The fourth: a law's version from MANIFEST.tsv (no kind), another's superseded.
    for bytes in [
        common::mini_bytes(),
        common::contacts_bytes(),
        common::duties_bytes(),
        common::superseded_bytes(),
    ] {
        copies_match_the_converted_views_of(bytes);
    }
}

fn copies_match_the_converted_views_of(bytes: Vec<u8>) {
    let idx = PowerIndex::new(bytes.clone()).expect("index loads");
    let native = powerlist::Index::from_bytes(&bytes).expect("index loads");
    let json = |v: &JsValue| -> String { js_sys::JSON::stringify(v).unwrap().into() };
    let serde = |v: &dyn erased::Ser| -> String { json(&v.to_js()) };
    for region in [None, Some("321281100")] {
        let opts = powerlist::SearchOptions {
            region: region.map(String::from),
            limit: Some(50),
            ..Default::default()
        };
        // `CG-CF` (codes): hits without highlights keep the template's own empty array.
        for q in [
            "城市道路",
            "摆摊",
            "zdjy",
            "城市道路管理条例第二十七条",
            "CG-CF",
        ] {
            let view = native.search_view(q, &opts).unwrap();
            let r = idx
                .search(
                    q,
                    options(&[
                        ("limit", 50.into()),
                        ("region", region.unwrap_or("").into()),
                    ]),
                )
                .map_err(JsValue::from)
                .unwrap();
            let hits: Array = get(&r, "hits").dyn_into().unwrap();
            assert_eq!(hits.length() as usize, view.hits.len(), "{q}");
            for (i, h) in view.hits.iter().enumerate() {
                assert_eq!(json(&hits.get(i as u32)), serde(h), "{q} hit {i}");
            }
        }
        for id in 0..native.item_count() as u32 {
            let view = native.item_view(id, region, None).unwrap();
            let item = idx
                .item(id, region.map(String::from), None)
                .map_err(JsValue::from)
                .unwrap();
            assert_eq!(json(&item), serde(&view), "item {id}");
        }
    }
}

/// The other results converted by hand (`crates/wasm/src/js.rs`) are what serde's conversion of
/// the same values gives: the search result's kind, suggestions and citation, the regions, the
/// handlers and the info.
#[wasm_bindgen_test]
fn hand_conversions_match_serde() {
    let bytes = common::mini_bytes();
    let idx = PowerIndex::new(bytes.clone()).expect("index loads");
    let native = powerlist::Index::from_bytes(&bytes).expect("index loads");
    let json = |v: &JsValue| -> String { js_sys::JSON::stringify(v).unwrap().into() };
    let serde = |v: &dyn erased::Ser| -> String { json(&v.to_js()) };
    let (mut cited, mut suggested) = (0, 0);
    for q in [
        "城市道路管理条例第二十七条",
        "城市道路管理条例第二十七条第一款",
        "城市道路管理条例",
        "《城市市容和环境卫生管理条例》第三十四条第（一）项",
        "城市道路条例第27、33条",
        "城市道路条例 99条 33条",
        "CG-CF-0014",
        "CG-XX",
        "摆摊",
        "zhandaao",
        "占到经营",
        "",
    ] {
        let r = native.search(q, &Default::default()).unwrap();
        cited += usize::from(r.citation.as_ref().is_some_and(|c| c.articles.len() > 1));
        suggested += usize::from(!r.suggestions.is_empty());
        let js = idx.search(q, None).map_err(JsValue::from).unwrap();
        assert_eq!(json(&get(&js, "kind")), serde(&r.kind), "{q}");
        assert_eq!(json(&get(&js, "suggestions")), serde(&r.suggestions), "{q}");
        assert_eq!(json(&get(&js, "citation")), serde(&r.citation), "{q}");
        assert_eq!(json(&get(&js, "corrected")), serde(&r.corrected), "{q}");
        let word = get(&js, "corrected_word");
        assert_eq!(json(&word), serde(&r.corrected_word), "{q}");
        if q == "zhandaao" {
            assert_eq!(word.as_string().as_deref(), Some("占道"));
        }
    }
    assert!(
        cited >= 1 && suggested >= 1,
        "{cited} citations of several articles, {suggested} suggestions"
    );
    #[derive(serde::Serialize)]
    struct R {
        code: String,
        name: String,
        parent: Option<String>,
    }
    let regions: Vec<R> = native
        .region_list()
        .unwrap()
        .into_iter()
        .map(|(code, name, parent)| R { code, name, parent })
        .collect();
    assert_eq!(
        json(&idx.regions().map_err(JsValue::from).unwrap()),
        serde(&regions)
    );
    for region in ["321281", "321281100"] {
        let js = idx
            .handlers("CG-CF-014", region, None)
            .map_err(JsValue::from)
            .unwrap();
        let want = native.handlers_below("CG-CF-014", region, None).unwrap();
        assert_eq!(json(&js), serde(&want), "{region}");
    }
    let info = idx.info().map_err(JsValue::from).unwrap();
    assert_eq!(json(&info), serde(&native.info().unwrap()));
}

/// The devolution catalog's periods (documents, dates, 上收) on the days asked: the copies
/// `item()` and `search()` make are what converting the views gives, and an invalid date throws.
#[wasm_bindgen_test]
fn periods_match_the_converted_views_on_each_day() {
    let bytes = common::devolution_bytes();
    let idx = PowerIndex::new(bytes.clone()).expect("index loads");
    let native = powerlist::Index::from_bytes(&bytes).expect("index loads");
    let json = |v: &JsValue| -> String { js_sys::JSON::stringify(v).unwrap().into() };
    let serde = |v: &dyn erased::Ser| -> String { json(&v.to_js()) };
    for region in [None, Some("320803101"), Some("320803103")] {
        for date in [None, Some("2025-07-31"), Some("2025-08-01")] {
            let day = date.map(|d| d.parse::<powerlist::date::Date>().unwrap());
            for id in 0..native.item_count() as u32 {
                let view = native.view_of(id, region, day, None, true).unwrap();
                let item = idx
                    .item(id, region.map(String::from), date.map(String::from))
                    .map_err(JsValue::from)
                    .unwrap();
                assert_eq!(
                    json(&item),
                    serde(&view),
                    "item {id} in {region:?} on {date:?}"
                );
            }
            let opts = powerlist::SearchOptions {
                region: region.map(String::from),
                date: day,
                ..Default::default()
            };
            let view = native.search_view("HA", &opts).unwrap();
            let r = idx
                .search(
                    "HA",
                    options(&[
                        ("region", region.unwrap_or("").into()),
                        ("date", date.map_or(JsValue::UNDEFINED, JsValue::from)),
                    ]),
                )
                .map_err(JsValue::from)
                .unwrap();
            let hits: Array = get(&r, "hits").dyn_into().unwrap();
            for (i, h) in view.hits.iter().enumerate() {
                assert_eq!(json(&hits.get(i as u32)), serde(h), "hit {i}");
            }
        }
    }
    let after = idx
        .get(
            "HA-CF-001",
            Some("320803101".into()),
            Some("2025-08-01".into()),
        )
        .map_err(JsValue::from)
        .unwrap();
    assert_eq!(
        get(&after, "handled_by").as_string().unwrap(),
        "淮安区城市管理局"
    );
    let period = Array::from(&get(&after, "periods")).get(0);
    assert_eq!(get(&period, "state").as_string().unwrap(), "ended");
    let rows = idx
        .handlers("HA-CF-001", "320803", Some("2025-07-31".into()))
        .map_err(JsValue::from)
        .unwrap();
    assert_eq!(
        get(&Array::from(&rows).get(0), "handled_by")
            .as_string()
            .unwrap(),
        "甲镇人民政府"
    );
    let e = idx
        .get(
            "HA-CF-001",
            Some("320803101".into()),
            Some("2025-13-01".into()),
        )
        .err()
        .unwrap();
    assert!(JsValue::from(e).as_string().is_none()); // an Error object
    let bad = idx.search("HA", options(&[("date", "8/1/2025".into())]));
    let m: String = js_sys::Error::from(JsValue::from(bad.err().unwrap()))
        .message()
        .into();
    assert!(m.contains("date \"8/1/2025\" is not YYYY-MM-DD"), "{m}");
}

#[cfg(feature = "maintainer")]
#[wasm_bindgen_test]
fn devolution_between_two_days() {
    let idx = PowerIndex::new(common::devolution_bytes()).expect("index loads");
    let d = idx
        .devolution("2025-01-01", "2025-12-31")
        .map_err(JsValue::from)
        .unwrap();
    assert_eq!(get(&d, "taken_back").as_f64(), Some(4.0));
    assert_eq!(get(&d, "devolved").as_f64(), Some(1.0));
    assert!(idx.devolution("2025-12-31", "2025-01-01").is_err());
}

/// serde's own conversion, for comparison.
mod erased {
    use wasm_bindgen::JsValue;
    pub trait Ser {
        fn to_js(&self) -> JsValue;
    }
    impl<T: serde::Serialize> Ser for T {
        fn to_js(&self) -> JsValue {
            self.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
                .unwrap()
        }
    }
}

#[cfg(feature = "maintainer")]
#[wasm_bindgen_test]
fn local_list_of_a_township() {
    let idx = index();
    let list = idx
        .local_list("321281100", None)
        .map_err(JsValue::from)
        .unwrap();
    assert_eq!(get(&list, "code").as_string().unwrap(), "321281100");
    let own = Array::from(&get(&list, "own"));
    let above = Array::from(&get(&list, "above"));
    assert!(own.length() >= 1);
    assert_eq!(own.length() + above.length(), 8);
    assert_eq!(
        get(&own.get(0), "handled_by").as_string().unwrap(),
        "戴窑镇综合行政执法局"
    );
}

/// The chunked form: a core answers once the chunks its calls name (`neededChunks()`) are
/// added, the same as the single file; a chunk of another build is refused with its code.
#[wasm_bindgen_test]
fn a_chunked_index_answers_once_the_chunks_it_names_are_added() {
    let web = powerlist_build::web::split(&common::mini_bytes(), &Default::default()).unwrap();
    let idx = PowerIndex::from_core(&web.core).expect("the core loads");
    assert!(idx.is_chunked());
    assert_eq!(idx.missing_chunks().length() as usize, web.chunks.len());
    let ask = || idx.search("摆摊", options(&[("region", "321281100".into())]));
    let mut rounds = 0;
    let r = loop {
        match ask() {
            Ok(r) => break r,
            Err(_) => {
                let names = powerlist_wasm::needed_chunks();
                assert!(!names.is_empty(), "a failed call names what it needs");
                for name in names {
                    let c = web.chunks.iter().find(|c| c.name == name).unwrap();
                    idx.add_chunk(&c.bytes)
                        .map_err(|e| format!("{e:?}"))
                        .unwrap();
                }
                rounds += 1;
                assert!(rounds < 8);
            }
        }
    };
    let hits: Array = get(&r, "hits").dyn_into().unwrap();
    assert_eq!(get(&hits.get(0), "code").as_string().unwrap(), "CG-CF-014");
    assert_eq!(
        get(&hits.get(0), "handled_by").as_string().unwrap(),
        "戴窑镇综合行政执法局"
    );
    // A chunk of another build: refused, with the code the page words as "reload".
    let other = powerlist_build::web::split(
        &powerlist_build::writer::write_index(
            &powerlist_build::catalog::Catalog::compile(&common::with_items(
                "code,name,type,field,level,department,basis\nA-1,对乱扔垃圾的行政处罚,行政处罚,城市管理,县级,城管,\n",
            ))
            .unwrap(),
        )
        .unwrap(),
        &Default::default(),
    )
    .unwrap();
    let err = idx.add_chunk(&other.chunks[0].bytes).unwrap_err();
    assert_eq!(get(&err, "code").as_string().unwrap(), "foreign-chunk");
}
