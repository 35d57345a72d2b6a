//! The vocabulary every catalog shares: power types and exercise levels.

/// The ten power types (事项类型), in the order the index numbers them.
pub const TYPES: [&str; 10] = [
    "行政许可",
    "行政处罚",
    "行政强制",
    "行政征收",
    "行政给付",
    "行政检查",
    "行政确认",
    "行政奖励",
    "行政裁决",
    "其他行政权力",
];

/// The four levels (行使层级); an item's levels are a bit set over this list.
pub const LEVELS: [&str; 4] = ["省级", "市级", "县级", "乡级"];

/// The index of a type name, accepting the short forms catalogs use (`处罚` for `行政处罚`).
///
/// ```
/// use powerlist::model::type_index;
/// assert_eq!(type_index("行政处罚"), Some(1));
/// assert_eq!(type_index("处罚"), Some(1));
/// assert_eq!(type_index("其他"), Some(9));
/// assert_eq!(type_index("行政指导"), None);
/// ```
pub fn type_index(name: &str) -> Option<u8> {
    let name = name.trim();
    let alias = match name {
        "其他" | "其他权力" | "其它行政权力" | "其他职权" => Some(9),
        "行政监督检查" | "监督检查" => Some(5),
        _ => None,
    };
    TYPES
        .iter()
        .position(|t| *t == name || t.strip_prefix("行政") == Some(name))
        .or(alias)
        .map(|i| i as u8)
}

/// The bit of a level name, accepting the usual variants (`乡镇`, `街道`, `县`, `县级以上`…).
pub fn level_bit(name: &str) -> Option<u8> {
    let i = match name.trim() {
        "省级" | "省" | "省本级" => 0,
        "市级" | "市" | "设区的市" | "市本级" => 1,
        "县级" | "县" | "县（市、区）" | "县（市、区）级" | "县区" | "县市区" => {
            2
        }
        "乡级" | "乡" | "乡镇" | "街道" | "乡镇级" | "乡镇（街道）" | "乡镇、街道" | "乡镇街道" => {
            3
        }
        _ => return None,
    };
    Some(1 << i)
}

/// The level names of a bit set, in order.
pub fn level_names(bits: u8) -> Vec<&'static str> {
    LEVELS
        .iter()
        .enumerate()
        .filter(|(i, _)| bits & (1 << i) != 0)
        .map(|(_, l)| *l)
        .collect()
}
