"""The search index: found without diacritics, small enough for a weak line.

Material's search (lunr, in a web worker) matches words as written: "ha tinh" never finds "Hà Tĩnh",
and people on phones often type without diacritics. Rather than patch the theme's JavaScript, each
entry gets hidden fields holding the diacritic-free form of the words that have diacritics; lunr
indexes every field listed in the index's config but the results only show the title and the text,
so a hit on "ha tinh" still shows "Hà Tĩnh". Typing with diacritics matches the words as written.

The theme's worker downloads the whole index on the first page anyone opens, before they search.
The connection-point pages can number in the thousands, and their sections (invitees, deadlines,
contacts, duties) repeat what the sections' own pages say: each point page is indexed as one short
entry, its name and place, written here from the model. The theme never reads those pages for
the index (`search: exclude` in their front matter): parsing ten thousand pages' HTML for text
thrown away took a fifth of a national build.
"""

from __future__ import annotations

import html
import json
import re
from functools import lru_cache

from .. import text
from ..source.model import MeetingFile
from ..routes import HOME, SiteOptions, point_src, relative_url

# Hidden fields: the folded words of the title (weighted like the title) and of the text.
FOLDED_FIELDS = {"title": "ft", "text": "fx"}

_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"\w+")


def point_entries(m: MeetingFile, options: SiteOptions) -> list[dict]:
    """One entry per point page, as the theme writes entries (HTML-escaped text): its name and place.

    Not the tier's name: repeated on thousands of entries, it would find them all for "diem cau".
    """
    return [{"location": relative_url(HOME, point_src(point.key), options.directory_urls),
             "title": html.escape(point.name, quote=False), "text": html.escape(point.place or "", quote=False)}
            for _tier, point in m.points]


def fold_words(value: str) -> str:
    """The diacritic-free forms of the words that have diacritics, each once, in order of appearance.

    Words without diacritics are indexed already in the visible field; repeating them would only
    make the index bigger.
    """
    plain = html.unescape(_TAG.sub(" ", value))
    seen: dict[str, None] = {}
    for word in _WORD.findall(plain):
        folded = _folded(word)
        if folded:
            seen.setdefault(folded, None)
    return " ".join(seen)


@lru_cache(maxsize=1 << 16)
def _folded(word: str) -> str | None:
    """A word's diacritic-free form if it differs. The same few thousand words ("Xã", "Hội trường")
    make up a national index's 300,000: each is folded once."""
    folded = text.fold(word)
    return folded if folded != word.lower() else None


def prepare_index(index: dict, points: list[dict]) -> dict:
    """Material's search index with the point entries and the folded fields added (a new dict)."""
    config = dict(index["config"])
    fields = dict(config.get("fields", {}))
    for source, hidden in FOLDED_FIELDS.items():
        fields[hidden] = dict(fields.get(source, {"boost": 1.0}))
    config["fields"] = fields

    docs = []
    for doc in [*index["docs"], *points]:
        doc = dict(doc)
        for source, hidden in FOLDED_FIELDS.items():
            folded = fold_words(doc.get(source) or "")
            if folded:
                doc[hidden] = folded
        docs.append(doc)
    return {**index, "config": config, "docs": docs}


def rewrite_index(raw: str, m: MeetingFile, options: SiteOptions) -> str:
    """The search_index.json text the theme wrote -> the one to publish (compact JSON)."""
    prepared = prepare_index(json.loads(raw), point_entries(m, options))
    return json.dumps(prepared, ensure_ascii=False, separators=(",", ":"))
