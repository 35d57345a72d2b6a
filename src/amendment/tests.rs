use super::*;
use proptest::prelude::*;

fn r(article: u32, paragraph: Option<u32>, item: Option<u32>) -> ArticleRef {
    ArticleRef {
        article,
        paragraph,
        item,
    }
}

/// The old law with every reference of `refs` cited by one item each.
fn cited(text: &str, refs: &[ArticleRef]) -> CitedLaw {
    let law = Law::parse(text).unwrap();
    CitedLaw {
        title: law.title.clone(),
        articles_total: law.articles.len() as u32,
        articles: law.articles.clone(),
        units: refs
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let item = ItemRef {
                    code: format!("X-{i}"),
                    name: format!("事项{i}"),
                };
                (*r, vec![item])
            })
            .collect(),
    }
}

const OLD: &str = "# 示例条例\n\n第一条 为了加强示例管理，制定本条例。\n\n\
    第二条 禁止下列行为：\n\n（一）在公共场所随地吐痰；\n\n（二）乱扔果皮纸屑。\n\n\
    第三条 任何单位和个人不得擅自占用城市道路。\n\n因特殊情况需要临时占用的，应当经市政工程行政主管部门批准。\n\n\
    第四条 禁止在城市道路上设置摊点摆卖商品。\n\n\
    第五条 违反本条例第三条规定的，由市政工程行政主管部门责令限期改正，可以处二万元以下的罚款。\n";

/// 第三条第二款 changed; 第四条 deleted; a new 第二条 pushes the rest down; 第五条 (now 第五条
/// again, after the deletion and the insertion) changed; the items of 第二条 swapped.
const NEW: &str = "# 示例条例\n\n第一条 为了加强示例管理，制定本条例。\n\n\
    第二条 本条例适用于本市行政区域。\n\n\
    第三条 禁止下列行为：\n\n（一）乱扔果皮纸屑；\n\n（二）在公共场所随地吐痰。\n\n\
    第四条 任何单位和个人不得擅自占用城市道路。\n\n因特殊情况需要临时占用的，应当经城市管理部门批准。\n\n\
    第五条 违反本条例第四条规定的，由城市管理部门责令限期改正，可以处五万元以下的罚款。\n";

#[test]
fn every_fate_of_a_cited_unit() {
    let old = cited(
        OLD,
        &[
            r(1, None, None),
            r(2, None, Some(1)),
            r(2, None, Some(2)),
            r(3, Some(1), None),
            r(3, Some(2), None),
            r(4, None, None),
            r(5, None, None),
        ],
    );
    let a = compare(&old, &Law::parse(NEW).unwrap());
    let got: Vec<(Status, String, Option<String>, bool)> = a
        .units
        .iter()
        .map(|u| {
            (
                u.status,
                u.old.label.clone(),
                u.new.as_ref().map(|n| n.label.clone()),
                u.text_changed,
            )
        })
        .collect();
    let want = |s, o: &str, n: Option<&str>, c| (s, o.to_string(), n.map(str::to_string), c);
    assert_eq!(
        got,
        [
            want(Status::Unchanged, "第一条", Some("第一条"), false),
            // The item's own text counts, not its number; it stays the first paragraph's.
            want(
                Status::Moved,
                "第二条第（一）项",
                Some("第三条第（二）项"),
                false
            ),
            want(
                Status::Moved,
                "第二条第（二）项",
                Some("第三条第（一）项"),
                false
            ),
            want(Status::Moved, "第三条第一款", Some("第四条第一款"), false),
            want(Status::Moved, "第三条第二款", Some("第四条第二款"), true),
            want(Status::Gone, "第四条", None, true),
            want(Status::Changed, "第五条", Some("第五条"), true),
        ]
    );
    let gone = &a.units[5];
    assert_eq!(gone.similarity, 0.0);
    assert!(gone
        .now_at_old_number
        .as_deref()
        .unwrap()
        .starts_with("任何单位"));
    let changed = &a.units[6];
    assert!(changed.similarity >= SIMILAR && changed.similarity < 1.0);
    assert!(changed
        .edits
        .iter()
        .any(|e| e.kind == EditKind::Insert && e.text.contains('五')));
    assert_eq!(
        (a.counts.units, a.counts.unchanged, a.counts.changed),
        (7, 1, 1)
    );
    assert_eq!((a.counts.moved, a.counts.gone, a.counts.items), (4, 1, 6));
    assert!(a.needs_review());
    // The text report names each group and the items.
    let text = a.to_string();
    for want in [
        "被引用的条款 7 个：未变 1 · 修改 1 · 移动 4 · 删除 1；待复核事项 6 项",
        "  第二条第（一）项 → 第三条第（二）项（文字未变）",
        "  第三条第二款 → 第四条第二款（文字修改，相似度",
        "  第四条（新文本中没有相同或相近的条文）",
        "    X-5  事项5",
        "〔二 → 五〕万元以下的罚款。",
    ] {
        assert!(text.contains(want), "{want}\n{text}");
    }
}

#[test]
fn the_same_text_is_nothing_to_review() {
    let old = cited(OLD, &[r(3, Some(2), None), r(5, None, None)]);
    let a = compare(&old, &Law::parse(OLD).unwrap());
    assert!(a.units.iter().all(|u| u.status == Status::Unchanged));
    assert!(!a.needs_review());
    assert_eq!(a.counts.items, 0);
    assert!(a.to_string().contains("新文本没有改动本清单引用的条款。"));
    // Spaces and punctuation are not changes.
    let spaced = OLD.replace("，", ",").replace("二万元", "二 万元");
    let a = compare(&old, &Law::parse(&spaced).unwrap());
    assert!(!a.needs_review());
}

#[test]
fn a_plain_text_reads_as_markdown_line_for_line() {
    let plain = "\u{feff}中华人民共和国示例法\n（2020年1月1日通过）\n\n目录\n第一章　总则\n\n第一章　总则\n\n\
                 第一条　为了示例，制定本法。\n第二条　禁止下列行为：\n（一）甲；\n（二）乙。\n第二章 罚则\n第三条 违反的，处罚款。\n";
    let md = as_markdown(plain);
    assert_eq!(md.lines().count(), plain.lines().count());
    let law = Law::parse(&md).unwrap();
    assert_eq!(law.title, "中华人民共和国示例法");
    assert_eq!(law.articles.len(), 3);
    assert_eq!(law.article(2).unwrap().paragraphs.len(), 1, "{md}");
    // Markdown, and text starting with an article, are left alone (the latter then fails).
    assert!(matches!(as_markdown(OLD), std::borrow::Cow::Borrowed(_)));
    assert!(read_law("第一条 无标题。\n".as_bytes()).is_err());
}

#[test]
fn bad_texts_are_errors_naming_the_line() {
    let err = |b: &[u8]| match read_law(b) {
        Err(Error::Amendment { error, .. }) => error,
        other => panic!("{other:?}"),
    };
    assert_eq!(err(b"# T\n\xff\n"), AmendError::NotUtf8 { line: 2 });
    assert!(matches!(
        err(b"# T\n\nno articles\n"),
        AmendError::NotALaw { line: 1, .. }
    ));
    let big = vec![b'a'; MAX_LAW_BYTES + 1];
    assert!(matches!(err(&big), AmendError::TooLarge { .. }));
    let many: String = std::iter::once("# T\n".to_string())
        .chain((1..=MAX_LAW_ARTICLES as u32 + 1).map(|n| format!("第{n}条 文。\n")))
        .collect();
    assert_eq!(
        err(many.as_bytes()),
        AmendError::TooManyArticles {
            articles: MAX_LAW_ARTICLES + 1
        }
    );
    let e = Error::Amendment {
        error: AmendError::NotUtf8 { line: 2 },
        file: None,
    };
    assert_eq!(
        e.clone().in_law_file("new.md").to_string(),
        "new.md:2: the law text is not valid UTF-8; save it as UTF-8 (not GBK)"
    );
    assert!(e.to_string().starts_with("line 2: "));
}

/// A deterministic generator (xorshift).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// What a synthetic amendment did to an old article: where it went (`None`: deleted) and
/// whether its text changed.
type Truth = Vec<(u32, Option<u32>, bool)>;

/// An amendment of `law` as legislators make them: about one article in twelve deleted, one in
/// fifteen inserted (an article of `donor`, another law: the same style and boilerplate), one
/// in five changed (an amount, a phrase added or dropped, a body renamed), the rest renumbered.
fn amend(law: &Law, donor: &Law, rng: &mut Rng) -> (String, Truth) {
    let mut out = format!("# {}\n\n", law.title);
    let mut truth = Vec::new();
    let mut n = 0u32;
    for a in &law.articles {
        if rng.below(15) == 0 {
            let other = &donor.articles[rng.below(donor.articles.len())];
            n += 1;
            out.push_str(&article_text(n, &other.text()));
        }
        if rng.below(12) == 0 {
            truth.push((a.number, None, true));
            continue;
        }
        n += 1;
        let text = a.text();
        let changed = rng.below(5) == 0;
        let new = if changed {
            let times = 1 + rng.below(2);
            reword(&text, rng, times)
        } else {
            text.clone()
        };
        let changed = normalise(&new, Kind::Article) != normalise(&text, Kind::Article);
        truth.push((a.number, Some(n), changed));
        out.push_str(&article_text(n, &new));
    }
    (out, truth)
}

fn article_text(n: u32, text: &str) -> String {
    format!(
        "第{}条 {}\n\n",
        crate::text::chinese_number(n),
        text.replace('\n', "\n\n")
    )
}

/// `text` with `times` edits of the kinds amendments make.
fn reword(text: &str, rng: &mut Rng, times: usize) -> String {
    let mut s = text.to_string();
    for _ in 0..times {
        s = match rng.below(4) {
            0 => s
                .replacen("二万元", "五万元", 1)
                .replacen("一万元", "三万元", 1)
                .replacen("五千元", "一万元", 1),
            1 => s.replacen('，', "，依照有关规定，", 1),
            2 => match s.split_once('，') {
                Some((a, b)) => match b.split_once('，') {
                    Some((_, c)) => format!("{a}，{c}"),
                    None => s.clone(),
                },
                None => s.clone(),
            },
            _ => s.replacen("主管部门", "主管部门和有关部门", 1).replacen(
                "人民政府",
                "地方人民政府",
                1,
            ),
        };
    }
    s
}

/// Errors at threshold `similar` over synthetic amendments of the sample's laws: (cited
/// articles, found at the wrong place or not found, deleted ones taken for another).
fn errors_at(laws: &[Law], similar: f64) -> (usize, usize, usize) {
    let (mut total, mut missed, mut false_match) = (0, 0, 0);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for (i, law) in laws.iter().enumerate() {
        let (text, truth) = amend(law, &laws[(i + 1) % laws.len()], &mut rng);
        let new = Law::parse(&text).unwrap();
        let refs: Vec<ArticleRef> = law
            .articles
            .iter()
            .map(|a| r(a.number, None, None))
            .collect();
        let cited = cited_of(law, &refs);
        let a = compare_at(&cited, &new, similar);
        for (u, (_, to, _)) in a.units.iter().zip(&truth) {
            total += 1;
            let got = u.new.as_ref().map(|n| n.article);
            match (to, got) {
                (None, Some(_)) => false_match += 1,
                (to, got) if *to != got => missed += 1,
                _ => {}
            }
        }
    }
    (total, missed, false_match)
}

fn cited_of(law: &Law, refs: &[ArticleRef]) -> CitedLaw {
    CitedLaw {
        title: law.title.clone(),
        articles_total: law.articles.len() as u32,
        articles: law.articles.clone(),
        units: refs.iter().map(|r| (*r, Vec::new())).collect(),
    }
}

fn sample_laws() -> Vec<Law> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/laws");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| Law::parse(&std::fs::read_to_string(p).unwrap()).unwrap())
        .collect()
}

/// The threshold [`SIMILAR`] as tuned: over synthetic amendments of every law of the sample,
/// every article is found where the amendment put it, and no deleted article is taken for
/// another. `cargo test --release -p powerlist threshold -- --nocapture` prints the table.
#[test]
fn threshold_on_synthetic_amendments() {
    let laws = sample_laws();
    assert!(laws.len() >= 20);
    for similar in [0.4, 0.5, 0.6, 0.7, 0.8] {
        let (total, missed, false_match) = errors_at(&laws, similar);
        println!("Dice ≥ {similar}: {total} cited articles, {missed} misplaced or missed, {false_match} deleted ones matched");
    }
    let (total, missed, false_match) = errors_at(&laws, SIMILAR);
    assert!(total > 1000, "{total}");
    assert!(
        missed * 200 <= total && false_match * 1000 <= total,
        "{missed} misplaced, {false_match} false matches of {total}"
    );
}

/// Law-like text: titles, article heads, paragraphs and items in any order, with junk.
fn lawish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("# 条例\n".to_string()),
        Just("<!-- INFO END -->\n".to_string()),
        (1u32..12).prop_map(|n| format!("第{}条 ", crate::text::chinese_number(n))),
        (1u32..5).prop_map(|n| format!("（{}）", crate::text::chinese_number(n))),
        "[甲乙丙丁，。；：（）第条款项一二三 \u{3000}]{0,12}",
        Just("\n".to_string()),
        Just("第一章 总则\n".to_string()),
        ".{0,4}",
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    /// Whatever the texts, comparing never panics, accounts for every cited unit, and a law
    /// compared with itself is unchanged.
    #[test]
    fn comparing_never_panics(old in lawish(), new in lawish(), extra in 0u32..4) {
        let _ = read_law(new.as_bytes());
        let Ok(old_law) = Law::parse(&format!("# 条例\n{old}")) else { return Ok(()); };
        let mut refs = Vec::new();
        for a in &old_law.articles {
            refs.push(r(a.number, None, None));
            for (p, para) in a.paragraphs.iter().enumerate() {
                refs.push(r(a.number, Some(p as u32 + 1), None));
                for i in 0..para.items.len() {
                    refs.push(r(a.number, Some(p as u32 + 1), Some(i as u32 + 1)));
                }
            }
        }
        // And units the old text lacks.
        refs.push(r(99, Some(extra + 1), Some(extra)));
        refs.sort();
        refs.dedup();
        let old = cited_of(&old_law, &refs);
        if let Ok(new_law) = read_law(format!("# 条例\n{new}").as_bytes()) {
            let a = compare(&old, &new_law);
            prop_assert_eq!(a.units.len(), refs.len());
            let c = &a.counts;
            prop_assert_eq!(c.unchanged + c.changed + c.moved + c.gone, c.units);
        }
        let same = compare(&old, &old_law);
        prop_assert!(same.units.iter().all(|u| u.status == Status::Unchanged || u.old.article == 99));
    }
}
