//! Broken catalogs: each problem is reported as `file:line: message` with the fix.

use crate::common;

use common::{mini_sources, with_items};
use powerlist::Error;
use powerlist_build::catalog::{Catalog, SourceFile, Sources};

const HEADER: &str = "code,name,type,field,level,department,basis,keywords,note\n";

fn errors(s: &Sources) -> Vec<String> {
    match Catalog::compile(s) {
        Ok(_) => vec![],
        Err(Error::Catalog(d)) => d
            .iter()
            .filter(|d| !d.warning)
            .map(|d| d.to_string())
            .collect(),
        Err(e) => vec![e.to_string()],
    }
}

fn item_errors(rows: &str) -> Vec<String> {
    errors(&with_items(&format!("{HEADER}{rows}")))
}

fn assert_one(errs: &[String], expected: &str) {
    assert!(
        errs.iter().any(|e| e.contains(expected)),
        "expected {expected:?} in {errs:#?}"
    );
}

#[test]
fn the_mini_catalog_is_valid() {
    let c = Catalog::compile(&mini_sources()).unwrap();
    assert_eq!(c.items.len(), 8);
    let w: Vec<String> = c.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(w.len(), 2, "{w:#?}");
    // SZ-JC-001 has no basis; 兴化市's townships hold penalties without a document.
    assert!(w[0].starts_with("assignments.csv:3: warning: lint: 兴化市 (321281): 2 township assignments of 行政处罚 items name no document (2 items in 2 townships: CG-CF-014, CG-CF-001); 《行政处罚法》第二十四条"), "{}", w[0]);
    assert!(w[1].starts_with("items.csv:9: warning:"), "{}", w[1]);
}

#[test]
fn missing_columns_are_errors() {
    let e = errors(&with_items("code,name,type\nA,B,行政处罚\n"));
    assert_one(&e, "items.csv:1: missing column \"field\"");
}

#[test]
fn unknown_columns_are_ignored_with_a_warning() {
    // Published lists carry more columns than powerlist reads (责任事项依据, 办理时限…).
    let c = Catalog::compile(&with_items(
        "序号,权力编码,权力名称,权力类别,所属行业,实施层级,实施机关,设定依据,责任事项依据\n\
         1,A-1,对甲的行政处罚,行政处罚,城市管理,县级,城管,,依法查处\n",
    ))
    .expect("extra columns do not stop a build");
    assert_eq!(c.items.len(), 1);
    let w: Vec<String> = c.warnings.iter().map(|w| w.to_string()).collect();
    assert!(
        w.iter().any(|w| w.starts_with(
            "items.csv:1: warning: column \"责任事项依据\" is not one powerlist reads and is ignored"
        )),
        "{w:?}"
    );
}

#[test]
fn header_cells_ignore_spaces_stars_and_bracketed_remarks() {
    let c = Catalog::compile(&with_items(
        "事项 编码,*事项名称,事项类型,领域,行使层级,实施主体,\"实施\n依据（法律法规条款）\"\n\
         A-1,对甲的行政处罚,行政处罚,城市管理,县级,城管,\n",
    ))
    .expect("the header is understood");
    assert_eq!(c.items[0].name, "对甲的行政处罚");
}

#[test]
fn bad_utf8_names_the_line() {
    let mut bytes =
        format!("{HEADER}A-1,对甲的行政处罚,行政处罚,城市管理,县级,城管,,,\n").into_bytes();
    bytes.extend_from_slice(b"A-2,\xff\xfe,x,y,z,w,,,\n");
    let e = errors(&with_items_bytes(bytes));
    assert_one(&e, "items.csv:3: the file is not valid UTF-8");
}

fn with_items_bytes(b: Vec<u8>) -> Sources {
    let mut s = mini_sources();
    s.items = SourceFile::new("items.csv", b);
    s.assignments = None;
    s
}

#[test]
fn bom_and_crlf_are_accepted() {
    let text = format!(
        "\u{feff}{}A-1,对甲的行政处罚,行政处罚,城市管理,县级,城管,,,\r\n",
        HEADER.replace('\n', "\r\n")
    );
    assert!(errors(&with_items(&text)).is_empty());
}

#[test]
fn duplicate_codes_ignore_case() {
    let e = item_errors("A-1,对甲的行政处罚,行政处罚,城市管理,县级,城管,,,\na-1,对乙的行政处罚,行政处罚,城市管理,县级,城管,,,\n");
    assert_one(
        &e,
        "items.csv:3: duplicate item code \"a-1\" (first used on line 2)",
    );
}

#[test]
fn unknown_type_and_level() {
    let e = item_errors("A-1,对甲的行政处罚,行政指导,城市管理,县级,城管,,,\n");
    assert_one(
        &e,
        "items.csv:2: unknown type \"行政指导\"; use one of 行政许可",
    );
    let e = item_errors("A-1,对甲的行政处罚,行政处罚,城市管理,村级,城管,,,\n");
    assert_one(&e, "items.csv:2: unknown level \"村级\"");
}

#[test]
fn citation_to_missing_law_article_paragraph_item() {
    let e = item_errors("A-1,甲,行政处罚,城市管理,县级,城管,《不存在条例》第一条,,\n");
    assert_one(
        &e,
        "items.csv:2: law 《不存在条例》 is not in the catalog's laws/",
    );
    let e = item_errors("A-1,甲,行政处罚,城市管理,县级,城管,《城市道路管理条例》第九十九条,,\n");
    assert_one(&e, "items.csv:2: 《城市道路管理条例》第九十九条: 《城市道路管理条例》 has no 第九十九条 (its articles run to 第四十五条)");
    let e =
        item_errors("A-1,甲,行政处罚,城市管理,县级,城管,《城市道路管理条例》第二十七条第三款,,\n");
    assert_one(&e, "there is no 第三款");
    let e = item_errors(
        "A-1,甲,行政处罚,城市管理,县级,城管,《城市道路管理条例》第二十七条第（九）项,,\n",
    );
    assert_one(&e, "there is no 第（九）项");
}

#[test]
fn malformed_citations() {
    let e = item_errors("A-1,甲,行政处罚,城市管理,县级,城管,《城市道路管理条例》第x条,,\n");
    assert_one(
        &e,
        "items.csv:2: citation \"《城市道路管理条例》第x条\": \"x\" is not a number",
    );
    let e = item_errors("A-1,甲,行政处罚,城市管理,县级,城管,城市道路管理条例第一条,,\n");
    assert_one(&e, "unexpected");
}

#[test]
fn short_titles_resolve() {
    // The mini catalog has no 中华人民共和国 laws; the short title of a regulation is itself.
    let e = item_errors("A-1,甲,行政处罚,城市管理,县级,城管,《城市道路管理条例》第42条,,\n");
    assert!(e.is_empty(), "{e:?}");
}

#[test]
fn a_short_name_two_laws_declare_is_an_error_at_its_line() {
    let mut s = mini_sources();
    s.laws.push(SourceFile::new(
        "laws/某某条例.md",
        "# 某某条例\n\n简称：市容条例\n\n<!-- INFO END -->\n\n第一条 正文。\n",
    ));
    assert_one(
        &errors(&s),
        "laws/某某条例.md:3: the short name `市容条例` (简称) is also 《城市市容和环境卫生管理条例》's",
    );
}

#[test]
fn wrong_field_count() {
    let e = item_errors("A-1,甲,行政处罚,城市管理,县级,城管,,\n");
    assert_one(
        &e,
        "items.csv:2: this row has 8 fields but the header has 9",
    );
}

#[test]
fn empty_file_and_header_only() {
    assert_one(&errors(&with_items("")), "items.csv:1: the file is empty");
    assert_one(
        &errors(&with_items(HEADER)),
        "items.csv:1: the file has a header but no items",
    );
}

#[test]
fn assignment_to_unknown_item_or_region() {
    let mut s = mini_sources();
    s.assignments = Some(SourceFile::new(
        "assignments.csv",
        "item,region,body\nNOPE,321281,某局\nCG-CF-014,999,某局\n",
    ));
    let e = errors(&s);
    assert_one(&e, "assignments.csv:2: unknown item \"NOPE\"");
    assert_one(&e, "assignments.csv:3: unknown region \"999\"");
}

#[test]
fn region_cycles_and_unknown_parents() {
    let mut s = mini_sources();
    s.assignments = None;
    s.regions = Some(SourceFile::new(
        "regions.csv",
        "code,name,parent\n32,江苏省,3212\n3212,泰州市,32\n321281,兴化市,3299\n",
    ));
    let e = errors(&s);
    assert_one(&e, "is part of a parent cycle");
    assert_one(
        &e,
        "regions.csv:4: region 321281 names parent 3299, which is not in the file",
    );
}

/// A regions table 200,000 deep (each region below the one before) is checked, compiled and
/// written in linear time (it took 48 s when each region's walk up was checked whole).
#[test]
fn a_region_tree_200000_deep_is_checked_in_linear_time() {
    let mut text = String::from(common::REGIONS);
    let mut parent = String::new();
    for i in 0..200_000u64 {
        let code = (100_000_000_000 + i).to_string();
        text.push_str(&format!("{code},区{i},{parent}\n"));
        parent = code;
    }
    let mut s = mini_sources();
    s.regions = Some(SourceFile::new("regions.csv", text));
    let start = std::time::Instant::now();
    let catalog = Catalog::compile(&s).expect("a deep tree is valid");
    powerlist_build::writer::write_index(&catalog).expect("writes");
    let took = start.elapsed();
    assert_eq!(catalog.regions.len(), 200_007);
    assert!(took < std::time::Duration::from_secs(5), "took {took:?}");
}

/// Every region on a loop is reported once, at its line; regions below a loop are not.
#[test]
fn each_region_of_a_parent_cycle_is_reported_once() {
    let mut s = mini_sources();
    s.assignments = None;
    s.regions = Some(SourceFile::new(
        "regions.csv",
        "code,name,parent\n32,江苏省,\n3212,泰州市,321281\n321281,兴化市,321202\n321202,海陵区,3212\n321202001,城东街道,321202\n321281001,昭阳街道,321281001000\n321281001000,村,321281001\n",
    ));
    let e = errors(&s);
    let cycle: Vec<&String> = e.iter().filter(|e| e.contains("parent cycle")).collect();
    assert_eq!(cycle.len(), 5, "{e:#?}");
    for line in [3, 4, 5, 7, 8] {
        assert_one(&e, &format!("regions.csv:{line}: region"));
    }
}

#[test]
fn all_errors_are_reported_at_once() {
    let e = item_errors("A-1,甲,行政指导,城市管理,县级,城管,,,\nA-2,乙,行政处罚,城市管理,县级,城管,《城市道路管理条例》第九十九条,,\n");
    assert_eq!(e.len(), 2, "{e:#?}");
}

#[test]
fn regression_assignments_of_a_broken_item_do_not_cascade() {
    let mut s = mini_sources();
    let items = common::ITEMS.replace("行政许可,城市管理", "行政指导,城市管理");
    s.items = SourceFile::new("items.csv", items);
    s.assignments = Some(SourceFile::new(
        "assignments.csv",
        "item,region,body\nCG-XK-001,321281,某局\n",
    ));
    let e = errors(&s);
    assert_eq!(e.len(), 1, "{e:#?}");
}

mod lint {
    use super::*;

    fn warnings(rows: &str) -> Vec<String> {
        let c = Catalog::compile(&with_items(&format!("{HEADER}{rows}"))).expect("valid");
        c.warnings.iter().map(|d| d.to_string()).collect()
    }

    #[test]
    fn penalty_item_citing_no_penalty() {
        // 第二十七条 only lists prohibitions; 第四十二条 sets the fine.
        let w = warnings(
            "A-1,对甲的行政处罚,行政处罚,城市管理,县级,城管,《城市道路管理条例》第二十七条,,\n",
        );
        assert!(w.iter().any(|w| w.starts_with("items.csv:2: warning: lint: A-1 is a 行政处罚 but none of its cited articles sets a penalty")), "{w:?}");
        let w = warnings("A-1,对甲的行政处罚,行政处罚,城市管理,县级,城管,《城市道路管理条例》第二十七条、第四十二条,,\n");
        assert!(w.is_empty(), "{w:?}");
    }

    #[test]
    fn coercion_item_citing_no_measure() {
        let w =
            warnings("A-1,查封甲,行政强制,城市管理,县级,城管,《城市道路管理条例》第二十七条,,\n");
        assert!(
            w.iter().any(|w| w.contains("lint: A-1 is a 行政强制")),
            "{w:?}"
        );
    }

    #[test]
    fn duplicate_names() {
        let w = warnings("A-1,对甲的行政处罚,行政检查,城市管理,县级,城管,《城市道路管理条例》第四十二条,,\nA-2,对甲的行政处罚,行政检查,城市管理,县级,城管,《城市道路管理条例》第四十二条,,\n");
        assert!(
            w.iter().any(|w| w
                .starts_with("items.csv:3: warning: lint: A-2 has the same name as A-1 (line 2)")),
            "{w:?}"
        );
    }

    #[test]
    fn no_basis_is_a_warning() {
        let w = warnings("A-1,对甲的行政处罚,行政处罚,城市管理,县级,城管,,,\n");
        assert!(w.iter().any(|w| w.contains("has no legal basis")), "{w:?}");
    }
}

mod catalog_info {

    #[test]
    fn parses_keys_and_checks_the_date() {
        let i = powerlist_build::catalog::parse_info(
            "catalog.txt",
            "# c\nname: 示例\nversion: 2025.1\ndate: 2025-11-25\n".as_bytes(),
        )
        .unwrap();
        assert_eq!(
            (i.name.as_str(), i.version.as_str(), i.date.as_str()),
            ("示例", "2025.1", "2025-11-25")
        );
        let e =
            powerlist_build::catalog::parse_info("catalog.txt", "date: 25/11/2025\n".as_bytes())
                .unwrap_err()
                .to_string();
        assert!(
            e.contains("catalog.txt:1: date \"25/11/2025\" must be written YYYY-MM-DD"),
            "{e}"
        );
        let e = powerlist_build::catalog::parse_info("catalog.txt", "edition: 1\n".as_bytes())
            .unwrap_err()
            .to_string();
        assert!(e.contains("catalog.txt:1: unknown key \"edition\""), "{e}");
    }

    /// Every value is capped (issue 17): the error names the line and the cap.
    #[test]
    fn long_values_are_errors_naming_the_line() {
        use powerlist_build::catalog::{parse_info, MAX_INFO_CHARS};
        let ok = "名".repeat(MAX_INFO_CHARS);
        assert!(parse_info("catalog.txt", format!("name: {ok}\n").as_bytes()).is_ok());
        for key in ["name", "version", "base", "名称"] {
            let text = format!("# c\ndate: 2025-11-25\n{key}: {ok}名\n");
            let e = parse_info("catalog.txt", text.as_bytes())
                .unwrap_err()
                .to_string();
            let want = format!(
                "catalog.txt:3: the {key} is {} characters long; at most {MAX_INFO_CHARS} are allowed",
                MAX_INFO_CHARS + 1
            );
            assert!(e.contains(&want), "{e}");
        }
        let e = parse_info("catalog.txt", &vec![b'#'; 1 << 20])
            .unwrap_err()
            .to_string();
        assert!(e.contains("a catalog.txt holds a few short lines"), "{e}");
    }
}
