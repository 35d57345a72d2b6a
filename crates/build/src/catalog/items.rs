//! The items table (`items.csv`, or the items sheet of a workbook): one power item a row.

use std::collections::{HashMap, HashSet};

use super::contacts::{phone_problem, too_long, MAX_TEXT};
use super::diags::{Diags, Locator};
use super::duties::{entries, MAX_DUTIES};
use super::headers::Column;
use super::laws::{resolve, Laws};
use super::table::{read_table, Row, Table};
use super::{Basis, Item, SourceFile};
use powerlist::citation::parse_basis;
use powerlist::model::{level_bit, type_index, TYPES};

const ITEM_COLUMNS: &[Column] = &[
    Column {
        key: "code",
        names: &[
            "code",
            "事项编码",
            "编码",
            "事项代码",
            "权力编码",
            "权力事项编码",
            "事项编号",
            "编号",
            "基本编码",
        ],
        required: true,
    },
    Column {
        key: "name",
        names: &[
            "name",
            "事项名称",
            "名称",
            "权力名称",
            "权力事项名称",
            "职权名称",
        ],
        required: true,
    },
    Column {
        key: "type",
        names: &[
            "type",
            "事项类型",
            "类型",
            "权力类型",
            "权力类别",
            "事项类别",
            "职权类别",
            "职权类型",
            "类别",
        ],
        required: true,
    },
    Column {
        key: "field",
        names: &[
            "field",
            "领域",
            "所属领域",
            "行业领域",
            "所属行业",
            "业务领域",
        ],
        required: true,
    },
    Column {
        key: "level",
        names: &["level", "行使层级", "层级", "实施层级", "行权层级"],
        required: true,
    },
    Column {
        key: "department",
        names: &[
            "department",
            "实施主体",
            "实施机关",
            "实施部门",
            "责任主体",
            "责任部门",
            "行使主体",
        ],
        required: true,
    },
    Column {
        key: "basis",
        names: &[
            "basis",
            "实施依据",
            "法定依据",
            "依据",
            "设定依据",
            "法律依据",
            "设定和实施依据",
        ],
        required: true,
    },
    Column {
        key: "keywords",
        names: &["keywords", "关键词"],
        required: false,
    },
    Column {
        key: "note",
        names: &["note", "备注", "说明"],
        required: false,
    },
    // Row numbers in published lists; read and ignored.
    Column {
        key: "no",
        names: &["no", "序号", "id"],
        required: false,
    },
    Column {
        key: "consult_phone",
        names: &["consult_phone", "咨询电话", "咨询方式"],
        required: false,
    },
    Column {
        key: "complaint_phone",
        names: &[
            "complaint_phone",
            "监督电话",
            "投诉电话",
            "监督投诉电话",
            "投诉举报电话",
        ],
        required: false,
    },
    Column {
        key: "place",
        names: &["place", "办理地点", "受理地点", "办公地点"],
        required: false,
    },
    // The responsibility list (责任清单): lists in a cell, see `duties`.
    Column {
        key: "duties",
        names: &["duties", "责任事项", "责任事项内容"],
        required: false,
    },
    Column {
        key: "accountability",
        names: &["accountability", "追责情形", "问责情形", "追责情形及依据"],
        required: false,
    },
];

/// The items table, read.
pub(super) struct Items {
    /// The valid items, in file order.
    pub(super) items: Vec<Item>,
    /// Codes (lowercase) of rows with errors: assignments to them are not reported again.
    pub(super) broken: HashSet<String>,
    /// Whether the table could be read at all (else its codes cannot be checked against).
    pub(super) readable: bool,
}

/// Reads and checks the items table, resolving citations against `laws`. Errors go to `diags`.
pub(super) fn read_items(file: &SourceFile, laws: &Laws, diags: &mut Diags) -> Items {
    let mut out = Items {
        items: Vec::new(),
        broken: HashSet::new(),
        readable: false,
    };
    let Some(Table { loc, rows, records }) = read_table(file, ITEM_COLUMNS, diags) else {
        return out;
    };
    out.readable = true;
    let mut codes: HashMap<String, usize> = HashMap::new();
    if records == 0 {
        diags.at(
            &loc,
            1,
            None,
            "the file has a header but no items; add one row per power item".into(),
        );
    }
    for row in rows {
        let mut check = RowCheck {
            loc: &loc,
            line: row.line,
            diags,
            ok: true,
        };
        let item = check.item(&row, &mut codes, laws);
        if check.ok {
            out.items.push(item);
        } else {
            out.broken.insert(item.code.to_ascii_lowercase());
        }
    }
    out
}

/// Checks one row of the items table: each problem is reported at its line and column, and
/// clears `ok`.
struct RowCheck<'a> {
    loc: &'a Locator,
    line: usize,
    diags: &'a mut Diags,
    ok: bool,
}

impl RowCheck<'_> {
    fn error(&mut self, key: &str, message: String) {
        self.diags.at(self.loc, self.line, Some(key), message);
        self.ok = false;
    }

    /// The item of a row; it is only valid if `ok` is still set.
    fn item(&mut self, row: &Row, codes: &mut HashMap<String, usize>, laws: &Laws) -> Item {
        let code = row.get(0).to_string();
        let name = row.get(1).to_string();
        self.code(&code, codes);
        if name.is_empty() {
            self.error("name", "the item name (事项名称) is empty".into());
        }
        let kind = self.kind(row.get(2));
        let field = row.get(3).to_string();
        if field.is_empty() {
            self.error("field", "the field (领域) is empty, e.g. 城市管理".into());
        }
        let levels = self.levels(row.get(4));
        let department = row.get(5).to_string();
        if department.is_empty() {
            self.error("department", "the department (实施主体) is empty".into());
        }
        let bases = self.bases(row.get(6), laws);
        let consult_phone = self.phone(
            row.get(10),
            "consult_phone",
            "the consultation phone (咨询电话)",
        );
        let complaint_phone = self.phone(
            row.get(11),
            "complaint_phone",
            "the complaint phone (监督电话)",
        );
        let place = row.get(12).to_string();
        if let Some(m) = too_long(&place, MAX_TEXT, "the place (办理地点)") {
            self.error("place", m);
        }
        let duties = self.duties(row.get(13), "duties", "the duties cell (责任事项)");
        let accountability = self.duties(
            row.get(14),
            "accountability",
            "the accountability cell (追责情形)",
        );
        if bases.is_empty() && self.ok {
            self.diags.warn_at(self.loc, self.line, Some("basis"), format!("item {code} {name} has no legal basis (实施依据); add the article that sets the power"));
        }
        Item {
            code,
            name,
            kind,
            field,
            levels,
            department,
            bases,
            keywords: split_list(row.get(7)).map(str::to_string).collect(),
            note: row.get(8).to_string(),
            consult_phone,
            complaint_phone,
            place,
            line: self.line,
            duties,
            accountability,
        }
    }

    /// A 责任事项 or 追责情形 cell of column `key` (`what` in messages), as its entries.
    fn duties(&mut self, cell: &str, key: &str, what: &str) -> Vec<String> {
        if let Some(m) = too_long(cell, MAX_DUTIES, what) {
            self.error(key, m);
            return Vec::new();
        }
        entries(cell)
    }

    /// A phone cell of column `key` (`what` in messages): empty, or plausible phone numbers.
    fn phone(&mut self, cell: &str, key: &str, what: &str) -> String {
        if !cell.is_empty() {
            if let Some(m) = phone_problem(cell, what) {
                self.error(key, m);
            }
        }
        cell.to_string()
    }

    /// A valid code, not used before (ignoring case).
    fn code(&mut self, code: &str, codes: &mut HashMap<String, usize>) {
        if !valid_code(code) {
            let shown = if code.is_empty() {
                "(empty)".to_string()
            } else {
                format!("\"{code}\"")
            };
            self.error("code", format!("item code {shown} is not valid; use ASCII letters, digits, '-' and '.', starting with a letter or digit"));
        } else if let Some(prev) = codes.insert(code.to_ascii_lowercase(), self.line) {
            self.error("code", format!("duplicate item code \"{code}\" (first used on line {prev}); codes must be unique, ignoring case"));
        }
    }

    /// The type, an index into [`TYPES`].
    fn kind(&mut self, cell: &str) -> u8 {
        type_index(cell).unwrap_or_else(|| {
            self.error(
                "type",
                format!("unknown type \"{cell}\"; use one of {}", TYPES.join("、")),
            );
            0
        })
    }

    /// The levels, one bit each; none is an error only in a row without other errors so far.
    fn levels(&mut self, cell: &str) -> u8 {
        let mut levels = 0u8;
        for l in split_list(cell) {
            match level_bit(l) {
                Some(b) => levels |= b,
                None => self.error(
                    "level",
                    format!("unknown level \"{l}\"; use 省级, 市级, 县级 or 乡级, separated by ；"),
                ),
            }
        }
        if levels == 0 && self.ok {
            self.error(
                "level",
                "the level (行使层级) is empty; use 省级, 市级, 县级 or 乡级, separated by ；"
                    .into(),
            );
        }
        levels
    }

    /// The legal bases, each resolved against the catalog's laws. A citation of a law file that
    /// could not be read is not reported again.
    fn bases(&mut self, cell: &str, laws: &Laws) -> Vec<Basis> {
        let cites = match parse_basis(cell) {
            Ok(cites) => cites,
            Err(e) => {
                self.error("basis", e);
                return Vec::new();
            }
        };
        let mut bases = Vec::new();
        for c in cites {
            let Some(li) = laws.find(&c.title) else {
                self.ok = false;
                if !laws.is_broken(&c.title) {
                    self.error("basis", format!("law 《{}》 is not in the catalog's laws/; add laws/{}.md or correct the title", c.title, c.title));
                }
                continue;
            };
            for r in c.refs {
                match resolve(&laws.laws[li], &r) {
                    Ok(()) => bases.push(Basis { law: li as u16, r }),
                    Err(e) => self.error("basis", e),
                }
            }
        }
        bases
    }
}

fn split_list(s: &str) -> impl Iterator<Item = &str> {
    s.split(['；', ';', '、', ',', '，', '\n'])
        .map(|x| x.trim())
        .filter(|x| !x.is_empty())
}

fn valid_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= 64
        && code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
        && code.as_bytes()[0].is_ascii_alphanumeric()
}
