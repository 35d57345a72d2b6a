#!/usr/bin/env python3
"""Derive an illustrative earlier version (2024.1) of the sample catalog, for `powerlist diff`.

Run from the repository root:  python3 data/tools/previous.py [--data DIR] [--out DIR]

Reads data/items.csv, data/assignments.csv and data/catalog.txt (version 2025.1) and writes
data/history/2024.1/{items.csv, assignments.csv, catalog.txt, changes.json}. The older version
shares data/laws/ and data/regions.csv through a `base: ../..` line in its catalog.txt.
Python 3 stdlib only; deterministic (fixed rules over items sorted by code, no randomness).

The 2024.1 version is the 2025.1 one with these changes undone (all illustrative, none is a
real revision of the Taizhou list):
  * ADDED: in each of the 12 fields, the item with the highest code did not exist yet;
  * RENAMED: 3 items with 或者 in their name were called …或… (first 或者 → 或);
  * REBASED: 3 行政许可/行政检查 items cited the article before their first cited article
    (an older numbering), as a whole article;
  * RECODED: 2 items had another sequence number (NNN + 900) under the same field and type;
  * CHANGED: 2 items had another default department (县级… → 设区的市级…);
  * REASSIGNED: in the first 2 towns (by code) of 兴化市, the 城市管理 items were delegated
    (委托) rather than devolved (赋权); in 戴窑镇 the 农业农村 items stayed with the county
    (no township rows).
changes.json records the counts, which `tests/diff.rs` checks against `powerlist diff`.
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
from pathlib import Path

from assignments import write_atomic  # data/tools/ is this script's directory

ROOT = Path(__file__).resolve().parents[2]  # data/tools/previous.py -> repo root
VERSION = "2024.1"
DATE = "2024-11-29"

DIGITS = "零一二三四五六七八九"


def from_chinese(s: str) -> int:
    """一百二十二 → 122 (the article numbers the catalog uses, below 10000)."""
    total, num = 0, 0
    units = {"十": 10, "百": 100, "千": 1000}
    for ch in s:
        if ch in DIGITS:
            num = DIGITS.index(ch)
        elif ch in units:
            total += (num or 1) * units[ch]
            num = 0
        else:
            raise ValueError(f"not a Chinese numeral: {s!r}")
    return total + num


def to_chinese(n: int) -> str:
    """122 → 一百二十二, 10 → 十, 105 → 一百零五."""
    if n < 10:
        return DIGITS[n]
    if n < 20:
        return "十" + (DIGITS[n % 10] if n % 10 else "")
    out, zero = "", False
    for u, name in ((1000, "千"), (100, "百"), (10, "十")):
        d, n = divmod(n, u)
        if d:
            out += ("零" if zero else "") + DIGITS[d] + name
            zero = False
        elif out:
            zero = True
    if n:
        out += ("零" if zero else "") + DIGITS[n]
    return out


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    if not path.is_file():
        sys.exit(f"previous.py: {path}: no such file")
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), [dict(r) for r in reader]


def csv_text(columns: list[str], rows: list[dict[str, str]]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


FIRST_ARTICLE = re.compile(r"^(《[^》]+》)第([零一二三四五六七八九十百千]+)条"
                           r"(第[零一二三四五六七八九十]+款)?(第（[零一二三四五六七八九十]+）项)?")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT / "data")
    ap.add_argument("--out", type=Path, default=ROOT / "data" / "history" / VERSION)
    args = ap.parse_args()

    columns, items = read_csv(args.data / "items.csv")
    acols, assignments = read_csv(args.data / "assignments.csv")
    _, regions = read_csv(args.data / "regions.csv")
    items.sort(key=lambda it: it["code"])
    by_field: dict[str, list[dict[str, str]]] = {}
    for it in items:
        by_field.setdefault(it["field"], []).append(it)

    # ADDED in 2025.1: the last item of each field.
    added = {rows[-1]["code"] for rows in by_field.values()}
    kept = [dict(it) for it in items if it["code"] not in added]

    # RENAMED: the first three items (by code) whose name has 或者.
    renamed = [it for it in kept if "或者" in it["name"]][:3]
    for it in renamed:
        it["name"] = it["name"].replace("或者", "或", 1)

    # REBASED: the first three 许可/检查 items whose first citation is past 第一条.
    rebased = []
    for it in kept:
        if len(rebased) == 3:
            break
        m = FIRST_ARTICLE.match(it["basis"])
        if it["type"] not in ("行政许可", "行政检查") or not m or from_chinese(m.group(2)) < 2:
            continue
        older = f"{m.group(1)}第{to_chinese(from_chinese(m.group(2)) - 1)}条"
        it["basis"] = older + it["basis"][m.end():]
        rebased.append(it)

    # RECODED: the first 行政处罚 item of 市场监管 and of 文化旅游 had another number.
    old_code: dict[str, str] = {}
    for prefix in ("SJ-CF-", "WL-CF-"):
        it = next(x for x in kept if x["code"].startswith(prefix) and x not in renamed + rebased)
        number = int(it["code"].rsplit("-", 1)[1])
        old_code[it["code"]] = f"{prefix}{number + 900:03d}"
        it["code"] = old_code[it["code"]]

    # CHANGED: the first two items with a 县级 department had a 设区的市级 one.
    changed = [it for it in kept if it["department"].startswith("县级")
               and it not in renamed + rebased and it["code"] not in old_code.values()][:2]
    for it in changed:
        it["department"] = "设区的市级" + it["department"][len("县级"):]

    # REASSIGNED.
    field_of = {it["code"]: it["field"] for it in items}
    towns = sorted(r["code"] for r in regions
                   if r["parent"] == "321281" and r["name"].endswith("镇"))
    delegated = set(towns[:2])
    dai_yao = "321281100"  # 戴窑镇
    reassigned = 0
    old_rows = []
    for row in assignments:
        code = row["item"]
        if code in added:
            continue
        row = dict(row, item=old_code.get(code, code))
        field = field_of.get(code, "")
        if row["region"] == dai_yao and field == "农业农村":
            reassigned += 1
            continue
        if row["region"] in delegated and field == "城市管理" and row["mode"] == "赋权":
            row["mode"] = "委托"
            reassigned += 1
        old_rows.append(row)
    old_rows.sort(key=lambda r: (r["item"], r["region"]))
    kept.sort(key=lambda it: it["code"])

    out = args.out
    write_atomic(out / "items.csv", csv_text(columns, kept))
    write_atomic(out / "assignments.csv", csv_text(acols, old_rows))
    info = (args.data / "catalog.txt").read_text(encoding="utf-8")
    name = next((ln.split(":", 1)[1].strip() for ln in info.splitlines()
                 if ln.startswith("name:")), "")
    write_atomic(out / "catalog.txt",
                 "# An illustrative earlier version of ../../ (data/), written by "
                 "data/tools/previous.py.\n"
                 f"name: {name}\nversion: {VERSION}\ndate: {DATE}\n"
                 "# laws/ and regions.csv are those of the base directory.\nbase: ../..\n")
    counts = {
        "added": len(added),
        "removed": 0,
        "recoded": len(old_code),
        "renamed": len(renamed),
        "rebased": len(rebased),
        "changed": len(changed),
        "reassigned": reassigned,
        # The history shares laws/ with the current catalog: no law text differs.
        "laws": 0,
    }
    write_atomic(out / "changes.json", json.dumps(counts, indent=2) + "\n")
    print(f"previous.py: wrote {out} ({len(kept)} items, {len(old_rows)} assignments): "
          + ", ".join(f"{k} {v}" for k, v in counts.items()), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
