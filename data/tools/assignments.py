#!/usr/bin/env python3
"""Build data/assignments.csv: which body exercises each power item in each region.

Run from the repository root:  python3 data/tools/assignments.py [--items PATH]

Reads data/items.csv (code,name,type,field,level,department,basis,keywords,note) and
data/regions.csv (code,name,parent; from regions.mjs) and writes data/assignments.csv
(item,region,body,mode). Python 3.11 stdlib only; deterministic (no randomness; the
only "variety" comes from zlib.crc32 of region codes).

Rules (illustrative, to show 差别化赋权 — differentiated devolution to townships):
  * every county-level region (6-digit code) x every item: the county body for the item's
    field, mode empty;
  * every township-level region (9-digit code): items whose level includes 乡级 are devolved
    to "{township}综合行政执法局", mode 赋权:
      - 镇: all such items, except that towns with crc32(code) % 3 == 0 keep 交通运输 and
        水利 at the county;
      - 街道: only fields 城市管理 市场监管 住房城乡建设 生态环境 卫生健康;
      - 乡: only fields 城市管理 农业农村 自然资源.
    Items not devolved get no township row: the county assignment applies by inheritance.
"""
from __future__ import annotations

import argparse
import csv
import io
import os
import sys
import tempfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # data/tools/assignments.py -> repo root

ITEM_COLUMNS = ["code", "name", "type", "field", "level", "department",
                "basis", "keywords", "note"]
LEVELS = {"省级", "市级", "县级", "乡级"}
TOWNSHIP_LEVEL = "乡级"
DEVOLVED_MODE = "赋权"

# County body by field; {county} = county name (e.g. 兴化市, 海陵区), {city} = its city.
COUNTY_BODY = {
    "城市管理": "{county}城市管理局",
    "市场监管": "{county}市场监督管理局",
    "生态环境": "{city}{county}生态环境局",
    "住房城乡建设": "{county}住房和城乡建设局",
    "自然资源": "{city}自然资源和规划局{county}分局",
    "农业农村": "{county}农业农村局",
    "交通运输": "{county}交通运输局",
    "卫生健康": "{county}卫生健康委员会",
    "文化旅游": "{county}文化广电和旅游局",
    "应急管理": "{county}应急管理局",
    "水利": "{county}水利局",
    "人力资源社会保障": "{county}人力资源和社会保障局",
}
FIRE_BODY = "{county}消防救援大队"  # 应急管理 items whose department mentions 消防
# Verified local names that differ from the pattern: {(county code, field): body}.
COUNTY_BODY_OVERRIDES: dict[tuple[str, str], str] = {}

TOWNSHIP_BODY = "{township}综合行政执法局"
STREET_FIELDS = {"城市管理", "市场监管", "住房城乡建设", "生态环境", "卫生健康"}
XIANG_FIELDS = {"城市管理", "农业农村", "自然资源"}
TOWN_KEEP_AT_COUNTY = {"交通运输", "水利"}  # for towns with crc32(code) % 3 == 0


def write_atomic(path: Path, text: str) -> None:
    """Writes `text` to a temporary file beside `path`, then renames it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def warn(msg: str) -> None:
    print(f"assignments.py: {msg}", file=sys.stderr)


def read_csv(path: Path, required: list[str]) -> list[dict[str, str]]:
    if not path.is_file():
        sys.exit(f"assignments.py: {path}: no such file")
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            sys.exit(f"assignments.py: {path}: missing columns {missing}")
        return [{k: (v or "").strip() for k, v in row.items() if k is not None}
                for row in reader]


def split_levels(value: str) -> set[str]:
    return {p.strip() for p in value.replace(";", "；").split("；") if p.strip()}


def county_body(item: dict[str, str], county: dict[str, str], city_name: str,
                unknown_fields: set[str]) -> str:
    field = item["field"]
    override = COUNTY_BODY_OVERRIDES.get((county["code"], field))
    if override:
        return override
    if field == "应急管理" and "消防" in item["department"]:
        pattern = FIRE_BODY
    elif field != "自然资源" and "自然资源" in item["department"]:
        # A power the statute gives the 城乡规划主管部门, now the 自然资源 department
        # (2018 institutional reform), kept in its field's code series (JS-CF-035…).
        pattern = COUNTY_BODY["自然资源"]
    elif field in COUNTY_BODY:
        pattern = COUNTY_BODY[field]
    else:
        unknown_fields.add(field)
        pattern = "{county}" + field + ("" if field.endswith("局") else "局")
    return pattern.format(county=county["name"], city=city_name)


def township_kind(name: str) -> str | None:
    if name.endswith("街道"):
        return "街道"
    if name.endswith("镇"):
        return "镇"
    if name.endswith("乡"):  # includes 民族乡
        return "乡"
    return None


def takes_field(region: dict[str, str], kind: str | None, field: str) -> bool:
    """Whether this township takes the 乡级 items of this field."""
    if kind == "镇":
        keeps_some = zlib.crc32(region["code"].encode("ascii")) % 3 == 0
        return not (keeps_some and field in TOWN_KEEP_AT_COUNTY)
    if kind == "街道":
        return field in STREET_FIELDS
    if kind == "乡":
        return field in XIANG_FIELDS
    return False


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--items", type=Path, default=ROOT / "data" / "items.csv")
    ap.add_argument("--regions", type=Path, default=ROOT / "data" / "regions.csv")
    ap.add_argument("--out", type=Path, default=ROOT / "data" / "assignments.csv")
    args = ap.parse_args()

    items = read_csv(args.items, ITEM_COLUMNS)
    regions = read_csv(args.regions, ["code", "name", "parent"])

    seen: set[str] = set()
    for it in items:
        if not it["code"]:
            sys.exit(f"assignments.py: item without code: {it['name']!r}")
        if it["code"] in seen:
            sys.exit(f"assignments.py: duplicate item code {it['code']}")
        seen.add(it["code"])
        odd = split_levels(it["level"]) - LEVELS
        if odd:
            warn(f"item {it['code']}: unknown level value(s) {sorted(odd)}")
    items.sort(key=lambda it: it["code"])

    by_code = {r["code"]: r for r in regions}
    counties = sorted((r for r in regions if len(r["code"]) == 6), key=lambda r: r["code"])
    townships = sorted((r for r in regions if len(r["code"]) == 9), key=lambda r: r["code"])
    county_names = {}
    for c in counties:
        city = by_code.get(c["parent"])
        if city is None:
            sys.exit(f"assignments.py: county {c['code']} has unknown parent {c['parent']}")
        county_names[c["code"]] = city["name"]

    unknown_fields: set[str] = set()
    rows: list[tuple[str, str, str, str]] = []
    for it in items:
        for c in counties:
            rows.append((it["code"], c["code"],
                         county_body(it, c, county_names[c["code"]], unknown_fields), ""))

    per_township: dict[str, int] = {}
    township_items = [it for it in items if TOWNSHIP_LEVEL in split_levels(it["level"])]
    unclassified = []
    for t in townships:
        if t["parent"] not in county_names:
            sys.exit(f"assignments.py: township {t['code']} has unknown county {t['parent']}")
        kind = township_kind(t["name"])
        if kind is None:
            unclassified.append(f"{t['code']} {t['name']}")
        n = 0
        for it in township_items:
            if takes_field(t, kind, it["field"]):
                rows.append((it["code"], t["code"],
                             TOWNSHIP_BODY.format(township=t["name"]), DEVOLVED_MODE))
                n += 1
        per_township[t["code"]] = n

    rows.sort(key=lambda r: (r[0], r[1]))

    for f in sorted(unknown_fields):
        warn(f"field {f!r} has no mapping; used '{{county}}{f}局'")
    if unclassified:
        warn(f"{len(unclassified)} township(s) neither 镇/乡/街道, nothing devolved: "
             + "、".join(unclassified))

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["item", "region", "body", "mode"])
    w.writerows(rows)
    write_atomic(args.out, buf.getvalue())

    counts = sorted(per_township.values())
    span = f"{counts[0]}/{counts[-1]}" if counts else "-/-"
    print(f"assignments.py: {len(rows)} rows, {len(items)} items ({len(township_items)} 乡级), "
          f"{len(counties)} counties + {len(townships)} townships; "
          f"devolved items per township min/max {span}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
