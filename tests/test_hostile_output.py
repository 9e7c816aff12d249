"""Hostile text in every free-text field comes out as text in EVERY output of the site.

Every string the model accepts as free text is replaced by a corpus of hostile strings (script
tags, the closing tag of every element that holds text, quotes, `javascript:` URLs, entity look-
alikes, mail header injection, calendar line injection, template syntax). The fields are found by
trying, not listed, so fields other helpers add later are poisoned too. Then the built site is
scanned by file type: HTML, SVG, XML, JSON (search index, manifests), iCalendar, PDF, images, and
the `mailto:`/`tel:` links inside them. Any file whose content depends on the meeting text must be
of a type a checker understands: a new kind of output fails here until it gets one.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import urllib.parse
from collections import Counter
from pathlib import Path
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeET
import html5lib
import pytest
from browser_support import running_chromium, serve
from conftest import DATA, Built, build_site, load_data, write_meeting

from microsite import MeetingError, load_meeting

CORPUS = [
    "<script>alert(1)</script>",
    # The closing tag of every element whose content is text or raw text, and a few structural ones.
    "</title></textarea></style></script></noscript></template></iframe></xmp></noembed></noframes>"
    "</option></select></a></p></li></h1></svg></text></desc></table></div></article></head></body>",
    "\"'`><img src=x onerror=alert(2)>",
    "javascript:alert(3)",
    "[l](javascript:alert(4)) ![i](x) <https://evil.example/>",
    "&lt;script&gt;&amp; &#60;b&#62;",  # must stay these characters, not become a tag
    "<!-- ]]> <![CDATA[ x ]]> <?xml?>",
    "{{ 7*7 }} {% raw %} ${7*7} #{x}",
    "%0D%0Abcc:evil@example.com&bcc=evil@example.com?subject=x&body=y",
    "a;b,c\\nDESCRIPTION:x\nEND:VEVENT\nBEGIN:VEVENT\nSUMMARY:injected",  # a real line break too
    "*em* _u_ `code` # h \\ |t| -->",
    "\n\n[blank](javascript:alert(5))\n\n    indented\n===\n<div onclick=alert(6)>\n\n</div>",
]
PAYLOAD = " ".join(CORPUS)
FIRST = CORPUS[0]
DOUBLE_ESCAPED = html.escape(FIRST)  # what FIRST looks like if escaped twice and shown

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "{http://www.w3.org/1999/xlink}href",
                  "poster", "data", "srcset", "cite", "background", "ping"}
BAD_SCHEMES = re.compile(r"^(?:javascript|vbscript|data|file):", re.I)
# Types that carry no meeting text and are copied from the theme; anything else that changes with
# the meeting must be checked below.
UNCHECKED_IDENTICAL = {".js", ".css", ".map", ".gz", ".woff", ".woff2", ".ttf", ".ico"}


# ---------------------------------------------------------------------------------------------
# The hostile site
# ---------------------------------------------------------------------------------------------


def _leaves(value, path=()):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _leaves(item, (*path, i))
    elif isinstance(value, str):
        yield path


def _set(data, path, value) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def _loc(dotted: str) -> tuple:
    return tuple(int(i) if i else k for k, i in re.findall(r"([^.\[\]]+)|\[(\d+)\]", dotted))


def free_text_fields(data: dict, folder: Path) -> list[tuple]:
    """The fields that take the payload: all strings but those the model refuses it in (ids, dates)."""
    original = {path: _get(data, path) for path in _leaves(data)}
    trial = json.loads(json.dumps(data))
    for n, path in enumerate(original):
        _set(trial, path, f"{PAYLOAD} #{n}")
    for _ in range(10):
        try:
            load_meeting(write_meeting(folder / "trial.yaml", trial))
        except MeetingError as exc:
            refused = {_loc(p.path) for p in exc.problems} & set(original)
            assert refused, f"cannot map these problems to fields: {exc}"
            for path in refused:
                _set(trial, path, original[path])
        else:
            return [path for path in original if _get(trial, path) != original[path]]
    raise AssertionError("could not find the free-text fields")


def poisoned(data: dict, fields: list[tuple], payload: str, path: Path) -> Path:
    """`payload` plus a unique number in each field, so that fields stay as distinct as they were."""
    data = json.loads(json.dumps(data))
    for n, field in enumerate(fields):
        _set(data, field, f"{payload} #{n}")
    return write_meeting(path, data)


def _get(data, path):
    for part in path:
        data = data[part]
    return data


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> tuple[Built, Built]:
    """The hostile site, and its twin with harmless text in the same fields: their pages must have
    the same elements, so that any extra element in the hostile one was injected."""
    folder = tmp_path_factory.mktemp("hostile")
    data = load_data(DATA)
    fields = free_text_fields(data, folder)
    assert len(fields) >= 90, f"only {len(fields)} fields took the payload"
    out = []
    for name, payload in (("hostile", PAYLOAD), ("harmless", "Văn bản thử")):
        built = build_site(poisoned(data, fields, payload, folder / f"{name}.yaml"), folder / name)
        assert built.returncode == 0, built.output
        out.append(built)
    return out[0], out[1]


@pytest.fixture(scope="module")
def hostile(sites) -> Built:
    return sites[0]


# ---------------------------------------------------------------------------------------------
# Checkers, one per file type; each returns a list of faults
# ---------------------------------------------------------------------------------------------


def _html_tree(data: bytes):
    parser = html5lib.HTMLParser(tree=html5lib.getTreeBuilder("etree"), namespaceHTMLElements=False)
    return parser.parse(data), parser.errors


def _shape(root: Element) -> Counter:
    return Counter((el.tag, tuple(sorted(el.attrib))) for el in root.iter() if isinstance(el.tag, str))


def _texts(root: Element):
    """Every text node and attribute value, as a browser would decode it (entities once)."""
    for el in root.iter():
        if isinstance(el.tag, str):
            yield from (v for v in el.attrib.values())
        yield from (t for t in (el.text, el.tail) if t)


def check_url(url: str, where: str) -> list[str]:
    faults = []
    plain = re.sub(r"[\x00-\x20]", "", url)
    if BAD_SCHEMES.match(plain):
        faults.append(f"{where}: dangerous URL {url[:80]!r}")
    if url.lower().startswith("mailto:"):
        faults += check_mailto(url, where)
    if url.lower().startswith("tel:") and not re.fullmatch(r"tel:\+?[0-9]{3,15}", url):
        faults.append(f"{where}: odd tel: link {url[:80]!r}")
    return faults


def check_mailto(url: str, where: str) -> list[str]:
    """One address, then only subject/body/cc, each once, nothing that could start a new header."""
    faults = []
    if re.search(r"[\s\x00-\x1f]", url):
        faults.append(f"{where}: raw white space or control character in {url[:80]!r}")
    address, _, query = url[len("mailto:"):].partition("?")
    if not re.fullmatch(r"[A-Za-z0-9._%+-]+(?:%40|@)[A-Za-z0-9.-]+(?:,[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+)*", address):
        faults.append(f"{where}: mailto address {address[:80]!r} is not plain addresses")
    fields = urllib.parse.parse_qsl(query, keep_blank_values=True)
    names = [name.lower() for name, _ in fields]
    if set(names) - {"subject", "body", "cc"} or len(names) != len(set(names)):
        faults.append(f"{where}: mailto fields {names} (header injection?)")
    for name, value in fields:
        if name.lower() != "body" and re.search(r"[\r\n]", value):
            faults.append(f"{where}: line break in mailto {name}")
    return faults


def check_html(data: bytes, baseline: bytes | None, where: str) -> list[str]:
    root, errors = _html_tree(data)
    faults = []
    if baseline is not None:
        base_root, base_errors = _html_tree(baseline)
        if len(errors) > len(base_errors):
            faults.append(f"{where}: new HTML parse errors {errors[len(base_errors):][:3]}")
        if _shape(root) != _shape(base_root):
            extra = _shape(root) - _shape(base_root)
            missing = _shape(base_root) - _shape(root)
            faults.append(f"{where}: elements differ from the clean build: extra {dict(extra)}, missing {dict(missing)}")
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        for name, value in el.attrib.items():
            if name.lower().startswith("on"):
                faults.append(f"{where}: event handler attribute {el.tag}[{name}]")
            if name.lower() in URL_ATTRIBUTES:
                faults += check_url(value.strip(), f"{where} {el.tag}[{name}]")
        if el.tag == "script" and el.get("type", "").endswith("json"):
            try:
                json.loads(el.text or "")
            except ValueError as exc:
                faults.append(f"{where}: inline JSON script does not parse: {exc}")
    for text in _texts(root):
        if DOUBLE_ESCAPED in text:
            faults.append(f"{where}: text escaped twice: {text[:80]!r}")
    return faults


def check_svg(data: bytes, where: str) -> list[str]:
    try:
        root = SafeET.fromstring(data)
    except Exception as exc:  # noqa: BLE001 - any parse failure is the finding
        return [f"{where}: SVG does not parse as XML: {exc}"]
    faults = []
    for el in root.iter():
        tag = el.tag.rsplit("}", 1)[-1].lower()
        if tag in {"script", "foreignobject", "iframe", "embed", "object", "handler"}:
            faults.append(f"{where}: <{tag}> in SVG")
        for name, value in el.attrib.items():
            local = name.rsplit("}", 1)[-1].lower()
            if local.startswith("on"):
                faults.append(f"{where}: event handler {local} in SVG")
            if local in {"href", "src"}:
                faults += check_url(value.strip(), f"{where} <{tag}>")
    return faults


ATOM = "{http://www.w3.org/2005/Atom}"


def check_xml(data: bytes, where: str) -> list[str]:
    try:
        root = SafeET.fromstring(data)
    except Exception as exc:  # noqa: BLE001
        return [f"{where}: XML does not parse: {exc}"]
    faults = []
    if root.tag == f"{ATOM}feed":  # the changes feed: a reader shows type="html" text as HTML
        for el in root.iter():
            if el.get("type") == "html":
                faults += _html_fragment_faults(el.text or "", {"ul", "li"}, f"{where} <{el.tag[len(ATOM):]}>")
            elif el.get("type") not in (None, "text"):
                faults.append(f"{where}: <{el.tag[len(ATOM):]}> of type {el.get('type')!r}")
            if el.tag == f"{ATOM}link":
                faults += check_url(el.get("href", ""), f"{where} <link>")
    return faults


def _html_fragment_faults(fragment: str, allowed: set[str], where: str) -> list[str]:
    parser = html5lib.HTMLParser(tree=html5lib.getTreeBuilder("etree"), namespaceHTMLElements=False)
    root = parser.parseFragment(fragment)
    faults = []
    for el in root.iter():
        if not isinstance(el.tag, str) or el is root:
            continue
        if el.tag not in allowed:
            faults.append(f"{where}: <{el.tag}> in search text")
        for name, value in el.attrib.items():
            if name.lower().startswith("on") or (name.lower() in URL_ATTRIBUTES and check_url(value, where)):
                faults.append(f"{where}: {el.tag}[{name}] in search text")
    return faults


def check_json(data: bytes, baseline: bytes | None, where: str) -> list[str]:
    try:
        doc = json.loads(data)
    except ValueError as exc:
        return [f"{where}: JSON does not parse: {exc}"]
    faults = []
    if isinstance(doc, dict) and isinstance(doc.get("docs"), list):  # a search index: text is shown as HTML
        allowed = {"p", "ul", "ol", "li", "code", "strong", "em", "b", "i", "mark", "span", "br"}
        if baseline is not None:
            for base_doc in json.loads(baseline)["docs"]:
                root = html5lib.parseFragment(base_doc.get("text", ""), treebuilder="etree",
                                              namespaceHTMLElements=False)
                allowed |= {el.tag for el in root.iter() if isinstance(el.tag, str)}
        for i, entry in enumerate(doc["docs"]):
            for key in ("title", "text"):
                value = entry.get(key) or ""
                if re.search(r"<\s*script", value, re.I):
                    faults.append(f"{where} docs[{i}].{key}: raw <script")
                faults += _html_fragment_faults(value, allowed, f"{where} docs[{i}].{key}")
            faults += check_url(str(entry.get("location", "")), f"{where} docs[{i}].location")
    return faults


def _ics_shape(cal) -> Counter:
    return Counter((component.name, prop) for component in cal.walk() for prop in component)


def check_ics(data: bytes, baseline: bytes | None, where: str) -> list[str]:
    from icalendar import Calendar

    try:
        cal = Calendar.from_ical(data)
    except Exception as exc:  # noqa: BLE001
        return [f"{where}: iCalendar does not parse: {exc}"]
    faults = []
    if re.search(rb"(?<!\r)\n", data):
        faults.append(f"{where}: lines must end with CRLF")
    if baseline is not None and _ics_shape(cal) != _ics_shape(Calendar.from_ical(baseline)):
        faults.append(f"{where}: components or properties differ from the clean build (line injection?)")
    for component in cal.walk():
        for prop in ("URL", "ATTACH", "ORGANIZER", "ATTENDEE"):
            for value in component.get_all(prop, []) if hasattr(component, "get_all") else []:
                faults += check_url(str(value), f"{where} {component.name}.{prop}")
    return faults


def check_pdf(data: bytes, where: str) -> list[str]:
    if not shutil.which("pdftotext"):
        return [f"{where}: pdftotext (poppler-utils) is needed to check PDFs"]
    result = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, timeout=60)
    return [] if result.returncode == 0 else [f"{where}: PDF does not parse: {result.stderr[:200]!r}"]


def check_image(data: bytes, where: str) -> list[str]:
    from PIL import Image

    try:
        with Image.open(__import__("io").BytesIO(data)) as image:
            image.verify()
    except Exception as exc:  # noqa: BLE001
        return [f"{where}: image does not decode: {exc}"]
    return []


def check_text(data: bytes, where: str) -> list[str]:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return [f"{where}: text is not UTF-8: {exc}"]
    return []


def check_zip(data: bytes, where: str) -> list[str]:
    """An archive (all makets): it opens, no member escapes the folder it is unpacked in, and
    each member passes the checker of its own type."""
    import io
    import zipfile

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        bad = archive.testzip()
    except zipfile.BadZipFile as exc:
        return [f"{where}: archive does not open: {exc}"]
    faults = [f"{where}: member {bad} is corrupt"] if bad else []
    with __import__("tempfile").TemporaryDirectory() as tmp:
        for info in archive.infolist():
            name = info.filename
            if name.startswith("/") or ".." in Path(name).parts or "\\" in name:
                faults.append(f"{where}: member {name!r} escapes the folder")
                continue
            if info.is_dir():
                continue
            member = Path(tmp) / Path(name).name
            member.write_bytes(archive.read(info))
            found = check_file(member, None, f"{where}:{name}")
            faults += [f"{where}:{name}: no checker for this type"] if found is None else found
    return faults


def check_file(path: Path, baseline: Path | None, where: str) -> list[str] | None:
    """Faults of one output file; None when no checker knows its type."""
    data = path.read_bytes()
    base = baseline.read_bytes() if baseline and baseline.exists() else None
    suffix = path.suffix.lower()
    if suffix in {".html", ".htm"}:
        return check_html(data, base, where)
    if suffix == ".svg":
        return check_svg(data, where)
    if suffix == ".xml":
        return check_xml(data, where)
    if suffix in {".json", ".webmanifest"}:
        return check_json(data, base, where)
    if suffix == ".ics":
        return check_ics(data, base, where)
    if suffix == ".pdf":
        return check_pdf(data, where)
    if suffix in {".png", ".jpg", ".jpeg", ".webp", ".gif"}:
        return check_image(data, where)
    if suffix == ".zip":
        return check_zip(data, where)
    if suffix == ".txt":
        return check_text(data, where)
    return None


# ---------------------------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------------------------


def test_every_output_file_is_safe(sites: tuple[Built, Built]) -> None:
    hostile, harmless = sites
    files = sorted(p for p in hostile.site.rglob("*") if p.is_file())
    assert {p.relative_to(hostile.site) for p in files} == {
        p.relative_to(harmless.site) for p in harmless.site.rglob("*") if p.is_file()}, "same files either way"
    faults, unchecked, counts = [], [], Counter()
    for path in files:
        rel = path.relative_to(hostile.site)
        baseline = harmless.site / rel
        result = check_file(path, baseline, str(rel))
        if result is None:
            if path.read_bytes() != baseline.read_bytes() or path.suffix.lower() not in UNCHECKED_IDENTICAL:
                unchecked.append(str(rel))
            continue
        counts[path.suffix.lower()] += 1
        faults += result
    print("checked:", dict(counts))
    assert unchecked == [], f"outputs no checker understands (add one to {Path(__file__).name}): {unchecked}"
    assert faults == [], "\n".join(faults[:30])
    assert counts[".html"] >= 20


def test_payload_shows_as_text_in_title_meta_and_body(hostile: Built) -> None:
    """Faithful, not just harmless: the exact characters typed appear (once decoded) everywhere."""
    checked = 0
    for page in hostile.pages():
        root, _ = _html_tree(page.read_bytes())
        head_texts = [root.find(".//title").text or ""]
        head_texts += [m.get("content", "") for m in root.iter("meta")
                       if m.get("name") in ("description", "twitter:title", "twitter:description")
                       or (m.get("property") or "").startswith("og:")]
        for text in head_texts:
            for match in re.finditer(re.escape(FIRST), text):
                rest = text[match.start():].rstrip(".… ")
                assert rest.startswith(PAYLOAD) or PAYLOAD.startswith(rest), (page, text[:200])
                checked += 1
    assert checked >= 20  # title and description of every page carry poisoned text
    home = hostile.text("")
    assert re.sub(r"\s+", " ", PAYLOAD) in re.sub(r"\s+", " ", home)


def _zip_with(member: str) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(member, "x")
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "content", "fault"), [
    ("a.html", b"<!doctype html><title>x</title><p><img src=x onerror=alert(1)></p>", "event handler"),
    ("a.html", b"<!doctype html><title>x</title><a href=' javascript:alert(1)'>x</a>", "dangerous URL"),
    ("a.html", b"<!doctype html><title>x</title><a href='mailto:a@b.vn?subject=x&bcc=c@d.vn'>x</a>", "mailto fields"),
    ("a.html", b"<!doctype html><title>x</title><a href='mailto:a@b.vn?subject=x%0D%0ABcc:c@d.vn'>x</a>",
     "line break"),
    ("a.html", b"<!doctype html><title>x</title><p>&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;</p>",
     "escaped twice"),
    ("a.html", b"<!doctype html><title>x</title><script type=application/json>{x</script>", "JSON script"),
    ("a.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "<script> in SVG"),
    ("a.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><text onclick='x'>a</text></svg>", "event handler"),
    ("a.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><text>a</text>", "does not parse"),
    ("a.json", b'{"docs": [{"title": "x", "text": "<img src=x onerror=alert(1)>", "location": ""}]}', "<img>"),
    ("a.json", b'{"docs": [', "does not parse"),
    ("a.xml", b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><content type="html">&lt;img src=x '
              b'onerror=alert(1)&gt;</content></entry></feed>', "<img>"),
    ("a.xml", b'<feed xmlns="http://www.w3.org/2005/Atom"><link href="javascript:alert(1)"/></feed>', "dangerous URL"),
    ("a.ics", b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:x\nEND:VEVENT\r\nEND:VCALENDAR\r\n", "CRLF"),
    ("a.ics", b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:x\r\n", "does not parse"),
    ("a.pdf", b"%PDF-1.4 broken", "does not parse"),
    ("a.png", b"\x89PNG\r\n\x1a\nbroken", "does not decode"),
    ("a.zip", b"PK\x03\x04 broken", "does not open"),
    ("a.zip", _zip_with("../x.txt"), "escapes the folder"),
    ("a.txt", b"\xff\xfe broken", "not UTF-8"),
])
def test_checkers_catch_what_they_look_for(tmp_path: Path, name: str, content: bytes, fault: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    faults = check_file(path, None, name)
    assert faults and any(fault in f for f in faults), faults


def test_shape_check_catches_an_injected_element(tmp_path: Path) -> None:
    clean = b"<!doctype html><title>x</title><p>a</p>"
    path = tmp_path / "a.html"
    path.write_bytes(b"<!doctype html><title>x</title><p>a<b>b</b></p>")
    base = tmp_path / "base.html"
    base.write_bytes(clean)
    assert any("elements differ" in f for f in check_file(path, base, "a.html"))


def test_nothing_executes_in_a_browser(hostile: Built) -> None:
    """Chromium, with no CSP to help (a plain static server): pages and search results that show
    the payload run none of it."""
    dialogs: list[str] = []
    injected = "document.querySelectorAll('[onerror],[onclick],img[src=x],a[href^=javascript],div[onclick]').length"
    with serve(hostile.site) as base, running_chromium() as browser:
        page = browser.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for path in ("", "dc/tinh/", "nhiem-vu/", "lien-he/", "giay-moi/"):
            page.goto(base + path, wait_until="networkidle")
            assert page.evaluate(injected) == 0, path
        page.goto(base, wait_until="networkidle")
        page.click("input[data-md-component=search-query]")
        page.wait_for_timeout(500)
        page.keyboard.type("onerror", delay=40)
        page.wait_for_selector(".md-search-result__item", timeout=20_000)
        page.wait_for_timeout(500)
        assert page.locator(".md-search-result__item").count() > 0
        assert page.evaluate(injected) == 0, "search results"
    assert dialogs == []
