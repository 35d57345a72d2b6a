//! Citations and codes as people type them (issue 16), on the mini catalog: several articles
//! at once, loose article/paragraph/item forms, an article or law no item cites, a law's name
//! with a wrong homophone, and codes with spaces or full-width letters.

use crate::common;

use common::mini_index;
use powerlist::{Index, QueryKind, SearchOptions};
use powerlist_build::catalog::{Catalog, SourceFile};

fn opts() -> SearchOptions {
    SearchOptions {
        limit: Some(100),
        ..Default::default()
    }
}

/// The citation a query asks for (it must be one).
fn cited(index: &Index, q: &str) -> powerlist::search::CitedArticle {
    index.search_view(q, &opts()).unwrap().citation.unwrap()
}

fn codes_in(index: &Index, q: &str) -> Vec<String> {
    let r = index.search_view(q, &opts()).unwrap();
    r.hits.into_iter().map(|h| h.code).collect()
}

fn codes(q: &str) -> Vec<String> {
    codes_in(&mini_index(), q)
}

mod several_articles {
    use super::*;

    /// `第27、33条`: every item citing either, the one citing both first.
    #[test]
    fn items_citing_all_come_first() {
        for q in [
            "城市道路条例第27、33条",
            "城市道路条例 27条 33条",
            "城市道路管理条例第二十七条、第三十三条",
            "城市道路条例27条和33条",
        ] {
            let r = codes(q);
            assert_eq!(r.len(), 3, "{q}: {r:?}");
            assert_eq!(r[0], "CG-CF-015", "{q}: {r:?}");
            assert!(r.contains(&"CG-CF-014".to_string()) && r.contains(&"CG-CF-016".to_string()));
        }
    }

    /// Two articles no item cites together: the items citing each.
    #[test]
    fn items_citing_some() {
        let mut r = codes("城市道路条例 33条 31条");
        r.sort();
        assert_eq!(r, ["CG-CF-015", "CG-XK-001"]);
        let index = mini_index();
        let v = index
            .search_view("市容条例第14条、第32条", &opts())
            .unwrap();
        assert_eq!(v.kind, QueryKind::Citation);
        assert_eq!(v.total, 2);
        let c = v.citation.unwrap();
        assert_eq!(
            c.title,
            "《城市市容和环境卫生管理条例》第十四条、第三十二条"
        );
    }
}

mod article_texts {
    use super::*;

    /// Several articles: each one's text, labelled with its own citation, in the order asked;
    /// the first is the one `text` has.
    #[test]
    fn each_article_asked_for_comes_with_its_text() {
        let index = mini_index();
        let c = cited(&index, "城市道路条例第27、33条");
        let titles: Vec<&str> = c.articles.iter().map(|a| a.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "《城市道路管理条例》第二十七条",
                "《城市道路管理条例》第三十三条"
            ]
        );
        assert_eq!(
            c.articles.iter().map(|a| a.article).collect::<Vec<_>>(),
            [27, 33]
        );
        assert_eq!(Some(&c.articles[0].text), c.text.as_ref());
        assert!(c.articles[0].text.contains("城市道路范围内禁止下列行为"));
        assert!(c.articles[1]
            .text
            .starts_with("因工程建设需要挖掘城市道路的"));
        assert_ne!(c.articles[0].text, c.articles[1].text);
        for a in &c.articles {
            assert_eq!(a.paragraphs.is_empty(), a.text.is_empty(), "{}", a.title);
        }
        // In the order asked.
        let c = cited(&index, "市容条例第32条、第14条");
        let numbers: Vec<u32> = c.articles.iter().map(|a| a.article).collect();
        assert_eq!(numbers, [32, 14]);
    }

    /// One article: its text once, as `text` has it, with the part asked for placed.
    #[test]
    fn one_article_is_the_one_text() {
        let index = mini_index();
        let c = cited(&index, "城市道路管理条例第二十七条第（一）项");
        assert_eq!(c.articles.len(), 1);
        let a = &c.articles[0];
        assert_eq!(a.title, "《城市道路管理条例》第二十七条");
        assert_eq!(
            (Some(&a.text), &a.paragraphs),
            (c.text.as_ref(), &c.paragraphs)
        );
        assert!(a.cited.is_some());
        assert_eq!(a.cited, c.cited);
        // Two parts of one article: the article once, no one part placed.
        let c = cited(&index, "城市道路条例第二十七条第（一）项、第（二）项");
        assert_eq!(c.articles.len(), 1, "{:?}", c.articles);
        assert_eq!(c.articles[0].cited, None);
    }

    /// An article the index has no text of (no item cites it, or the law has none) is left
    /// out; alone, there is no text and the answer says no item cites it.
    #[test]
    fn articles_without_text_are_left_out() {
        let index = mini_index();
        let c = cited(&index, "城市道路条例 99条 33条");
        assert_eq!(c.text, None);
        assert_eq!(c.articles.len(), 1);
        assert_eq!(c.articles[0].title, "《城市道路管理条例》第三十三条");
        let r = index.search_view("城市道路条例第99条", &opts()).unwrap();
        let c = r.citation.unwrap();
        assert!(c.uncited && c.articles.is_empty() && c.text.is_none());
        // A law alone: no article.
        let c = cited(&index, "《城市道路管理条例》");
        assert!(c.articles.is_empty());
    }

    /// At most `MAX_CITED_TEXTS` texts, the first asked (the sample's 大气法: seven articles
    /// cited, the title names them all).
    #[test]
    fn at_most_five_texts() {
        assert_eq!(powerlist::search::MAX_CITED_TEXTS, 5);
        let index = mini_index();
        let c = cited(&index, "市容条例第36、34、32、17、14条");
        let numbers: Vec<u32> = c.articles.iter().map(|a| a.article).collect();
        assert_eq!(numbers, [36, 34, 32, 17, 14]);
        let sample = crate::citizen_questions::sample();
        let c = sample
            .search_view("大气法第18、19、99、118、81、120、108条", &opts())
            .unwrap()
            .citation
            .unwrap();
        let numbers: Vec<u32> = c.articles.iter().map(|a| a.article).collect();
        assert_eq!(numbers, [18, 19, 99, 118, 81]);
        assert!(
            c.title.ends_with("第一百二十条、第一百零八条"),
            "{}",
            c.title
        );
        // The brief's own: 大气法第18条、第19条.
        let c = sample
            .search_view("大气法第18条、第19条", &opts())
            .unwrap()
            .citation
            .unwrap();
        let titles: Vec<&str> = c.articles.iter().map(|a| a.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "《中华人民共和国大气污染防治法》第十八条",
                "《中华人民共和国大气污染防治法》第十九条"
            ]
        );
        assert!(c.articles[1].text.contains("应当取得排污许可证"));
    }
}

mod article_forms {
    use super::*;

    /// An item right after the article (`27条2项`, `34条 (二)项`), or after the paragraph
    /// (`31条1款1项`, which the item citing the whole paragraph answers).
    #[test]
    fn items_without_paragraph_or_after_it() {
        assert_eq!(codes("城市道路条例27条2项"), ["CG-CF-016"]);
        assert_eq!(codes("城市道路条例 27条 第（二）项"), ["CG-CF-016"]);
        assert_eq!(codes("市容环卫条例 34条 (二)项"), ["CG-CF-002"]);
        assert_eq!(codes("城市道路条例31条1款1项"), ["CG-XK-001"]);
        assert_eq!(codes("城市道路条例第31条第一款(一)项"), ["CG-XK-001"]);
    }

    /// A law named in its brackets, without an article: all the items citing it.
    #[test]
    fn law_in_brackets_alone() {
        assert_eq!(codes("《城市道路管理条例》").len(), 4);
        assert_eq!(codes("《市容环卫条例》").len(), 3);
    }
}

mod uncited {
    use super::*;

    /// An article no item cites: no item, and the answer says no item cites it.
    #[test]
    fn article_no_item_cites() {
        let index = mini_index();
        let r = index.search_view("城市道路条例第99条", &opts()).unwrap();
        assert_eq!((r.kind, r.total, r.strict), (QueryKind::Citation, 0, 0));
        let c = r.citation.unwrap();
        assert!(c.uncited);
        assert_eq!(c.title, "《城市道路管理条例》第九十九条");
    }

    /// A paragraph no item cites keeps its answer: the items citing the article's other parts.
    #[test]
    fn paragraph_no_item_cites_still_lists_the_article() {
        let index = mini_index();
        let r = index.search_view("城市道路条例 33 2", &opts()).unwrap();
        assert!(r.citation.unwrap().uncited);
        assert_eq!(r.total, 1);
    }
}

mod misspelt_law_names {
    use super::*;

    /// One wrong homophone in a law's name is read as the law, and the answer says how.
    #[test]
    fn one_homophone_is_read() {
        let index = mini_index();
        for (q, fixed, total) in [
            ("城市道陆管理条例第42条", "城市道路管理条例第42条", 3),
            ("城市道路管理条利 42", "城市道路管理条例 42", 3),
            (
                "城市市容和环境卫生管里条例",
                "城市市容和环境卫生管理条例",
                3,
            ),
            ("市荣条例14条", "市容条例14条", 1),
        ] {
            let r = index.search_view(q, &opts()).unwrap();
            assert_eq!(r.kind, QueryKind::Citation, "{q}");
            assert_eq!(r.corrected.as_deref(), Some(fixed), "{q}");
            assert_eq!(r.total, total, "{q}");
        }
    }

    /// Not a homophone, or two changes: not read as a law.
    #[test]
    fn other_slips_are_not_a_law() {
        let index = mini_index();
        for q in ["城市水路管理条例第42条", "城市稻陆管理条例第42条"] {
            let r = index.search_view(q, &opts()).unwrap();
            assert_ne!(r.kind, QueryKind::Citation, "{q}");
        }
    }

    /// A slip that would be one change from two laws' names picks neither.
    #[test]
    fn a_slip_near_two_laws_picks_neither() {
        let mut s = common::mini_sources();
        // A made-up second law whose name sounds like the first's (道录 / 道路: lù).
        s.laws.push(SourceFile::new(
            "laws/城市道录管理条例.md",
            "# 城市道录管理条例\n\n<!-- INFO END -->\n\n第四十二条 测试用条文。\n",
        ));
        let catalog = Catalog::compile(&s).expect("valid");
        let index =
            Index::from_bytes(&powerlist_build::writer::write_index(&catalog).unwrap()).unwrap();
        let r = index
            .search_view("城市道鹿管理条例第42条", &opts())
            .unwrap();
        assert_ne!(r.kind, QueryKind::Citation);
        assert!(r.corrected.is_none() || r.corrected.as_deref() != Some("城市道路管理条例第42条"));
        // Each name, written right, is its own law.
        let r = index
            .search_view("城市道路管理条例第42条", &opts())
            .unwrap();
        assert_eq!(r.total, 3);
    }
}

mod loose_codes {
    use super::*;

    /// Spaces for dashes, lower case, a lost leading zero, full-width letters and dashes.
    #[test]
    fn spaced_and_full_width_codes() {
        for q in [
            "cg cf 014",
            "CG CF 14",
            "Cg  cf 014",
            "ＣＧ－ＣＦ－０１４",
            "ｃｇｃｆ０１４",
        ] {
            let index = mini_index();
            let r = index.search_view(q, &opts()).unwrap();
            assert_eq!(r.kind, QueryKind::Code, "{q}");
            assert_eq!(codes_in(&index, q), ["CG-CF-014"], "{q}");
        }
        // Letters alone stay words (pinyin initials), not a code.
        assert_ne!(
            mini_index().search_view("cg cf", &opts()).unwrap().kind,
            QueryKind::Code
        );
    }
}
