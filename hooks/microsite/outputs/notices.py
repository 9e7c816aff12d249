"""Licence notices: the site's own licence, and every third-party work that the site, its offline
bundle and its print files carry, each with its version, licence and copyright line.

Nothing here is typed by hand; the facts come from what is installed:

- The theme (mkdocs-material): its Python package's metadata and licence file. Its files in the site
  are those of its `templates/assets/`; `overrides/assets/` holds scripts taken out of its templates.
  A theme file that is byte for byte a file of an installed npm package (the search's language
  add-ons, from lunr-languages) is that package's. The packages its scripts and styles were built
  from are named in their source maps; each one's facts come from the same package installed in
  `node_modules/` (pinned in package-lock.json at the versions the theme carries, which
  tests/test_licence.py checks against the sources kept in those maps).
- The icon sets the theme ships, from the licence file of each (`.icons/<set>/LICENSE`).
- The fonts embedded in the makets: their names as the PDFs give them, each font file's own name
  table (version, copyright, licence) and, where Debian installed it, the package's copyright file.
- iframe-worker, which tools/offline.py copies into the offline bundle: its npm package.

Worked out once and kept in the content-keyed cache: finding the fonts and asking dpkg takes longer
than a small meeting's pages.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import struct
import subprocess
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path

from .cache import Cache, cache_root, code_version
from ..routes import CARD, INVITATION_PDF, NOTICES
from .card import FONT_DIRS, FONT_VARIABLE

log = logging.getLogger("mkdocs.plugins.microsite.notices")

ROOT = Path(__file__).resolve().parents[3]  # the project (this file is hooks/microsite/outputs/notices.py)
LICENSE = ROOT / "LICENSE"
NODE_MODULES = ROOT / "node_modules"
OWN_ASSETS = ROOT / "docs" / "assets"  # hand-written, copied into the site as assets/<name>
THEME_SCRIPTS = ROOT / "overrides" / "assets"  # the theme's inline scripts, moved to files (strict CSP)
THEME = "mkdocs-material"

ARCHIVE_NAME = "GIAY-PHEP.txt"  # routes.NOTICES in the site; in every makets' archive, this
# What tools/offline.py adds to the offline bundle: place in the bundle -> npm package.
OFFLINE = {"assets/javascripts/iframe-worker.js": "iframe-worker"}

# The page and the text file show the works in this order, under these headings.
SECTIONS = {
    "own": "Mã nguồn của trang",
    "theme": "Giao diện: mã chạy trên trang và kiểu trình bày",
    "icons": "Biểu tượng",
    "fonts": "Phông chữ nhúng trong maket (PDF)",
    "paper": "Phông chữ của giấy mời (trang và bản PDF)",
    "offline": "Chỉ có trong bản ngoại tuyến",
}

_LICENCE_FILE = re.compile(r"(licen[cs]e|copying|notice)(\.(md|txt|rst))?", re.I)
# A copyright line, not a licence's sentence about copyright or a template to fill in.
_COPYRIGHT = re.compile(r"(copyright\s*(\(c\)|©|\d)|(\(c\)|©)\s*\d)", re.I)
_PLACEHOLDER = re.compile(r"[\[\]{}_]|holder|owner", re.I)
_BASE_FONT = re.compile(rb"/BaseFont\s*/(?:[A-Z]{6}\+)?([^\s/<>\[\]()]+)")


@dataclass(frozen=True)
class Work:
    """One work and where it is: files of the site (a folder ends with '/'), or fonts by name."""

    name: str
    version: str
    licence: str
    copyright: tuple[str, ...]
    section: str  # a key of SECTIONS
    origin: str  # where these facts were read
    files: tuple[str, ...] = ()  # in the site; for a font, its PostScript name
    inside: tuple[str, ...] = ()  # the files of another work that carry this one
    url: str = ""
    text: str = ""  # the licence as the work ships it


# ---------------------------------------------------------------------------------------------
# The notices of a build
# ---------------------------------------------------------------------------------------------


def check_installed() -> None:
    """Before the build touches site/: node_modules holds what package-lock.json pins. Raises ValueError."""
    try:
        pinned = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))["packages"]
        installed = json.loads((NODE_MODULES / ".package-lock.json").read_text(encoding="utf-8"))["packages"]
    except (OSError, ValueError, KeyError):
        installed, pinned = {}, {"": None}
    stale = sorted(name for name, entry in pinned.items()
                   if name and not entry.get("dev") and installed.get(name, {}).get("version") != entry.get("version"))
    if stale or not installed:
        raise ValueError("trang giấy phép và ghi công đọc các gói npm ghi trong package-lock.json, nhưng thư mục "
                         f"node_modules/ chưa có {', '.join(stale) or 'các gói này'}: chạy `make build` (lệnh này cài "
                         "chúng bằng npm ci)")


def works(pdfs: list[str], served: dict[str, str] | None = None) -> tuple[Work, ...]:
    """Every work, the fonts being those embedded in `pdfs` (makets of this build) and those the site
    serves (`served`: PostScript name -> its file in the site, the invitation's face)."""
    fonts = embedded_fonts(pdfs)
    served = served or {}
    key = Cache.key(code_version(packages=(THEME,)), "notices", fonts, sorted(served.items()), _read(LICENSE),
                    _read(NODE_MODULES / ".package-lock.json"), _listing(OWN_ASSETS), _listing(THEME_SCRIPTS))
    cache = Cache(cache_root())
    path = cache.path("notices", key, "json")
    data = json.loads(path.read_text(encoding="utf-8")) if cache.lookup(path) else None
    # A font upgraded in place keeps its name: the entry holds the files it read, and is made again
    # when one of them changed.
    if data is None or any(_stamp(p) != stamp for p, stamp in data["read"]):
        data = _make(fonts, served)
        cache.store(path, json.dumps(data, ensure_ascii=False).encode())
    found = tuple(Work(**{k: tuple(v) if isinstance(v, list) else v for k, v in w.items()}) for w in data["works"])
    return found


def _make(fonts: list[str], served: dict[str, str]) -> dict:
    font_list, read = font_works(fonts)
    paper_list, paper_read = font_works(list(served), "paper", served, (INVITATION_PDF,))
    font_list, read = font_list + paper_list, read + paper_read
    theme = theme_works()
    every = [f for w in theme for f in w.files]
    own = own_work(every)
    offline = [npm_work(package, "offline", files=(dest,)) for dest, package in OFFLINE.items()]
    return {"works": [asdict(w) for w in (own, *theme, *font_list, *offline)], "read": read}


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""


def _listing(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def _stamp(path: str) -> list[int]:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return []
    return [st.st_size, st.st_mtime_ns]


# ---------------------------------------------------------------------------------------------
# The text file
# ---------------------------------------------------------------------------------------------

_RULE = "─" * 72


def text(found: tuple[Work, ...]) -> str:
    """The notices as plain text: each work with its facts, then the licence texts, each once."""
    texts: list[str] = []
    out = ["GIẤY PHÉP VÀ GHI CÔNG", "",
           "Trang thông tin hội nghị này, bản ngoại tuyến và các tệp maket của nó mang theo các thành phần",
           "dưới đây. Mỗi thành phần theo giấy phép của nó; toàn văn các giấy phép (nguyên bản tiếng Anh)",
           "ở cuối tệp. Thông tin lấy từ chính các gói đã cài khi dựng trang.", ""]
    for section, title in SECTIONS.items():
        members = [w for w in found if w.section == section]
        if not members:
            continue
        out += ["", title.upper(), ""]
        for w in members:
            out += [_RULE, f"{w.name} {w.version}".strip(), f"  Giấy phép: {w.licence}"]
            out += [f"  Bản quyền: {line}" for line in w.copyright]
            label = "Phông" if section == "fonts" else "Tệp"
            out += [f"  {label}: {f}" for f in w.files]
            out += [f"  Nằm trong: {f}" for f in w.inside]
            if w.url:
                out.append(f"  Trang chủ: {w.url}")
            out.append(f"  Nguồn thông tin: {w.origin}")
            if w.text.strip():
                if w.text not in texts:
                    texts.append(w.text)
                out.append(f"  Toàn văn giấy phép: [{texts.index(w.text) + 1}]")
            out.append("")
    out += ["", "TOÀN VĂN GIẤY PHÉP", ""]
    for n, body in enumerate(texts, 1):
        out += [_RULE, f"[{n}]", "", body.strip("\n"), ""]
    return "\n".join(out).rstrip() + "\n"


def by_section(found: tuple[Work, ...]) -> list[tuple[str, list[Work]]]:
    """(heading, works) in the order of SECTIONS, for the page."""
    return [(title, members) for key, title in SECTIONS.items() if (members := [w for w in found if w.section == key])]


# ---------------------------------------------------------------------------------------------
# The project itself
# ---------------------------------------------------------------------------------------------


def own_work(theme_files: list[str]) -> Work:
    body = _read(LICENSE)
    if not body:
        raise ValueError(f"{LICENSE} is missing: the site states its licence from it")
    files = [f"assets/{name}" for name in _listing(OWN_ASSETS)] + [CARD, NOTICES]
    return Work("Trang thông tin hội nghị (meeting-microsite)", "", _licence_title(body), tuple(copyright_lines(body)),
                "own", "LICENSE", tuple(f for f in files if f not in theme_files), text=body)


# ---------------------------------------------------------------------------------------------
# Python and npm packages
# ---------------------------------------------------------------------------------------------


def python_licence(dist: metadata.Distribution) -> str:
    """A distribution's licence as its metadata states it: License-Expression, the License field
    when it is a name rather than a whole text, else the licence classifiers."""
    meta = dist.metadata
    if meta.get("License-Expression"):
        return meta["License-Expression"]
    field = (meta.get("License") or "").strip()
    if field and "\n" not in field and len(field) <= 80 and field.upper() != "UNKNOWN":
        return field
    classifiers = [c.split(" :: ")[-1] for c in meta.get_all("Classifier") or [] if c.startswith("License :: ")]
    return " / ".join(classifiers) or "không ghi"


def python_work(name: str, section: str, files: tuple[str, ...]) -> Work:
    dist = metadata.distribution(name)
    # Where License-File says (PEP 639 puts them in licenses/): the theme's RECORD lists 14,000
    # icons, and reading it costs a third of a second.
    texts = {}
    for listed in dist.metadata.get_all("License-File") or []:
        for where in (f"licenses/{listed}", listed):
            if where not in texts and (body := dist.read_text(where)) is not None:
                texts[where] = body
                break
    body = "\n\n".join(texts.values())
    urls = dict(u.split(", ", 1) for u in dist.metadata.get_all("Project-URL") or [] if ", " in u)
    where = ", ".join(texts)
    return Work(name, dist.version, python_licence(dist), tuple(copyright_lines(body)), section,
                f"PyPI: {name} {dist.version}, siêu dữ liệu và {where or 'không có tệp giấy phép'}", files,
                url=urls.get("Source") or dist.metadata.get("Home-page") or "", text=body)


def npm_work(name: str, section: str, files: tuple[str, ...] = (), inside: tuple[str, ...] = ()) -> Work:
    folder = NODE_MODULES / name
    meta = _package_json(name)
    licence_file = _licence_file(folder)
    body = licence_file.read_text(encoding="utf-8") if licence_file else ""
    lines = copyright_lines(body) or [_author(meta)]
    where = f"node_modules/{name}/package.json" + (f", {licence_file.name}" if licence_file else "")
    return Work(name, meta.get("version", ""), str(meta.get("license") or "không ghi"), tuple(lines), section,
                f"npm: {where}", files, inside, _homepage(meta), body)


def _licence_file(folder: Path) -> Path | None:
    return next((folder / n for n in sorted(os.listdir(folder)) if _LICENCE_FILE.fullmatch(n)), None)


def _package_json(name: str) -> dict:
    try:
        return json.loads((NODE_MODULES / name / "package.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValueError(f"node_modules/{name}/package.json is missing: the licence notices read it; run "
                         "`make build` (it installs the npm packages pinned in package-lock.json)") from None


def _author(meta: dict) -> str:
    author = meta.get("author")
    if isinstance(author, dict):
        author = " ".join(filter(None, (author.get("name"), f"<{author['email']}>" if author.get("email") else None)))
    if author:
        return f"{author} (tác giả, theo package.json; gói không ghi dòng bản quyền)"
    return f"gói không ghi dòng bản quyền; mã nguồn: {_homepage(meta) or meta.get('name')}"


def _homepage(meta: dict) -> str:
    url = meta.get("homepage") or meta.get("repository") or ""
    if isinstance(url, dict):
        url = url.get("url", "")
    url = re.sub(r"^git\+|\.git$", "", url)
    if re.fullmatch(r"[\w.-]+/[\w.-]+", url):  # npm's shorthand for a GitHub repository
        url = f"https://github.com/{url}"
    return url


def copyright_lines(body: str) -> list[str]:
    lines = []
    for raw in body.splitlines():
        line = raw.strip().lstrip("#*/ ").strip()
        if _COPYRIGHT.match(line) and not _PLACEHOLDER.search(line) and line not in lines:
            lines.append(line)
    return lines


def _licence_title(body: str) -> str:
    """The licence's name, as the first line of its file that names one ('MIT License')."""
    for line in body.splitlines():
        line = line.strip().strip("#").strip()
        if re.search(r"licen[cs]e|universal", line, re.I):
            return line
    return "không ghi"


# ---------------------------------------------------------------------------------------------
# The theme, what it was built from, and its icons
# ---------------------------------------------------------------------------------------------


def theme_works() -> list[Work]:
    dist = metadata.distribution(THEME)
    templates = Path(dist.locate_file("material/templates"))
    assets = templates / "assets"
    packages = _installed_packages()
    mine: list[str] = []  # site paths of the theme's own files
    copied: dict[str, list[str]] = {}  # npm package -> site paths of its files, copied as they are
    inside: dict[str, set[str]] = {}  # npm package -> site paths of the theme's files built from it
    for path in sorted(p for p in assets.rglob("*") if p.is_file()):
        dest = path.relative_to(templates).as_posix()
        package = _copied_from(path, path.relative_to(assets).parts, packages)
        if package:
            copied.setdefault(package, []).append(dest)
            continue
        mine.append(dest)
        if path.suffix == ".map":
            for name in _bundled(path):
                inside.setdefault(name, set()).update((dest[:-4], dest))
    mine += [f"assets/{name}" for name in _listing(THEME_SCRIPTS)]
    # A package built into a file brings the packages it depends on (clipboard's dist/ holds them).
    todo = sorted(inside)
    while todo:
        name = todo.pop()
        for dep in _package_json(name).get("dependencies", {}):
            if not inside[name] <= inside.setdefault(dep, set()):
                inside[dep] |= inside[name]
                todo.append(dep)
    every = mine + [f for fs in copied.values() for f in fs]
    found = [python_work(THEME, "theme", tuple(mine))]
    found += [npm_work(name, "theme", files=tuple(_folders(files, every))) for name, files in sorted(copied.items())]
    found += [npm_work(name, "theme", inside=tuple(sorted(files))) for name, files in sorted(inside.items())]
    for folder in sorted(p for p in (templates / ".icons").iterdir() if p.is_dir()):
        licence_file = _licence_file(folder)
        if licence_file is None:
            continue
        body = licence_file.read_text(encoding="utf-8")
        found.append(Work(f"Bộ biểu tượng “{folder.name}”", f"(kèm {THEME} {dist.version})", _licence_title(body),
                          tuple(copyright_lines(body)), "icons",
                          f"{THEME}: material/templates/.icons/{folder.name}/{licence_file.name}",
                          inside=("bộ biểu tượng của giao diện: các trang và assets/stylesheets/ dùng một số biểu tượng "
                                  "trong các bộ này",), text=body))
    return found


def _installed_packages() -> list[str]:
    names = []
    for entry in sorted(NODE_MODULES.iterdir()) if NODE_MODULES.is_dir() else []:
        if entry.name.startswith("@"):
            names += [f"{entry.name}/{p.name}" for p in sorted(entry.iterdir()) if (p / "package.json").is_file()]
        elif (entry / "package.json").is_file():
            names.append(entry.name)
    return names


def _copied_from(path: Path, parts: tuple[str, ...], packages: list[str]) -> str | None:
    """The npm package holding this very file (same bytes) at the end of the same path, if any."""
    data = None
    for package in packages:
        for start in range(len(parts)):
            candidate = NODE_MODULES / package / Path(*parts[start:])
            if candidate.is_file() and candidate.stat().st_size == path.stat().st_size:
                data = data if data is not None else path.read_bytes()
                if candidate.read_bytes() == data:
                    return package
    return None


def _bundled(source_map: Path) -> set[str]:
    """The npm packages a built file was made from, as its source map names them."""
    sources = json.loads(source_map.read_text(encoding="utf-8")).get("sources", [])
    return {m.group(1) for s in sources if (m := re.search(r"node_modules/((?:@[^/]+/)?[^/]+)/", s))}


def _folders(files: list[str], every: list[str]) -> list[str]:
    """`files`, with each folder all of whose files are among them named once, as 'folder/'."""
    mine, out = set(files), []
    for f in files:
        parts = f.split("/")
        shown = next((folder for i in range(1, len(parts)) for folder in ["/".join(parts[:i]) + "/"]
                      if all(g in mine for g in every if g.startswith(folder))), f)
        if shown not in out:
            out.append(shown)
    return out


# ---------------------------------------------------------------------------------------------
# Fonts embedded in the makets
# ---------------------------------------------------------------------------------------------


def embedded_fonts(pdfs: list[str]) -> list[str]:
    """PostScript names of the fonts embedded in these PDFs (cairo writes the font dictionaries
    uncompressed), without the subset tag ('ABCDEF+DejaVuSans-Bold' -> 'DejaVuSans-Bold')."""
    names: set[str] = set()
    for pdf in pdfs:
        with open(pdf, "rb") as f:
            names.update(re.sub(r"#([0-9A-Fa-f]{2})", lambda m: chr(int(m.group(1), 16)), n.decode("latin-1"))
                         for n in _BASE_FONT.findall(f.read()))
    return sorted(names)


def font_works(names: list[str], section: str = "fonts", served: dict[str, str] | None = None,
               inside: tuple[str, ...] = ("maket/*.pdf",)) -> tuple[list[Work], list[tuple[str, list[int]]]]:
    """A work per font (embedded in the makets, or `served` from the site as a file), and (file,
    stamp) of every file read for them."""
    found = _find_fonts(names)
    debian = _debian_packages([path for path, _ in found.values()])
    out, read = [], []
    for name in names:
        if name not in found:
            log.warning("The makets embed the font %s, but no font file of that name was found in %s: the licence "
                        "notices cannot name its licence", name, ", ".join(_font_dirs()))
            continue
        path, table = found[name]
        read.append((path, _stamp(path)))
        copyright = [line.strip() for line in table.get(0, "").splitlines() if line.strip()]
        licence = table.get(14) or table.get(13, "").split(".")[0] or "không ghi"
        origin = f"bảng tên (name) của tệp phông {path}"
        package = debian.get(path)
        if package:
            pkg, version, copyright_file = package
            read.append((copyright_file, _stamp(copyright_file)))
            upstream, lines, short = _dep5(_read(Path(copyright_file)))
            copyright += [line for line in lines if line.rstrip(".") not in (c.rstrip(".") for c in copyright)]
            licence = f"{short} ({upstream}, theo Debian)" if short else licence
            origin = f"Debian: {pkg} {version}, {copyright_file}; {origin}"
        body = "\n\n".join(filter(None, (table.get(13, ""), table.get(14, ""))))
        version = re.sub(r"^Version\s+", "", table.get(5, "")).split(";")[0].strip()
        files = (served[name],) if served else (name,)
        out.append(Work(table.get(4) or name, version, licence, tuple(copyright), section, origin, files, inside,
                        text=body))
    return out, read


def _font_dirs() -> list[str]:
    home = Path.home()
    dirs = [os.environ.get(FONT_VARIABLE, ""), "/usr/share/fonts", *FONT_DIRS,
            str(home / ".local" / "share" / "fonts"), str(home / ".fonts")]
    return [d for i, d in enumerate(dirs) if d and d not in dirs[:i] and os.path.isdir(d)]


def _find_fonts(names: list[str]) -> dict[str, tuple[str, dict[int, str]]]:
    """PostScript name -> (font file, its name table), for each of `names` found."""
    wanted, found = set(names), {}
    for folder in _font_dirs():
        for dirpath, _dirs, files in os.walk(folder):
            for file in sorted(files):
                if not file.lower().endswith((".ttf", ".otf", ".ttc")):
                    continue
                path = os.path.join(dirpath, file)
                for table in _name_tables(path):
                    name = table.get(6)
                    if name in wanted and name not in found:
                        found[name] = (path, table)
                if len(found) == len(wanted):
                    return found
    return found


def _name_tables(path: str) -> list[dict[int, str]]:
    """The 'name' table of each face in a TrueType/OpenType file (or collection): name ID -> text,
    in English (Windows platform first, then Macintosh)."""
    try:
        with open(path, "rb") as f:
            head = f.read(12)
            offsets = [0]
            if head[:4] == b"ttcf":
                count = struct.unpack(">I", head[8:12])[0]
                offsets = list(struct.unpack(f">{count}I", f.read(4 * count)))
            tables = []
            for offset in offsets:
                f.seek(offset + 4)
                count = struct.unpack(">H", f.read(2))[0]
                f.seek(offset + 12)
                directory = f.read(16 * count)
                for i in range(count):
                    tag, _, start, length = struct.unpack(">4sIII", directory[16 * i:16 * i + 16])
                    if tag == b"name":
                        f.seek(start)
                        tables.append(_parse_names(f.read(length)))
            return tables
    except (OSError, struct.error):
        return []


def _parse_names(data: bytes) -> dict[int, str]:
    count, strings = struct.unpack(">HH", data[2:6])
    names: dict[int, str] = {}
    for i in range(count):
        platform, encoding, language, name_id, length, offset = struct.unpack(">6H", data[6 + 12 * i:18 + 12 * i])
        raw = data[strings + offset:strings + offset + length]
        if platform == 3 and encoding in (0, 1) and language == 0x409:
            names[name_id] = raw.decode("utf-16-be", "replace")
        elif platform == 1 and encoding == 0 and language == 0:
            names.setdefault(name_id, raw.decode("mac_roman", "replace"))
    return names


def _debian_packages(paths: list[str]) -> dict[str, tuple[str, str, str]]:
    """font file -> (Debian package, its version, its copyright file), where dpkg installed it."""
    if not paths or not shutil.which("dpkg-query"):
        return {}
    owners = {}
    result = subprocess.run(["dpkg-query", "-S", *paths], capture_output=True, text=True, timeout=60)
    for line in result.stdout.splitlines():
        package, _, path = line.partition(": ")
        if path in paths and "," not in package:
            owners[path] = package.split(":")[0]
    versions = {}
    if owners:
        listed = subprocess.run(["dpkg-query", "-W", "-f", "${Package}\t${Version}\n", *sorted(set(owners.values()))],
                                capture_output=True, text=True, timeout=60)
        versions = dict(line.split("\t", 1) for line in listed.stdout.splitlines() if "\t" in line)
    return {path: (pkg, versions.get(pkg, ""), f"/usr/share/doc/{pkg}/copyright") for path, pkg in owners.items()
            if os.path.isfile(f"/usr/share/doc/{pkg}/copyright")}


def _dep5(body: str) -> tuple[str, list[str], str]:
    """From a machine-readable Debian copyright file: the upstream name, and the copyright lines
    and licence name of the upstream files (the 'Files: *' paragraph)."""
    paragraphs = []
    for block in re.split(r"\n\s*\n", body):
        fields: dict[str, str] = {}
        last = None
        for line in block.splitlines():
            if line[:1] in (" ", "\t") and last:
                fields[last] += "\n" + line.strip()
            elif ":" in line:
                last, _, value = line.partition(":")
                fields[last] = value.strip()
        paragraphs.append(fields)
    if not paragraphs or "Format" not in paragraphs[0]:
        return "", [], ""
    upstream = paragraphs[0].get("Upstream-Name", "")
    files = next((p for p in paragraphs if p.get("Files", "").split() == ["*"]), {})
    lines = [line for line in files.get("Copyright", "").splitlines() if line and line != "."]
    return upstream, lines, files.get("License", "").split("\n")[0]
