//! How to reach the handler (issue 16): the catalog's `bodies` table and the items' own
//! 咨询电话, 监督电话 and 办理地点 (tests/fixtures/contacts, every contact fictitious), read and
//! checked, carried in the index and in the chunked form, and shown by `get` and `search`.

use std::sync::OnceLock;

use powerlist::index::Contact;
use powerlist::Index;
use powerlist_build::catalog::{Catalog, SourceFile, Sources};
use powerlist_build::web::{split, WebIndex, WebOptions};

use crate::common::cli::{run, stdout};
use crate::common::{mini_sources, repo};
use crate::web_index::answer;

const DAIYAO: &str = "321281100";

fn sources() -> Sources {
    Sources::from_dir(&repo().join("tests/fixtures/contacts")).expect("reads the fixture")
}

/// The contacts catalog as one file and cut for the web with every region's assignments in a
/// piece of their own.
fn built() -> &'static (Vec<u8>, WebIndex) {
    static BUILT: OnceLock<(Vec<u8>, WebIndex)> = OnceLock::new();
    BUILT.get_or_init(|| {
        let catalog = Catalog::compile(&sources()).expect("the fixture is valid");
        let single = powerlist_build::writer::write_index(&catalog).expect("writes");
        let opts = WebOptions {
            assignments: 1,
            ..Default::default()
        };
        let web = split(&single, &opts).expect("splits");
        (single, web)
    })
}

fn index() -> Index {
    Index::from_bytes(&built().0).expect("loads")
}

fn contact(phone: &str, address: &str, hours: &str, url: &str) -> Option<Contact> {
    Some(Contact {
        phone: phone.into(),
        address: address.into(),
        hours: hours.into(),
        url: url.into(),
    })
}

const DAIYAO_HOURS: &str = "周一至周五 8:30-12:00、14:00-17:30";

#[test]
fn the_bodies_table_and_the_items_own_contacts_are_read() {
    let c = Catalog::compile(&sources()).unwrap();
    let names: Vec<&str> = c.bodies.iter().map(|b| b.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "戴窑镇综合行政执法局",
            "兴化市城市管理局",
            "县级城市管理部门"
        ]
    );
    assert_eq!(c.bodies[1].contact.phone, "0523-00000002 转 8001");
    assert_eq!(c.bodies[0].contact.url, "https://example.com/daiyao");
    let item = c.items.iter().find(|i| i.code == "CG-CF-014").unwrap();
    assert_eq!(item.consult_phone, "0523-00000099");
    assert_eq!(item.complaint_phone, "0523-00000098");
    assert_eq!(item.place, "测试路99号便民服务中心");
    // The contact columns are read, not ignored with a warning.
    assert!(
        !c.warnings.iter().any(|w| w.message.contains("咨询电话")),
        "{:?}",
        c.warnings
    );
}

#[test]
fn the_items_own_contacts_come_before_the_bodys() {
    let index = index();
    // Devolved to the township, whose body has a contact; the item has its own phone and place.
    let v = index.get("CG-CF-014", Some(DAIYAO)).unwrap();
    assert_eq!(v.handled_by, "戴窑镇综合行政执法局");
    assert_eq!(
        v.contact,
        contact(
            "0523-00000099",
            "测试路99号便民服务中心",
            DAIYAO_HOURS,
            "https://example.com/daiyao"
        )
    );
    assert_eq!(v.consult_phone, "0523-00000099");
    assert_eq!(v.complaint_phone, "0523-00000098");
    // Handled by the county in the township: the county's contact.
    let v = index.get("CG-CF-001", Some("戴窑镇")).unwrap();
    assert_eq!(v.handled_by, "兴化市城市管理局");
    assert_eq!(
        v.contact,
        contact(
            "0523-00000002 转 8001",
            "测试路2号",
            "",
            "https://example.com/xinghua"
        )
    );
    // No assignment: the department's contact, with a region or without.
    for region in [Some(DAIYAO), None] {
        let v = index.get("CG-CF-011", region).unwrap();
        assert_eq!(v.handled_by, "县级城市管理部门");
        assert_eq!(
            v.contact,
            contact("0523-00000003", "测试路3号", "工作日 9:00-17:00", "")
        );
    }
    // Handled by a body without a row: nothing known (the page points to 12345).
    let v = index.get("CG-CF-015", Some(DAIYAO)).unwrap();
    assert_eq!(v.handled_by, "泰州市城市管理局");
    assert_eq!(v.contact, None);
    // The JSON has them, in the hits too.
    let json = serde_json::to_value(index.get("CG-CF-011", None).unwrap()).unwrap();
    assert_eq!(json["contact"]["phone"], "0523-00000003");
    assert_eq!(json["place"], "");
    let opts = powerlist::SearchOptions {
        region: Some(DAIYAO.into()),
        ..Default::default()
    };
    let r = index.search_view("摆摊", &opts).unwrap();
    let hit = r.hits.iter().find(|h| h.code == "CG-CF-014").unwrap();
    assert_eq!(hit.contact.as_ref().unwrap().phone, "0523-00000099");
}

#[test]
fn a_townships_handler_contact_arrives_with_its_assignments() {
    let (single, web) = built();
    let whole = Index::from_bytes(single).unwrap();
    // The township's own body and its phone are in one chunk, not in the core.
    let phone = "0523-00000001".as_bytes();
    let name = "戴窑镇综合行政执法局".as_bytes();
    let has = |bytes: &[u8], what: &[u8]| bytes.windows(what.len()).any(|w| w == what);
    assert!(!has(&web.core, phone) && !has(&web.core, name));
    let carriers: Vec<&str> = web
        .chunks
        .iter()
        .filter(|c| has(&c.bytes, phone))
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(carriers.len(), 1, "one chunk carries the phone");
    let named: Vec<&str> = web
        .chunks
        .iter()
        .filter(|c| has(&c.bytes, name))
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(
        named, carriers,
        "the chunk naming the body carries its phone"
    );
    for code in ["CG-CF-014", "CG-CF-002", "CG-CF-001", "CG-CF-011"] {
        let index = Index::from_core(&web.core).unwrap();
        let (got, cost) = answer(&index, web, |i| i.get(code, Some(DAIYAO)));
        let want = whole.get(code, Some(DAIYAO)).unwrap();
        assert_eq!(
            serde_json::to_value(&got).unwrap(),
            serde_json::to_value(&want).unwrap(),
            "{code}"
        );
        assert!(got.contact.is_some(), "{code}");
        // The record and the township's assignments (with its bodies' contacts): no round
        // more than before contacts.
        assert!(cost.rounds <= 2, "{code}: {cost:?}");
    }
    // A search in the township: the hits' handlers and their phones, as the single file.
    let index = Index::from_core(&web.core).unwrap();
    let opts = powerlist::SearchOptions {
        region: Some(DAIYAO.into()),
        ..Default::default()
    };
    let (got, _) = answer(&index, web, |i| i.search_view("城市道路", &opts));
    let want = whole.search_view("城市道路", &opts).unwrap();
    assert_eq!(
        serde_json::to_value(&got).unwrap(),
        serde_json::to_value(&want).unwrap()
    );
    // The whole section, pieced together, is the single file's.
    let (sect, _) = answer(&index, web, |i| i.regions_section().cloned());
    let named = |s: &powerlist::index::RegionsSection| {
        let mut v: Vec<(String, Contact)> = s
            .contacts
            .iter()
            .map(|c| (s.bodies[c.body as usize].clone(), c.contact.clone()))
            .collect();
        v.sort_by(|a, b| a.0.cmp(&b.0));
        v
    };
    assert_eq!(named(&sect), named(whole.regions_section().unwrap()));
    assert_eq!(sect.contacts.len(), 2);
}

/// The mini catalog with a bodies table (and items.csv replaced, when given).
fn with_bodies(bodies: &str, items: Option<&str>) -> Sources {
    let mut s = mini_sources();
    s.bodies = Some(SourceFile::new("bodies.csv", bodies));
    if let Some(items) = items {
        s.items = SourceFile::new("items.csv", items);
    }
    s
}

/// Every diagnostic as `file:line: [warning: ]message`.
fn diagnostics(s: &Sources) -> Vec<String> {
    match Catalog::compile(s) {
        Ok(c) => c.warnings.iter().map(|d| d.to_string()).collect(),
        Err(powerlist::Error::Catalog(d)) => d.iter().map(|d| d.to_string()).collect(),
        Err(e) => vec![e.to_string()],
    }
}

fn has(list: &[String], prefix: &str, fix: &str) {
    assert!(
        list.iter()
            .any(|d| d.starts_with(prefix) && d.contains(fix)),
        "expected {prefix:?} … {fix:?} in {list:#?}"
    );
}

#[test]
fn a_bad_bodies_table_names_file_line_and_fix() {
    let long = "测".repeat(201);
    let bodies = format!(
        "name,phone,address,hours,url\n\
         戴窑镇综合行政执法局,0523-00000001,测试路1号,,\n\
         戴窑镇综合行政执法局,0523-00000002,,,\n\
         兴化市城市管理局,0523-0000000x,,,\n\
         昭阳街道综合行政执法局,,,,javascript:alert(1)\n\
         泰州市城市管理局,,{long},,\n\
         ,12345,,,\n\
         戴窑镇人民政府,12345,,,\n"
    );
    let d = diagnostics(&with_bodies(&bodies, None));
    has(
        &d,
        "bodies.csv:3: ",
        "body \"戴窑镇综合行政执法局\" is given twice (first on line 2); keep one row per body",
    );
    has(
        &d,
        "bodies.csv:4: ",
        "\"0523-0000000x\" is not a phone number; write a Chinese phone number such as 0523-86000000",
    );
    has(
        &d,
        "bodies.csv:5: ",
        "is not an http:// or https:// address; write the whole address",
    );
    has(
        &d,
        "bodies.csv:6: ",
        "the address (地址) is 201 characters long; at most 200 are allowed",
    );
    has(
        &d,
        "bodies.csv:7: ",
        "the body's name (名称) is empty; write it as assignments.csv (承办主体)",
    );
    // A name no assignment or department uses is a warning, not an error.
    let d = diagnostics(&with_bodies(
        "名称,电话\n戴窑镇人民政府,12345\n戴窑镇综合行政执法局,0523-00000001\n",
        None,
    ));
    assert_eq!(
        d.iter().filter(|d| d.contains("bodies.csv")).count(),
        1,
        "{d:#?}"
    );
    has(
        &d,
        "bodies.csv:2: warning: ",
        "body \"戴窑镇人民政府\" is named by no assignment (承办主体) and no item's department (实施主体); correct the name",
    );
}

#[test]
fn an_items_bad_phone_is_an_error_at_its_line() {
    let items = "事项编码,事项名称,事项类型,领域,行使层级,实施主体,实施依据,咨询电话,监督电话,办理地点\n\
                 A-1,对甲的行政处罚,行政处罚,城市管理,县级,城管,,12345,0523-00000001转12,测试路1号\n\
                 A-2,对乙的行政处罚,行政处罚,城市管理,县级,城管,,电话咨询,,\n\
                 A-3,对丙的行政处罚,行政处罚,城市管理,县级,城管,,,123,\n";
    let mut s = with_bodies("name\n城管\n", Some(items));
    s.assignments = None;
    let d = diagnostics(&s);
    let errors: Vec<&String> = d.iter().filter(|d| !d.contains("warning")).collect();
    assert_eq!(errors.len(), 2, "{d:#?}");
    has(
        &d,
        "items.csv:3: ",
        "the consultation phone (咨询电话) \"电话咨询\" is not a phone number",
    );
    has(
        &d,
        "items.csv:4: ",
        "the complaint phone (监督电话) \"123\" is not a phone number",
    );
    // English headers too.
    let items = "code,name,type,field,level,department,basis,consult_phone,complaint_phone,place\n\
                 A-1,对甲的行政处罚,行政处罚,城市管理,县级,城管,,12345,12345,测试路1号\n";
    let mut s = with_bodies("name,phone\n城管,0523-00000003\n", Some(items));
    s.assignments = None;
    let c = Catalog::compile(&s).unwrap();
    assert_eq!(c.items[0].place, "测试路1号");
}

#[test]
fn get_and_search_print_how_to_reach_the_handler() {
    let dir = tempfile::tempdir().unwrap();
    let idx = dir.path().join("contacts.idx");
    let idx = idx.to_str().unwrap();
    let data = repo().join("tests/fixtures/contacts");
    stdout(&run(&["build", data.to_str().unwrap(), "-o", idx]));
    let out = stdout(&run(&["get", idx, "CG-CF-014", "--region", "戴窑镇"]));
    for line in [
        "     handled by: 戴窑镇综合行政执法局 (赋权)\n     phone: 0523-00000099\n",
        "     address: 测试路99号便民服务中心\n",
        "     hours: 周一至周五 8:30-12:00、14:00-17:30\n",
        "     web: https://example.com/daiyao\n",
        "     complaints: 0523-00000098\n",
    ] {
        assert!(out.contains(line), "{line:?} in\n{out}");
    }
    // Nothing known: the hotline.
    let out = stdout(&run(&["get", idx, "CG-CF-015", "--region", DAIYAO]));
    assert!(
        out.contains("     phone: 12345 (政务服务便民热线; the catalog gives no phone)\n"),
        "{out}"
    );
    let out = stdout(&run(&["search", idx, "摆摊", "--region", DAIYAO]));
    assert!(out.contains("     phone: 0523-00000099\n"), "{out}");
    let out = stdout(&run(&["search", idx, "摆摊", "--region", DAIYAO, "--json"]));
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        json["hits"][0]["contact"]["url"],
        "https://example.com/daiyao"
    );
}

#[test]
fn exported_contacts_build_the_same_index() {
    let (single, _) = built();
    let index = index();
    let files = powerlist_build::export::csv(&index).unwrap();
    let bodies = files.bodies.clone().expect("bodies.csv");
    assert!(
        bodies.starts_with("name,phone,address,hours,url\n"),
        "{bodies}"
    );
    assert!(files
        .items
        .starts_with("code,name,type,field,level,department,basis,keywords,note,consult_phone,complaint_phone,place\n"));
    let mut s = mini_sources();
    s.items = SourceFile::new("items.csv", files.items);
    s.assignments = files
        .assignments
        .map(|a| SourceFile::new("assignments.csv", a));
    s.bodies = Some(SourceFile::new("bodies.csv", bodies));
    let again = powerlist_build::writer::write_index(&Catalog::compile(&s).unwrap()).unwrap();
    assert!(again == *single, "the export rebuilds the same bytes");
}

/// The township table (`handlers_below`, the item page's 各乡镇由谁办理): each row's body
/// with how to reach it there, as the item page says it for that township; none when nothing
/// is known (the page shows 12345).
#[test]
fn the_township_table_carries_each_bodys_contact() {
    let index = index();
    let rows = index.handlers_below("CG-CF-001", DAIYAO, None).unwrap();
    let row = |code: &str| rows.iter().find(|r| r.code == code).unwrap();
    // 戴窑镇: the county's assignment, the county body's contact.
    assert_eq!(row(DAIYAO).handled_by, "兴化市城市管理局");
    assert_eq!(
        row(DAIYAO).contact,
        contact(
            "0523-00000002 转 8001",
            "测试路2号",
            "",
            "https://example.com/xinghua"
        )
    );
    // 昭阳街道: its own body, which has no row in the bodies table.
    assert_eq!(row("321281001").handled_by, "昭阳街道综合行政执法局");
    assert_eq!(row("321281001").contact, None);
    // Every row says what the item page says for its township.
    for r in &rows {
        assert_eq!(
            r.contact,
            index.get("CG-CF-001", Some(&r.code)).unwrap().contact
        );
    }
    // The item's own 咨询电话 and 办理地点 in every township.
    let rows = index.handlers_below("CG-CF-014", DAIYAO, None).unwrap();
    assert!(rows.len() > 1);
    assert!(rows
        .iter()
        .all(|r| r.contact.as_ref().unwrap().phone == "0523-00000099"));
    let json = serde_json::to_value(&rows[0]).unwrap();
    assert_eq!(json["contact"]["address"], "测试路99号便民服务中心");
}
