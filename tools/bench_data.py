"""Synthetic national meetings for the benchmark, with real Vietnamese place names.

Benchmark only: this is the one file that imports `vietnam-provinces` (GPL-3.0, installed from
requirements-bench.txt by `make bench`); the product never does. Its 2021 list has 63 provinces,
705 districts and 10,603 communes.

A meeting with N connection points is the seed's meeting (agencies, duties, deadlines, contacts,
rules, invitation text) with its tiers replaced by a national hierarchy: one national point,
provinces, districts under their province, communes under their district. Communes are drawn at
random (fixed seed) together with the ancestors they need, until exactly N points are chosen;
"all" takes every unit of the country.
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
    their official GSO code in the slug: short, unique and stable.
    """
    provinces, districts, communes = [], [], []
    for p in divisions():
        p_slug = slugify(p["name"])
        provinces.append({"slug": p_slug, "name": p["name"],
                          "place": f"Hội trường {_lower_first(p['name'])}"})
        for d in p["districts"]:
            d_slug = f"{slugify(d['name'])}-{d['code']}"
            districts.append({"slug": d_slug, "name": d["name"], "parent": p_slug,
                              "place": f"Hội trường Ủy ban nhân dân {_lower_first(d['name'])}"})
            for w in d["wards"]:
                communes.append({"slug": f"{slugify(w['name'])}-{w['code']}", "name": w["name"],
                                 "parent": d_slug,
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


def meeting(n: int | None, seed_file: Path = ROOT / "data" / "meeting.yaml") -> dict:
    """The seed's meeting, held nationwide at n connection points."""
    data = load_yaml(seed_file).data
    provinces, districts, communes = choose(n)
    old = {t["id"]: t for t in data["tiers"]}
    data["meeting"]["kind"] = "Hội nghị trực tuyến toàn quốc"
    data["meeting"]["short_title"] = f"Hội nghị trực tuyến toàn quốc ({1 + len(provinces) + len(districts) + len(communes)} điểm cầu)"
    data["meeting"]["title"] = "Hội nghị trực tuyến toàn quốc (dữ liệu tổng hợp để đo hiệu năng)"
    data["tiers"] = [
        {"id": NATIONAL, "name": "Điểm cầu Trung ương",
         "invitees": ["Các đồng chí lãnh đạo chủ trì hội nghị."],
         "points": [{"slug": NATIONAL, "name": "Điểm cầu Trung ương", "place": "Hội trường Trung ương"}]},
        {**{k: v for k, v in old["tinh"].items() if k != "points"},
         "name": "Điểm cầu tỉnh, thành phố", "heading": "Điểm cầu các tỉnh, thành phố", "points": provinces},
        {**{k: v for k, v in old["huyen"].items() if k != "points"}, "points": districts},
        {**{k: v for k, v in old["xa"].items() if k != "points"}, "points": communes},
    ]
    return data


def write(n: int | None, path: Path) -> int:
    """Write the meeting with n points to path; return its number of points."""
    data = meeting(n)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120), encoding="utf-8")
    return sum(len(t["points"]) for t in data["tiers"])


if __name__ == "__main__":
    size = None if sys.argv[1] == "all" else int(sys.argv[1])
    print(write(size, Path(sys.argv[2])), "points written to", sys.argv[2])
