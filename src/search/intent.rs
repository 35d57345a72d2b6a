//! What a citizen's sentence asks for, besides its topic: what to apply for (`要办哪些证`,
//! `办啥手续`, `去哪申请`), a fee to pay (`要交什么钱`), an inspection coming (`下礼拜来检查`,
//! `环保上门`), something seized (`被扣了车`), a fine (`说要罚款`). In the relaxed pass the
//! items of that type rank higher among those matching the topic, and the asking words, which
//! say nothing of the topic, do not match items as words (`办证` is in one keyword only,
//! 卖农药办证, and would bring the pesticide licence to every 开面馆办证).

use crate::text::{contains_str, replace_str};

/// The index in [`crate::model::TYPES`] of 行政许可.
const PERMIT: u8 = 0;
/// … of 行政处罚.
const PENALTY: u8 = 1;
/// … of 行政强制.
const COERCION: u8 = 2;
/// … of 行政征收.
const FEE: u8 = 3;
/// … of 行政检查.
const INSPECTION: u8 = 5;

/// Words asking what to apply for: a permit is the answer. Blanked from the sentence before
/// its pairs are looked up.
/// (`手续` too: of 环评手续, 质量监督手续, it brought those items to every `办啥手续`; `申请`
/// of 取水申请 brought the water permit to every `去哪申请`, `办许可证` the clinic's licence
/// to every shop.)
const ASKS_PERMIT: [&str; 12] = [
    "办证",
    "哪些证",
    "什么证",
    "啥证",
    "啥子证",
    "些证",
    "手续",
    "申请",
    "什么资质",
    "啥资质",
    "证照",
    "办许可证",
];
/// Runs holding an asking word that do not ask: `办证广告`, `办证小广告` (the ads for fake
/// certificates, also misspelt: `办证广搞`).
const NOT_ASKING: [&str; 2] = ["办证广", "办证小广"];
/// The other asking words, kept in the sentence (the items' own words: 临时用地审批, 检查,
/// 扣押, 缴费), by the type they ask for, the first found deciding: a permit (`审批`), a fee
/// to pay (`要收费`, not `收费`: 收费不合理, 乱收费 are complaints), an inspection coming,
/// something seized, a fine.
const ASKS_KEPT: [(u8, &[&str]); 5] = [
    (PERMIT, &["审批", "谁批"]),
    (
        FEE,
        &[
            "交什么钱",
            "交啥钱",
            "交多少钱",
            "交钱",
            "要收费",
            "交费",
            "缴费",
        ],
    ),
    (
        INSPECTION,
        &[
            "来检查",
            "来查",
            "要查",
            "抽查",
            "检查",
            "上门",
            "化验",
            "抽样",
            "抽走",
            "送检",
        ],
    ),
    (COERCION, &["扣了", "被扣", "扣车", "扣押", "查封"]),
    (PENALTY, &["被罚", "要罚", "会罚"]),
];

/// In a sentence asking for a type of power, an item of that type scores this share more.
pub(super) const INTENT_BONUS: f32 = 0.5;

/// What a sentence asks for: the type of power, if any, and the sentence with its asking
/// words blanked (as many characters, so positions stay).
pub(super) fn intent(q: &str) -> (Option<u8>, String) {
    // The sentence with the runs that do not ask hidden (as many characters).
    let mut probe = q.to_string();
    for w in NOT_ASKING {
        if contains_str(&probe, w) {
            probe = replace_str(&probe, w, &"\u{1}".repeat(w.chars().count()), usize::MAX);
        }
    }
    let mut kind = None;
    for w in ASKS_PERMIT {
        if contains_str(&probe, w) {
            kind = Some(PERMIT);
            probe = replace_str(&probe, w, &" ".repeat(w.chars().count()), usize::MAX);
        }
    }
    if kind.is_none() {
        kind = ASKS_KEPT
            .iter()
            .find(|(_, words)| words.iter().any(|w| contains_str(&probe, w)))
            .map(|&(k, _)| k);
    }
    // The blanks of the probe, on the sentence itself.
    let text = q
        .chars()
        .zip(probe.chars())
        .map(|(c, p)| if p == ' ' { ' ' } else { c })
        .collect();
    (kind, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_types_are_the_catalogs() {
        use crate::model::TYPES;
        assert_eq!(TYPES[PERMIT as usize], "行政许可");
        assert_eq!(TYPES[PENALTY as usize], "行政处罚");
        assert_eq!(TYPES[COERCION as usize], "行政强制");
        assert_eq!(TYPES[FEE as usize], "行政征收");
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
        assert_eq!(intent("个体诊所 怎么申请").1, "个体诊所 怎么  ");
        assert_eq!(intent("自备井每年要交什么钱").0, Some(FEE));
        assert_eq!(intent("环保上门 小作坊").0, Some(INSPECTION));
        assert_eq!(intent("阳台挂腊肉说要罚款").0, Some(PENALTY));
    }

    #[test]
    fn ads_for_certificates_do_not_ask_for_one() {
        assert_eq!(
            intent("电线杆贴满办证广搞"),
            (None, "电线杆贴满办证广搞".to_string())
        );
        let (kind, text) = intent("办证小广告 要办证吗");
        assert_eq!(kind, Some(PERMIT));
        assert_eq!(text, "办证小广告 要  吗");
        assert_eq!(intent("停车场乱收费").0, None);
        assert_eq!(intent("物业收费不合理").0, None);
    }
}
