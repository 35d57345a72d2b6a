//! What a citizen's sentence asks for, besides its topic: what to apply for (`要办哪些证`,
//! `办啥手续`), an inspection coming (`下礼拜来检查`), something seized (`被扣了车`). In the
//! relaxed pass the items of that type rank higher among those matching the topic, and the
//! asking words, which say nothing of the topic, do not match items as words (`办证` is in one
//! keyword only, 卖农药办证, and would bring the pesticide licence to every 开面馆办证).

use crate::text::{contains_str, replace_str};

/// The index in [`crate::model::TYPES`] of 行政许可.
const PERMIT: u8 = 0;
/// … of 行政强制.
const COERCION: u8 = 2;
/// … of 行政检查.
const INSPECTION: u8 = 5;

/// Words asking what to apply for: a permit is the answer. Blanked from the sentence before
/// its pairs are looked up.
/// (`手续` too: of 环评手续, 质量监督手续, it brought those items to every `办啥手续`.)
const ASKS_PERMIT: [&str; 7] = ["办证", "哪些证", "什么证", "啥证", "啥子证", "些证", "手续"];
/// … the same, kept in the sentence: the permits' own words (临时用地审批).
const ASKS_PERMIT_KEPT: [&str; 2] = ["审批", "谁批"];
/// Words saying an inspection is coming (kept in the sentence: 检查 is the inspections' own
/// word).
const ASKS_INSPECTION: [&str; 5] = ["来检查", "来查", "要查", "抽查", "检查"];
/// Words saying something was seized or sealed.
const ASKS_COERCION: [&str; 5] = ["扣了", "被扣", "扣车", "扣押", "查封"];

/// In a sentence asking for a type of power, an item of that type scores this share more.
pub(super) const INTENT_BONUS: f32 = 0.5;

/// What a sentence asks for: the type of power, if any, and the sentence with its asking
/// words blanked (as many characters, so positions stay).
pub(super) fn intent(q: &str) -> (Option<u8>, String) {
    let mut text = q.to_string();
    let mut kind = None;
    for w in ASKS_PERMIT {
        if contains_str(&text, w) {
            kind = Some(PERMIT);
            text = replace_str(&text, w, &" ".repeat(w.chars().count()), usize::MAX);
        }
    }
    if kind.is_none() {
        if ASKS_PERMIT_KEPT.iter().any(|w| contains_str(q, w)) {
            kind = Some(PERMIT);
        } else if ASKS_INSPECTION.iter().any(|w| contains_str(q, w)) {
            kind = Some(INSPECTION);
        } else if ASKS_COERCION.iter().any(|w| contains_str(q, w)) {
            kind = Some(COERCION);
        }
    }
    (kind, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_types_are_the_catalogs() {
        use crate::model::TYPES;
        assert_eq!(TYPES[PERMIT as usize], "行政许可");
        assert_eq!(TYPES[COERCION as usize], "行政强制");
        assert_eq!(TYPES[INSPECTION as usize], "行政检查");
    }

    #[test]
    fn asking_words_say_the_type_and_are_blanked() {
        let (kind, text) = intent("开花店要办哪些证");
        assert_eq!(kind, Some(PERMIT));
        assert_eq!(text, "开花店要办   ");
        assert_eq!(intent("下周来检查仓库").0, Some(INSPECTION));
        assert_eq!(intent("三轮车被扣了").0, Some(COERCION));
        assert_eq!(intent("隔壁装修太吵").0, None);
    }
}
