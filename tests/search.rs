//! Search semantics on the mini catalog, grouped by behaviour.

use crate::common;

use common::mini_index;
use powerlist::law::CitedPosition;
use powerlist::{QueryKind, SearchOptions};

fn opts() -> SearchOptions {
    SearchOptions {
        limit: Some(100),
        ..Default::default()
    }
}

/// The codes of `q`'s hits in `index`, and how many match every word.
fn hit_codes(index: &powerlist::Index, q: &str) -> (Vec<String>, usize) {
    let r = index.search_view(q, &opts()).unwrap();
    (r.hits.into_iter().map(|h| h.code).collect(), r.strict)
}

fn codes(q: &str) -> Vec<String> {
    let index = mini_index();
    let r = index.search_view(q, &opts()).unwrap();
    r.hits.into_iter().map(|h| h.code).collect()
}

mod code {
    use super::*;

    #[test]
    fn prefix_is_case_insensitive() {
        assert_eq!(
            codes("cg-cf-01"),
            vec!["CG-CF-011", "CG-CF-014", "CG-CF-015", "CG-CF-016"]
        );
        assert_eq!(codes("CG-XK-001"), vec!["CG-XK-001"]);
    }

    #[test]
    fn code_query_returns_only_codes_in_code_order() {
        // Regression: a code query also ran the keyword path, reading `cg`, `cf` as pinyin
        // initials, which made broad prefixes the slowest queries of all (2.5 s at 1M items).
        let index = mini_index();
        let r = index.search_view("cg-cf", &opts()).unwrap();
        assert_eq!(r.kind, QueryKind::Code);
        let codes: Vec<&str> = r.hits.iter().map(|h| h.code.as_str()).collect();
        assert_eq!(
            codes,
            [
                "CG-CF-001",
                "CG-CF-002",
                "CG-CF-011",
                "CG-CF-014",
                "CG-CF-015",
                "CG-CF-016"
            ]
        );
        assert_eq!(r.strict, r.total);
    }

    /// A code typed without its separators (`cgcf014`, `CGCF01`) is the code.
    #[test]
    fn without_separators() {
        assert_eq!(codes("cgcf014"), vec!["CG-CF-014"]);
        assert_eq!(
            codes("CGCF01"),
            vec!["CG-CF-011", "CG-CF-014", "CG-CF-015", "CG-CF-016"]
        );
        let index = mini_index();
        assert_eq!(index.search("cgcf019", &opts()).unwrap().total, 0);
        // A number without its leading zeros.
        assert_eq!(codes("cg-cf-14"), vec!["CG-CF-014"]);
        assert_eq!(codes("CG-XK-1"), vec!["CG-XK-001"]);
    }

    #[test]
    fn near_miss_is_suggested() {
        let index = mini_index();
        let r = index.search("CG-CF-0l4", &opts()).unwrap();
        assert_eq!(r.total, 0);
        assert_eq!(
            r.suggestions
                .iter()
                .map(|s| s.code.as_str())
                .collect::<Vec<_>>(),
            vec!["CG-CF-014"]
        );
    }

    #[test]
    fn exact_get_ignores_case() {
        let index = mini_index();
        assert_eq!(
            index.get("cg-cf-014", None).unwrap().name,
            "对擅自占用城市道路的行政处罚"
        );
        assert!(index
            .get("nope", None)
            .unwrap_err()
            .to_string()
            .contains("no item has code"));
    }
}

mod keyword {
    use super::*;

    #[test]
    fn substring_of_name_is_found_with_highlight() {
        let index = mini_index();
        let r = index.search("占用城市道路", &opts()).unwrap();
        assert_eq!(r.kind, QueryKind::Keyword);
        let id = index.find_code("CG-CF-014").unwrap();
        let hit = r.hits.iter().find(|h| h.id == id).unwrap();
        assert_eq!(hit.highlights, vec![(3, 9)]);
        // The shortest name that contains the query ranks first.
        assert_eq!(
            index.item_view(r.hits[0].id, None, None).unwrap().code,
            "CG-XK-001"
        );
    }

    #[test]
    fn everyday_words_hit_keywords() {
        assert_eq!(codes("摆摊")[0], "CG-CF-014");
        assert_eq!(codes("涂鸦"), vec!["CG-CF-002"]);
    }

    #[test]
    fn single_character_searches_unigrams() {
        // 挖 appears in the name of CG-CF-015 and in the keywords 挖路.
        assert_eq!(codes("挖")[0], "CG-CF-015");
    }

    #[test]
    fn name_outranks_basis_text() {
        // 挖掘 is in CG-CF-015's name and only in the cited article text of CG-CF-014.
        let c = codes("挖掘");
        assert_eq!(c[0], "CG-CF-015");
        assert!(c.contains(&"CG-CF-014".to_string()));
    }

    #[test]
    fn false_joins_are_dropped_by_positions() {
        // 处罚 and 城市 occur in every penalty's name, but nowhere as 处罚城市: no strict hit,
        // only the relaxed pass (which says so).
        let index = mini_index();
        let r = index.search("处罚城市", &opts()).unwrap();
        assert!(r.relaxed);
        let r = index.search("城市处罚", &opts()).unwrap();
        assert!(r.relaxed || r.total == 0);
    }

    #[test]
    fn every_word_must_match() {
        // 涂写 is only in CG-CF-002; 道路 is not in it: no hit.
        let index = mini_index();
        let r = index.search("涂写 道路", &opts()).unwrap();
        assert!(r.relaxed || r.total == 0);
        assert_eq!(codes("涂写 树木"), vec!["CG-CF-002"]);
    }

    #[test]
    fn full_width_and_traditional_are_folded() {
        assert_eq!(codes("ＣＧ－ＣＦ－０１４"), vec!["CG-CF-014"]);
        assert_eq!(codes("擺攤")[0], "CG-CF-014");
    }

    #[test]
    fn exact_name_ranks_first() {
        assert_eq!(codes("临时占用城市道路审批")[0], "CG-XK-001");
    }

    #[test]
    fn sentences_fall_back_to_relaxed_matching() {
        let index = mini_index();
        let r = index.search("门口有人摆摊占道经营", &opts()).unwrap();
        assert!(r.relaxed);
        assert_eq!(
            index.item_view(r.hits[0].id, None, None).unwrap().code,
            "CG-CF-014"
        );
    }

    #[test]
    fn few_strict_hits_are_followed_by_partial_ones() {
        let index = mini_index();
        let r = index.search_view("擅自占用城市道路", &opts()).unwrap();
        assert!(!r.relaxed, "one item matches every word");
        assert_eq!(r.strict, 1);
        let codes: Vec<&str> = r.hits.iter().map(|h| h.code.as_str()).collect();
        assert_eq!(codes, ["CG-CF-014", "CG-XK-001"]);
        // The partial hit is marked where it matched.
        assert_eq!(r.hits[1].highlights, vec![(2, 8)]);
    }

    #[test]
    fn relaxed_pass_ignores_cited_article_documents_in_frequencies() {
        // Regression: cited-article documents were counted as items, so pairs common in the
        // law texts got a negative weight and sank the items sharing them below the threshold.
        let r = mini_index().search("擅自占用城市道路", &opts()).unwrap();
        assert!(r.hits.iter().all(|h| h.score.is_finite() && h.score > 0.0));
        assert_eq!(r.total, 2);
    }

    /// Two-character words (`毁绿`) have one pair: the items sharing its characters follow the
    /// exact match (damaging flowers and grass, or green-space fences).
    #[test]
    fn short_queries_are_followed_by_items_sharing_their_characters() {
        let items = "code,name,type,field,level,department,basis,keywords
CG-CF-026,对擅自占用城市绿化用地的行政处罚,行政处罚,城市管理,县级,县级城市管理部门,,毁绿；绿地种菜
CG-CF-022,对损坏城市树木花草的行政处罚,行政处罚,城市管理,县级,县级城市管理部门,,毁坏花草；折树枝
CG-CF-025,对损坏城市绿化设施的行政处罚,行政处罚,城市管理,县级,县级城市管理部门,,毁坏花坛；破坏绿地护栏
CG-CF-001,对随地吐痰的行政处罚,行政处罚,城市管理,县级,县级城市管理部门,,随地吐痰
";
        let index = common::index_with_items(items);
        let (codes, strict) = hit_codes(&index, "毁绿");
        assert_eq!(strict, 1);
        assert_eq!(codes[0], "CG-CF-026");
        assert!(codes.iter().any(|c| c == "CG-CF-025"), "{codes:?}");
        assert!(
            !codes.iter().any(|c| c == "CG-CF-001"),
            "shares no character: {codes:?}"
        );
        // Initials that spell the word find the same.
        let (codes, _) = hit_codes(&index, "hl");
        assert_eq!(codes[0], "CG-CF-026");
        assert!(codes.iter().any(|c| c == "CG-CF-025"), "{codes:?}");
    }

    /// Regression: with single characters counted, every item with 经营 counted 经营, 经 and 营
    /// for `占道经营`, and 123 of the sample's items followed the one that matched.
    #[test]
    fn a_character_already_in_a_matched_pair_counts_once() {
        let items = "code,name,type,field,level,department,basis,keywords
CG-CF-014,对擅自占用城市道路的行政处罚,行政处罚,城市管理,县级,县级城市管理部门,,摆摊；占道经营
CG-XK-001,临时占用城市道路审批,行政许可,城市管理,县级,县级城市管理部门,,占道
SC-CF-001,对无照经营的行政处罚,行政处罚,市场监管,县级,县级市场监督管理部门,,无照经营
SC-CF-002,对超范围经营的行政处罚,行政处罚,市场监管,县级,县级市场监督管理部门,,超范围经营
SC-CF-003,对经营过期食品的行政处罚,行政处罚,市场监管,县级,县级市场监督管理部门,,经营过期食品
CG-CF-001,对随地吐痰的行政处罚,行政处罚,城市管理,县级,县级城市管理部门,,随地吐痰
";
        let index = common::index_with_items(items);
        let (codes, _) = hit_codes(&index, "占道经营");
        assert_eq!(codes[..2], ["CG-CF-014", "CG-XK-001"], "{codes:?}");
        assert!(!codes.iter().any(|c| c.starts_with("SC-")), "{codes:?}");
    }

    /// The lexicon: a word people type finds the items whose catalog words it means, below an
    /// item that has the word itself; a filler is dropped from the query; without the lexicon
    /// the word finds nothing.
    #[test]
    fn lexicon_words_find_the_catalog_words_and_fillers_are_dropped() {
        use powerlist_build::catalog::{parse_lexicon, Catalog};
        let items = "code,name,type,field,level,department,basis,keywords
NY-CF-008,对饲养的犬只未按照规定进行狂犬病免疫接种的行政处罚,行政处罚,农业农村,县级,县级农业农村部门,,犬只免疫
CG-CF-001,对随地吐痰的行政处罚,行政处罚,城市管理,县级,县级城市管理部门,,随地吐痰
";
        let build = |lexicon: &str| {
            let mut catalog = Catalog::compile(&common::with_items(items)).unwrap();
            catalog.lexicon = parse_lexicon("lexicon.tsv", lexicon.as_bytes()).unwrap();
            let bytes = powerlist_build::writer::write_index(&catalog).unwrap();
            powerlist::Index::from_bytes(&bytes).unwrap()
        };
        let with = build("说法\t目录用语\t说明\n狗\t犬只\t口语\n请问\t\t疑问\n");
        assert_eq!(hit_codes(&with, "狗").0, ["NY-CF-008"]);
        assert_eq!(hit_codes(&with, "请问 狗").0, ["NY-CF-008"]);
        assert_eq!(hit_codes(&with, "请问随地吐痰").0, ["CG-CF-001"]);
        let without = build("说法\t目录用语\t说明\n");
        assert!(hit_codes(&without, "狗").0.is_empty());
        assert!(hit_codes(&without, "请问随地吐痰").1 == 0);
    }

    #[test]
    fn pairs_found_only_in_a_department_make_no_partial_hit() {
        // The other mini items share 城市 only through 县级城市管理部门: that is no reason to
        // list them under a citizen's query.
        let r = mini_index().search("城市道路", &opts()).unwrap();
        assert_eq!(r.strict, r.total);
    }

    #[test]
    fn odd_queries_never_fail() {
        let index = mini_index();
        let long = "占".repeat(100_000);
        for q in [
            "",
            "   ",
            "😀",
            "\u{0}",
            "《》",
            "第条",
            long.as_str(),
            "a",
            "'",
            "\u{202e}",
        ] {
            let r = index.search(q, &opts());
            assert!(r.is_ok(), "{q:?}");
        }
        assert_eq!(
            index.search("", &opts()).unwrap().total,
            8,
            "an empty query browses everything"
        );
    }
}

mod bounded_work {
    use super::*;
    use powerlist::search::{MAX_QUERY_CHARS, MAX_QUERY_RUNS};

    #[test]
    fn characters_past_the_cap_are_ignored() {
        let index = mini_index();
        let tail = " 不存在的词";
        let pad = " ".repeat(MAX_QUERY_CHARS - 2);
        let r = index.search(&format!("挖掘{pad}{tail}"), &opts()).unwrap();
        assert!(
            r.total >= 1 && !r.relaxed,
            "the tail past {MAX_QUERY_CHARS} characters is not searched"
        );
        let r = index.search(&format!("挖掘{tail}"), &opts()).unwrap();
        assert!(r.total == 0 || r.relaxed, "within the cap the tail counts");
    }

    #[test]
    fn words_past_the_cap_are_ignored() {
        let index = mini_index();
        let words = ["城市"; MAX_QUERY_RUNS].join(" ");
        let r = index
            .search(&format!("{words} 不存在的词"), &opts())
            .unwrap();
        assert!(r.total >= 1 && !r.relaxed);
    }

    #[test]
    fn key_scans_stop_at_the_budget() {
        // Single characters and pinyin initials expand to many keys (城市, 城镇…).
        let queries = ["城", "道", "处", "路", "xz", "cs"];
        let mut index = mini_index();
        let full: Vec<usize> = queries
            .iter()
            .map(|q| index.search(q, &opts()).unwrap().total)
            .collect();
        index.set_key_budget(1);
        let capped: Vec<usize> = queries
            .iter()
            .map(|q| index.search(q, &opts()).unwrap().total)
            .collect();
        assert!(capped.iter().zip(&full).all(|(c, f)| c <= f));
        assert!(
            capped.iter().zip(&full).any(|(c, f)| c < f),
            "{capped:?} vs {full:?}"
        );
    }

    #[test]
    fn a_pinyin_query_scores_its_longest_phrases_first_within_the_budget() {
        // `zh`, `sh`, `ch` spell many characters (占, 制, 市, 施, 城, 处…). Under a budget of
        // one match, each word keeps the first phrase that scores anything, the longest: a
        // subset of the full answer, never another item.
        let mut index = mini_index();
        let queries = ["zh", "sh", "ch", "chengshi", "zhan dao", "zhandao"];
        let full: Vec<Vec<String>> = queries.iter().map(|q| hit_codes(&index, q).0).collect();
        index.set_match_budget(1);
        let capped: Vec<Vec<String>> = queries.iter().map(|q| hit_codes(&index, q).0).collect();
        for ((q, all), some) in queries.iter().zip(&full).zip(&capped) {
            assert!(!all.is_empty(), "{q} finds something in the mini catalog");
            assert!(
                some.iter().all(|c| all.contains(c)),
                "{q}: {some:?} vs {all:?}"
            );
        }
        assert!(
            capped[..3]
                .iter()
                .zip(&full)
                .any(|(c, f)| c.len() < f.len()),
            "{capped:?} vs {full:?}"
        );
        // A phrase of two syllables is scored before any single character.
        assert_eq!(capped[3], full[3]);
        assert_eq!(capped[5], full[5]);
    }
}

mod pinyin {
    use super::*;

    #[test]
    fn full_pinyin() {
        assert!(codes("zhandao").contains(&"CG-CF-014".to_string()));
        assert_eq!(codes("zhan dao jing ying")[0], "CG-CF-014");
        assert!(codes("baitan").contains(&"CG-CF-014".to_string()));
    }

    #[test]
    fn partial_last_syllable() {
        assert!(codes("zhandaoj").contains(&"CG-CF-014".to_string()));
    }

    #[test]
    fn initials() {
        assert_eq!(codes("zdjy")[0], "CG-CF-014");
        let r = mini_index().search("zdjy", &opts()).unwrap();
        assert_eq!(
            r.strict, 1,
            "only CG-CF-014 has 占道经营; the rest share 占道"
        );
        assert!(codes("ty").contains(&"CG-CF-002".to_string()), "涂鸦 tu ya");
    }

    #[test]
    fn latin_letters_that_find_something_are_read_as_pinyin() {
        let index = mini_index();
        for q in ["zdjy", "ZDJY", "zhan dao", "zhan'dao", " zd "] {
            let r = index.search(q, &opts()).unwrap();
            assert_eq!(r.kind, QueryKind::Pinyin, "{q}");
        }
        assert_eq!(index.search("xqzvw", &opts()).unwrap().total, 0);
        for q in ["占道", "zd1", "占道 zd", "xqzvw", "street vendor"] {
            assert_eq!(
                index.search(q, &opts()).unwrap().kind,
                QueryKind::Keyword,
                "{q}"
            );
        }
    }

    #[test]
    fn pinyin_highlights_cover_the_syllables() {
        let index = mini_index();
        let r = index.search("wajue", &opts()).unwrap();
        let h = r
            .hits
            .iter()
            .find(|h| index.item_view(h.id, None, None).unwrap().code == "CG-CF-015")
            .unwrap();
        assert_eq!(h.highlights, vec![(3, 5)]);
    }
}

mod slips {
    use super::*;

    fn corrected(q: &str) -> (Option<String>, Vec<String>, usize) {
        let r = mini_index().search_view(q, &opts()).unwrap();
        (
            r.corrected,
            r.hits.into_iter().map(|h| h.code).collect(),
            r.strict,
        )
    }

    #[test]
    fn a_homophone_slip_is_corrected_and_its_hits_shown() {
        // 到 for 道: nothing has 占到经营 whole; 占道经营 sounds the same.
        let (fixed, hits, strict) = corrected("占到经营");
        assert_eq!(fixed.as_deref(), Some("占道经营"));
        assert_eq!(hits.first().map(String::as_str), Some("CG-CF-014"));
        assert!(strict >= 1);
        // The rest of the query is kept as typed.
        let (fixed, _, _) = corrected("乱仍垃圾");
        assert_eq!(fixed.as_deref(), Some("乱扔垃圾"));
    }

    #[test]
    fn a_pinyin_slip_is_corrected() {
        let (fixed, hits, _) = corrected("zhandaao");
        assert_eq!(fixed.as_deref(), Some("zhandao"));
        assert!(hits.contains(&"CG-CF-014".to_string()));
        let (fixed, _, _) = corrected("zhadnao");
        assert_eq!(fixed.as_deref(), Some("zhandao"));
    }

    #[test]
    fn pinyin_typed_the_southern_way_is_read_as_meant() {
        // z for zh, in for ing (and back): whole syllables that spell nothing here.
        for q in [
            "zandao jinying",
            "zhandao jinying",
            "zandaojingying",
            "zandaojinyin",
        ] {
            let (fixed, hits, strict) = corrected(q);
            assert_eq!(fixed.as_deref(), Some("zhandaojingying"), "{q}");
            assert_eq!(hits.first().map(String::as_str), Some("CG-CF-014"), "{q}");
            assert!(strict >= 1, "{q}");
        }
        // Pinyin as typed that spells something stays first: it is never read another way.
        let (fixed, hits, _) = corrected("zhandaojingying");
        assert_eq!(fixed, None);
        assert_eq!(hits.first().map(String::as_str), Some("CG-CF-014"));
    }

    /// Corrected pinyin is shown as the Chinese word it spells, when the hits are that
    /// word's; a Chinese correction has none (it is Chinese already).
    #[test]
    fn a_pinyin_correction_names_its_chinese_word() {
        let index = mini_index();
        let word = |q: &str| {
            let r = index.search_view(q, &opts()).unwrap();
            (r.corrected, r.corrected_word)
        };
        assert_eq!(
            word("zhandaao"),
            (Some("zhandao".into()), Some("占道".into()))
        );
        assert_eq!(
            word("zandao jinying"),
            (Some("zhandaojingying".into()), Some("占道经营".into()))
        );
        assert_eq!(word("占到经营"), (Some("占道经营".into()), None));
        // No correction, no word.
        assert_eq!(word("zhandao"), (None, None));
        assert_eq!(word("占道经营"), (None, None));
        // The ids-only search agrees.
        let r = index.search("zhadnao", &opts()).unwrap();
        assert_eq!(r.corrected_word.as_deref(), Some("占道"));
    }

    #[test]
    fn what_matches_or_sounds_like_nothing_is_left_alone() {
        // A query that matches is never corrected, even when a homophone would match too.
        assert_eq!(corrected("占道经营").0, None);
        assert_eq!(corrected("zhandao").0, None);
        // Nothing in the catalog sounds like these: nothing is offered.
        for q in ["离婚", "护照", "street vendor", "qqqq"] {
            let (fixed, _, strict) = corrected(q);
            assert_eq!((fixed, strict), (None, 0), "{q}");
        }
        // Whole syllables are pinyin, not a slip, even when they spell nothing here.
        assert_eq!(corrected("zhanshi").0, None);
        // Two of two characters changed is another word, not a slip (战斗 for 占道).
        assert_eq!(corrected("战斗经营").0, None);
    }
}

mod citation {
    use super::*;

    #[test]
    fn article_in_chinese_numerals() {
        let index = mini_index();
        let r = index.search("城市道路管理条例第二十七条", &opts()).unwrap();
        assert_eq!(r.kind, QueryKind::Citation);
        assert_eq!(r.total, 3);
        let c = r.citation.unwrap();
        assert_eq!(c.article, Some(27));
        assert!(c.text.unwrap().contains("擅自占用或者挖掘城市道路"));
    }

    #[test]
    fn article_in_digits_and_brackets() {
        assert_eq!(codes("城市道路管理条例 42").len(), 3);
        assert_eq!(
            codes("《城市市容和环境卫生管理条例》第十四条"),
            vec!["CG-CF-011"]
        );
    }

    #[test]
    fn item_narrows() {
        assert_eq!(
            codes("城市道路管理条例第二十七条第（二）项"),
            vec!["CG-CF-016"]
        );
    }

    #[test]
    fn law_alone_lists_its_items() {
        assert_eq!(codes("城市市容和环境卫生管理条例").len(), 3);
    }

    /// Citations as people type them: a shorter name (管理 left out), `条` without `第`, the
    /// paragraph as a second number or `N款`.
    #[test]
    fn loose_forms() {
        let index = mini_index();
        for q in [
            "城市道路条例 42",
            "城市道路条例第42条",
            "城市道路管理条例42条",
        ] {
            let r = index.search(q, &opts()).unwrap();
            assert_eq!((r.kind, r.total), (QueryKind::Citation, 3), "{q}");
        }
        for q in [
            "城市道路管理条例33条第1款",
            "城市道路管理条例 33 1",
            "城市道路条例33条1款",
            "城市道路管理条例第三十三条第一款",
        ] {
            let r = index.search_view(q, &opts()).unwrap();
            let c = r.citation.as_ref().unwrap();
            assert_eq!(
                (c.article, c.paragraph, c.uncited),
                (Some(33), Some(1), false),
                "{q}"
            );
            assert_eq!(
                r.hits.iter().map(|h| h.code.as_str()).collect::<Vec<_>>(),
                ["CG-CF-015"],
                "{q}"
            );
        }
    }

    #[test]
    fn short_names_a_law_file_declares() {
        // `简称：市容环卫条例；市容条例` under the title of the mini catalog's law file.
        let index = mini_index();
        for q in ["市容环卫条例14", "市容条例第十四条", "市容环卫条例 第14条"]
        {
            let r = index.search_view(q, &opts()).unwrap();
            assert_eq!(r.kind, QueryKind::Citation, "{q}");
            let c = r.citation.as_ref().unwrap();
            assert_eq!(
                (c.law.as_str(), c.article),
                ("城市市容和环境卫生管理条例", Some(14))
            );
            assert_eq!(r.hits[0].code, "CG-CF-011", "{q}");
        }
    }

    /// A paragraph no item cites: the items citing the article, and the answer says so.
    #[test]
    fn uncited_paragraph_says_so() {
        let index = mini_index();
        let r = index.search_view("城市道路管理条例 33 2", &opts()).unwrap();
        let c = r.citation.as_ref().unwrap();
        assert_eq!((c.paragraph, c.uncited), (Some(2), true));
        assert_eq!(
            r.hits.iter().map(|h| h.code.as_str()).collect::<Vec<_>>(),
            ["CG-CF-015"]
        );
        let r = index.search_view("城市道路管理条例 33 1", &opts()).unwrap();
        assert!(!r.citation.unwrap().uncited);
    }

    #[test]
    fn citation_plus_words() {
        assert_eq!(codes("城市道路管理条例 42 挖掘")[0], "CG-CF-015");
        assert_eq!(codes("城市道路管理条例 42 履带车"), vec!["CG-CF-016"]);
    }
}

mod filters {
    use super::*;

    /// The browser module's facet lists are the facets' maps, entry for entry, in order.
    #[test]
    fn listed_facets_are_the_named_ones() {
        let index = mini_index();
        for (q, kind) in [
            ("城市道路", None),
            ("", None),
            ("摆摊", Some("行政处罚")),
            ("zzzz", None),
        ] {
            let o = SearchOptions {
                kind: kind.map(String::from),
                ..opts()
            };
            let r = index.search(q, &o).unwrap();
            let (listed, facets) = index.search_listed(q, &o).unwrap();
            assert!(listed.facets.is_empty());
            assert_eq!(listed.total, r.total, "{q}");
            let from_map: Vec<(&str, Vec<(String, u32)>)> = r
                .facets
                .iter()
                .map(|(k, v)| (k.as_str(), v.iter().map(|(n, c)| (n.clone(), *c)).collect()))
                .collect();
            assert_eq!(facets, from_map, "{q}");
        }
    }

    #[test]
    fn type_field_level_filter_and_facets() {
        let index = mini_index();
        let o = SearchOptions {
            kind: Some("行政许可".into()),
            ..opts()
        };
        let r = index.search("城市道路", &o).unwrap();
        assert_eq!(r.total, 1);
        // Facets for type ignore the type filter; the others apply it.
        assert_eq!(r.facets["type"]["行政许可"], 1);
        assert!(r.facets["type"]["行政处罚"] >= 3);
        assert_eq!(r.facets["field"]["城市管理"], 1);
        let o = SearchOptions {
            level: Some("乡级".into()),
            ..opts()
        };
        assert!(index.search("", &o).unwrap().total == 5);
        let o = SearchOptions {
            field: Some("市政".into()),
            ..opts()
        };
        assert_eq!(index.search("", &o).unwrap().total, 1);
    }

    #[test]
    fn unknown_filter_values_are_errors_that_list_choices() {
        let index = mini_index();
        let o = SearchOptions {
            field: Some("不存在".into()),
            ..opts()
        };
        let e = index.search("", &o).unwrap_err().to_string();
        assert!(e.contains("城市管理"), "{e}");
        let o = SearchOptions {
            region: Some("999999".into()),
            ..opts()
        };
        assert!(index
            .search("", &o)
            .unwrap_err()
            .to_string()
            .contains("unknown region"));
    }

    #[test]
    fn paging() {
        let index = mini_index();
        let o = SearchOptions {
            limit: Some(3),
            offset: Some(6),
            ..Default::default()
        };
        let r = index.search("", &o).unwrap();
        assert_eq!((r.total, r.hits.len()), (8, 2));
    }
}

mod region {
    use super::*;

    fn handled(code: &str, region: &str) -> (String, Option<String>) {
        let v = mini_index().get(code, Some(region)).unwrap();
        (v.handled_by, v.handled_mode)
    }

    #[test]
    fn township_assignment_wins() {
        assert_eq!(
            handled("CG-CF-014", "321281100"),
            ("戴窑镇综合行政执法局".into(), Some("赋权".into()))
        );
    }

    #[test]
    fn falls_back_to_county_then_city_then_department() {
        assert_eq!(handled("CG-CF-014", "321281001").0, "兴化市城市管理局");
        assert_eq!(handled("CG-CF-015", "321281100").0, "泰州市城市管理局");
        assert_eq!(handled("CG-CF-016", "321281100").0, "县级城市管理部门");
    }

    #[test]
    fn region_by_name() {
        assert_eq!(
            handled("CG-CF-001", "昭阳街道"),
            ("昭阳街道综合行政执法局".into(), Some("委托".into()))
        );
    }

    #[test]
    fn handlers_for_every_township_of_the_county() {
        let index = mini_index();
        let list = index.handlers_below("CG-CF-014", "321281", None).unwrap();
        let got: Vec<(&str, &str, bool)> = list
            .iter()
            .map(|h| (h.name.as_str(), h.handled_by.as_str(), h.own))
            .collect();
        assert_eq!(
            got,
            vec![
                ("昭阳街道", "兴化市城市管理局", false),
                ("戴窑镇", "戴窑镇综合行政执法局", true)
            ]
        );
        // From a township, its siblings.
        assert_eq!(
            index
                .handlers_below("CG-CF-014", "321281100", None)
                .unwrap()
                .len(),
            2
        );
    }

    #[test]
    fn devolved_counts_per_township() {
        let counts = mini_index().devolved_counts("321281").unwrap();
        let got: Vec<(&str, u32)> = counts.iter().map(|c| (c.name.as_str(), c.items)).collect();
        assert_eq!(got, vec![("昭阳街道", 1), ("戴窑镇", 1)]);
    }

    #[test]
    fn search_hits_carry_the_handler() {
        let index = mini_index();
        let o = SearchOptions {
            region: Some("321281100".into()),
            ..opts()
        };
        let r = index.search_view("摆摊", &o).unwrap();
        assert_eq!(r.hits[0].handled_by, "戴窑镇综合行政执法局");
    }
}

mod bases {
    use super::*;

    #[test]
    fn search_hits_carry_citations_without_article_texts() {
        let index = mini_index();
        let r = index.search_view("擅自占用城市道路", &opts()).unwrap();
        let b = &r.hits[0].bases[0];
        assert_eq!(b.citation, "《城市道路管理条例》第二十七条第（一）项");
        assert!(b.text.is_empty() && b.cited_text.is_none() && b.paragraphs.is_empty());
        assert!(b.cited.is_none());
        assert_eq!(b.article_citation, "《城市道路管理条例》第二十七条");
        let whole = index.get(&r.hits[0].code, None).unwrap();
        assert!(!whole.bases[0].text.is_empty());
    }

    #[test]
    fn citation_query_brings_the_article_as_paragraphs() {
        let r = mini_index()
            .search("城市道路管理条例第二十七条", &opts())
            .unwrap();
        let c = r.citation.unwrap();
        assert_eq!(c.paragraphs.len(), 1);
        assert_eq!(c.paragraphs[0].items.len(), 7);
        assert!(c.paragraphs[0].items[0].contains("擅自占用或者挖掘城市道路"));
        assert_eq!(c.title, "《城市道路管理条例》第二十七条");
        assert_eq!(
            c.cited, None,
            "the whole article: nothing narrower to emphasise"
        );
    }

    #[test]
    fn citation_query_says_what_it_asked_for_and_where_it_is() {
        let index = mini_index();
        let c = index
            .search("城市道路管理条例27条", &opts())
            .unwrap()
            .citation
            .unwrap();
        assert_eq!(c.title, "《城市道路管理条例》第二十七条");
        let c = index
            .search("《城市道路管理条例》第27条第（三）项", &opts())
            .unwrap()
            .citation
            .unwrap();
        assert_eq!(c.title, "《城市道路管理条例》第二十七条第（三）项");
        assert_eq!(
            c.cited,
            Some(CitedPosition {
                paragraph: 0,
                item: Some(2)
            })
        );
        let c = index
            .search("城市道路管理条例第二十七条第一款", &opts())
            .unwrap()
            .citation
            .unwrap();
        assert_eq!(c.title, "《城市道路管理条例》第二十七条第一款");
        assert_eq!(
            c.cited,
            Some(CitedPosition {
                paragraph: 0,
                item: None
            })
        );
        // A whole law: its title only, no article.
        let c = index
            .search("城市道路管理条例", &opts())
            .unwrap()
            .citation
            .unwrap();
        assert_eq!(c.title, "《城市道路管理条例》");
        assert!(c.text.is_none() && c.paragraphs.is_empty() && c.cited.is_none());
    }

    #[test]
    fn item_view_has_article_text_and_cited_item() {
        let v = mini_index().get("CG-CF-014", None).unwrap();
        assert_eq!(v.bases.len(), 2);
        let b = &v.bases[0];
        assert_eq!(b.citation, "《城市道路管理条例》第二十七条第（一）项");
        assert!(b.text.starts_with("城市道路范围内禁止下列行为"));
        // The law file writes this item with half-width brackets; it is shown as written.
        assert_eq!(
            b.cited_text.as_deref(),
            Some("(一)擅自占用或者挖掘城市道路；")
        );
        // Where the cited item sits, for the page to emphasise it; and the query for the
        // other items citing the article.
        assert_eq!(
            b.cited,
            Some(CitedPosition {
                paragraph: 0,
                item: Some(0)
            })
        );
        assert_eq!(b.article_citation, "《城市道路管理条例》第二十七条");
        assert!(v.bases[1].text.contains("罚款"));
        assert_eq!(v.bases[1].cited, None, "a whole article");
        let index = mini_index();
        let citing = index.search(&b.article_citation, &opts()).unwrap();
        assert!(citing.hits.len() > 1);
        assert!(citing
            .hits
            .iter()
            .any(|h| Some(h.id) == index.find_code("CG-CF-014")));
    }
}

mod ids_path {
    use super::*;

    /// `search_ids` (what the browser's `searchIds` runs) skips highlights and facets and
    /// nothing else: the same hits in the same order, the same totals, for every kind of query.
    #[test]
    fn search_ids_returns_the_same_hits_as_search() {
        let index = mini_index();
        let queries = [
            "",
            "cg-cf",
            "CG-CF-01",
            "占道",
            "道路",
            "城",
            "zhandao",
            "zdjy",
            "zd",
            "挖掘 道路",
            "城市道路管理条例 第二十七条",
            "城市道路管理条例",
            "饭店油烟扰民占用道路",
            "xyz",
        ];
        let pages = [
            SearchOptions {
                limit: Some(3),
                ..Default::default()
            },
            SearchOptions {
                limit: Some(2),
                offset: Some(1),
                ..Default::default()
            },
            SearchOptions {
                limit: Some(50),
                level: Some("乡级".into()),
                ..Default::default()
            },
        ];
        for q in queries {
            for o in &pages {
                let full = index.search(q, o).unwrap();
                let ids = index.search_ids(q, o).unwrap();
                let pairs = |r: &powerlist::SearchResult| -> Vec<(u32, f32)> {
                    r.hits.iter().map(|h| (h.id, h.score)).collect()
                };
                assert_eq!(pairs(&full), pairs(&ids), "{q:?} {o:?}");
                assert_eq!(
                    (full.total, full.strict, full.kind, full.relaxed),
                    (ids.total, ids.strict, ids.kind, ids.relaxed),
                    "{q:?}"
                );
                assert!(ids.facets.is_empty());
                assert!(ids.hits.iter().all(|h| h.highlights.is_empty()));
            }
        }
    }
}
