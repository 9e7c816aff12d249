"""Synthetic national meetings for the benchmark, with real Vietnamese place names.

Benchmark and tests only: this is the one file that imports `vietnam-provinces` (GPL-3.0,
installed from requirements-bench.txt by `make bench` and requirements-dev.txt by `make test`;
tests/test_sheets.py writes the national list with it); the product never does. Its 2021 list has 63 provinces,
705 districts and 10,603 communes.

A meeting with N connection points is the seed's meeting (agencies, duties, deadlines, contacts,
rules, invitation text) with its tiers replaced by a national hierarchy: one national point,
provinces, districts under their province, communes under their district. Communes are drawn at
random (fixed seed) together with the ancestors they need, until exactly N points are chosen;
"all" takes every unit of the country.

With `--sheets`, the provinces, districts and communes come as organizers have them: spreadsheets
beside the meeting file (each tier's `points_file`), with title rows, an STT column, official codes
(Mã) and parents by code (Trực thuộc), and no slug at all; the addresses are made by the model.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import yaml
from vietnam_provinces import NESTED_DIVISIONS_JSON_PATH

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))

from microsite.source.load import load_yaml  # noqa: E402
from microsite.text import slugify  # noqa: E402

NATIONAL = "trung-uong"


def divisions() -> list[dict]:
    """Provinces, each with its districts, each with its communes ('wards'), as the package gives them."""
    return json.loads(Path(NESTED_DIVISIONS_JSON_PATH).read_text(encoding="utf-8"))


def _lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


def country() -> tuple[list[dict], list[dict], list[dict]]:
    """Every province, district and commune as a point (slug, name, place, parent); slugs are unique.

    Names repeat across the country (dozens of 'Xã Tân Thành'), so districts and communes carry
    their official GSO code in the slug: short, unique and stable. Each also carries its `code`
    and its parent's (`parent_code`), as the official list writes them (2, 3 and 5 digits).
    """
    provinces, districts, communes = [], [], []
    for p in divisions():
        p_slug, p_code = slugify(p["name"]), f"{p['code']:02d}"
        provinces.append({"slug": p_slug, "name": p["name"], "code": p_code,
                          "place": f"Hội trường {_lower_first(p['name'])}"})
        for d in p["districts"]:
            d_slug, d_code = f"{slugify(d['name'])}-{d['code']}", f"{d['code']:03d}"
            districts.append({"slug": d_slug, "name": d["name"], "parent": p_slug, "code": d_code,
                              "parent_code": p_code,
                              "place": f"Hội trường Ủy ban nhân dân {_lower_first(d['name'])}"})
            for w in d["wards"]:
                communes.append({"slug": f"{slugify(w['name'])}-{w['code']}", "name": w["name"],
                                 "parent": d_slug, "code": f"{w['code']:05d}", "parent_code": d_code,
                                 "place": f"Hội trường Ủy ban nhân dân {_lower_first(w['name'])}"})
    return provinces, districts, communes


def choose(n: int | None, seed: int = 2021) -> tuple[list[dict], list[dict], list[dict]]:
    """Exactly n points (1 national + provinces + districts + communes), or the whole country for None."""
    provinces, districts, communes = country()
    if n is None:
        return provinces, districts, communes
    if n < 4:
        raise ValueError("a national meeting needs at least 4 points (national, province, district, commune)")
    rng = random.Random(seed)
    chosen: set[str] = set()
    by_slug = {p["slug"]: p for p in provinces + districts}
    order = list(communes)
    rng.shuffle(order)
    count = 1  # the national point
    for commune in order:
        if count == n:
            break
        district = by_slug[commune["parent"]]
        needed = [x["slug"] for x in (commune, district, by_slug[district["parent"]]) if x["slug"] not in chosen]
        if count + len(needed) <= n:
            chosen.update(needed)
            count += len(needed)

    def keep(items: list[dict]) -> list[dict]:
        return [x for x in items if x["slug"] in chosen]

    return keep(provinces), keep(districts), keep(communes)


def meeting(n: int | None, seed_file: Path = ROOT / "data" / "meeting.yaml", chosen: tuple | None = None) -> dict:
    """The seed's meeting, held nationwide at n connection points (`chosen` by `choose(n)`)."""
    data = load_yaml(seed_file).data
    provinces, districts, communes = chosen or choose(n)
    old = {t["id"]: t for t in data["tiers"]}
    data["meeting"]["kind"] = "Hội nghị trực tuyến toàn quốc"
    data["meeting"]["short_title"] = f"Hội nghị trực tuyến toàn quốc ({1 + len(provinces) + len(districts) + len(communes)} điểm cầu)"
    data["meeting"]["title"] = "Hội nghị trực tuyến toàn quốc (dữ liệu tổng hợp để đo hiệu năng)"

    def slugged(points: list[dict]) -> list[dict]:
        return [{k: v for k, v in p.items() if k not in ("code", "parent_code")} for p in points]

    data["tiers"] = [
        {"id": NATIONAL, "name": "Điểm cầu Trung ương",
         "invitees": ["Các đồng chí lãnh đạo chủ trì hội nghị."],
         "points": [{"slug": NATIONAL, "name": "Điểm cầu Trung ương", "place": "Hội trường Trung ương"}]},
        {**{k: v for k, v in old["tinh"].items() if k != "points"},
         "name": "Điểm cầu tỉnh, thành phố", "heading": "Điểm cầu các tỉnh, thành phố", "points": slugged(provinces)},
        {**{k: v for k, v in old["huyen"].items() if k != "points"}, "points": slugged(districts)},
        {**{k: v for k, v in old["xa"].items() if k != "points"}, "points": slugged(communes)},
    ]
    return data


# Each tier's spreadsheet: file name, title row, columns (header, field of the chosen point).
SHEETS = {
    1: ("diem-cau-tinh", "DANH SÁCH ĐIỂM CẦU CÁC TỈNH, THÀNH PHỐ",
        [("Tên", "name"), ("Mã", "code"), ("Địa điểm", "place")]),
    2: ("diem-cau-huyen", "DANH SÁCH CÁC ĐƠN VỊ KẾT NỐI CÁC ĐIỂM CẦU CẤP HUYỆN",
        [("Tên", "name"), ("Mã", "code"), ("Trực thuộc", "parent_code"), ("Địa điểm", "place")]),
    3: ("diem-cau-xa", "DANH SÁCH CÁC ĐƠN VỊ KẾT NỐI CÁC ĐIỂM CẦU CẤP XÃ",
        [("Tên", "name"), ("Mã", "code"), ("Trực thuộc", "parent_code"), ("Địa điểm", "place")]),
}


def write_sheet(path: Path, title: str, columns: list[tuple[str, str]], points: list[dict]) -> None:
    """One official-looking list: a merged title row and a blank row above the header, then STT and
    the columns; .xlsx (openpyxl) or .csv (UTF-8 with a BOM, as Excel saves it) by the suffix."""
    header = ["STT", *(h for h, _ in columns)]
    rows = [[i, *(p.get(f, "") for _, f in columns)] for i, p in enumerate(points, 1)]
    if path.suffix == ".csv":
        import csv

        with path.open("w", encoding="utf-8-sig", newline="") as out:
            writer = csv.writer(out)
            writer.writerows([[title], [], header, *rows])
        return
    from openpyxl import Workbook

    book = Workbook(write_only=False)
    sheet = book.active
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet.append([])
    for row in [header, *rows]:
        sheet.append(row)
    book.save(path)


def write(n: int | None, path: Path, sheets: str | None = None) -> int:
    """Write the meeting with n points to path; return its number of points. With `sheets` ('xlsx'
    or 'csv'), the provinces, districts and communes go to spreadsheets beside it, without slugs."""
    chosen = choose(n)
    data = meeting(n, chosen=chosen)
    if sheets:
        for ti, points in zip((1, 2, 3), chosen):
            stem, title, columns = SHEETS[ti]
            name = f"{stem}.{sheets}"
            write_sheet(path.parent / name, title, columns, points)
            data["tiers"][ti]["points"] = []
            data["tiers"][ti]["points_file"] = name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120), encoding="utf-8")
    return 1 + sum(len(points) for points in chosen)


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    fmt = next((a.split("=", 1)[1] if "=" in a else "xlsx" for a in sys.argv[1:] if a.startswith("--sheets")), None)
    size = None if args[0] == "all" else int(args[0])
    print(write(size, Path(args[1]), fmt), "points written to", args[1])
