"""The meeting's documents: listed by kind, newest first, with type and size; files copied into the site;
duties, agenda items and point pages link to them; a missing or escaping file stops the build."""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
import shutil
from pathlib import Path

import pytest
from conftest import CASES, DOCUMENTS_CASE, Built, build_site, visible_text, write_meeting
from html_support import parse, section, text_of

from microsite import MeetingError, load_meeting
from microsite.views.documents import human_size

FIXTURE_FILES = CASES / "valid" / "tai-lieu"


def entries(page: str) -> dict[str, str]:
    """Each document entry's HTML on the documents page, by document id, in page order."""
    return dict(re.findall(r'<li class="ms-doc" id="van-ban-([a-z0-9-]+)">(.*?)</li>', page, re.S))


def resolve(page_url: str, href: str) -> str:
    """A relative href on the page at site-relative `page_url` ('dc/tinh/') as a site-relative path."""
    path, _, anchor = href.partition("#")
    target = posixpath.normpath(posixpath.join(page_url, path)) if path else page_url.rstrip("/")
    return target.lstrip("./") + ("#" + anchor if anchor else "")


def test_documents_page_groups_by_kind_newest_first(documents_site: Built) -> None:
    page = documents_site.html("tai-lieu/")
    kinds = re.findall(r'<h2 id="(loai-[a-z0-9-]+)"', page)
    assert kinds == ["loai-nghi-quyet", "loai-thong-bao-ket-luan", "loai-thong-bao", "loai-ke-hoach",
                     "loai-bao-cao", "loai-tai-lieu"]
    order = list(entries(page))
    assert order.index("nq-05") < order.index("nq-04")  # 10/1/2022 before 20/6/2021
    assert order.index("bc-sau") < order.index("bc-tong-hop")  # 'báo cáo' and 'Báo cáo' are one kind
    text = visible_text(page)
    for fact in ("Nghị quyết số 05-NQ/TU, ngày 10/1/2022 của Ban Chấp hành Đảng bộ tỉnh",
                 "Nghị quyết về phát triển kinh tế nông thôn", "PDF · 79 B", "DOCX · 3 KB",
                 "Báo cáo số 12-BC/BTGTU, ngày 10/3/2022", "Tài liệu: Sổ tay đại biểu"):
        assert fact in text
    nav = documents_site.html("").split('class="md-nav md-nav--primary"', 1)[1]
    assert re.search(r'href="tai-lieu/"[^>]*>\s*<span class="md-ellipsis">\s*Tài liệu', nav)


def test_attached_files_are_copied_and_their_size_shown_before_the_tap(documents_site: Built) -> None:
    page = documents_site.html("tai-lieu/")
    sources = {"nq-05": "nghi-quyet-05.pdf", "bc-tong-hop": "2022/bao-cao-tong-hop.docx",
               "so-tay": "so-tay-dai-bieu.pdf", "tb-kl": "ket-luan-hoi-nghi.pdf"}
    found = entries(page)
    for doc_id, source in sources.items():
        href = re.search(r'<a class="md-button" href="([^"]+)">Mở tài liệu</a> <span class="ms-doc__size">([^<]+)',
                         found[doc_id])
        assert href, doc_id
        copied = documents_site.site / resolve("tai-lieu/", href.group(1))
        original = FIXTURE_FILES / source
        assert copied.read_bytes() == original.read_bytes()
        assert re.fullmatch(r"[a-z0-9-]+\.[a-z]+", copied.name)  # ASCII names in the site
        kind = {"pdf": "PDF", "docx": "DOCX"}[copied.suffix[1:]]
        assert href.group(2) == f"{kind} · {human_size(original.stat().st_size)}"


def test_a_document_without_file_is_listed_as_not_attached_never_as_a_link(documents_site: Built,
                                                                           real_site: Built) -> None:
    entry = entries(documents_site.html("tai-lieu/"))["tb-20"]
    assert "Chưa đính kèm" in entry and "Mở tài liệu" not in entry and "Mở liên kết" not in entry
    seed = entries(real_site.html("tai-lieu/"))["tb-168"]
    assert "Thông báo số 168-TB/TU, ngày 24/9/2021 của Tỉnh ủy" in visible_text(seed)
    assert "Chưa đính kèm" in seed and "md-button" not in seed
    assert "Ban cán sự đảng Ủy ban nhân dân tỉnh" in visible_text(seed)  # whom it is for
    assert not (real_site.site / "tai-lieu" / "tb-168.pdf").exists()


def test_a_document_elsewhere_is_a_marked_outside_link(documents_site: Built) -> None:
    entry = entries(documents_site.html("tai-lieu/"))["nq-04"]
    assert 'href="https://vanban.example.vn/nq-04?xem=1&amp;tai=0" rel="noopener noreferrer"' in entry
    assert "Trang ngoài · vanban.example.vn" in visible_text(entry)


def test_duties_agenda_and_point_pages_link_to_the_entries(documents_site: Built, real_site: Built) -> None:
    targets = set(entries(documents_site.html("tai-lieu/")))
    expected = {"nhiem-vu/": {"nq-05", "tb-20"}, "chuong-trinh/": {"nq-05"},
                "dc/huyen-b/": {"so-tay", "bc-tong-hop", "nq-05"}}
    for url, wanted in expected.items():
        links = {resolve(url, h) for h in re.findall(r'href="([^"]*tai-lieu/#van-ban-[^"]+)"', documents_site.html(url))}
        ids = {link.split("#van-ban-")[1] for link in links}
        assert wanted <= ids, (url, ids)
        assert ids <= targets and all(link.startswith("tai-lieu#") for link in links), links
    # Duty 2 names the notice: under each of its three agencies, as a link to the notice's entry.
    duties = parse(real_site.html("nhiem-vu/"))
    for agency in ("ban-can-su-ubnd", "ban-to-chuc", "van-phong-tinh-uy"):
        links = {(a.get("href"), text_of([a], tails=False)) for a in section(duties, agency).find_all("a")}
        assert ("../tai-lieu/#van-ban-tb-168", "Thông báo số 168-TB/TU, ngày 24/9/2021 của Tỉnh ủy") in links, agency


def test_each_point_lists_the_documents_meant_for_it(documents_site: Built) -> None:
    def listed(url: str) -> set[str]:
        """The documents the point page's own section "Tài liệu" links to."""
        links = [a.get("href") or "" for a in section(documents_site.html(url), "tai-lieu").find_all("a")]
        return {href.split("#van-ban-", 1)[1] for href in links if "#van-ban-" in href}

    for_everyone = {"nq-04", "nq-05", "tb-20", "tb-kl", "bc-sau"}
    assert listed("dc/huyen-b/") == for_everyone | {"bc-tong-hop", "so-tay"}  # its tier; itself
    assert listed("dc/huyen-a/") == for_everyone | {"bc-tong-hop"}
    assert listed("dc/tinh/") == for_everyone | {"ke-hoach-vp"}  # Văn phòng prepares this point


def test_document_numbers_and_titles_are_in_the_search_index(documents_site: Built, real_site: Built) -> None:
    def index(built: Built) -> str:
        docs = json.loads((built.site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
        return " ".join(f"{d['title']} {d['text']}" for d in docs if d["location"].startswith("tai-lieu/"))

    text = index(documents_site)
    for fact in ("05-NQ/TU", "Nghị quyết về phát triển kinh tế nông thôn", "25-TB/TU", "Sổ tay đại biểu"):
        assert fact in text
    assert "168-TB/TU" in index(real_site)


def test_sizes_are_written_the_vietnamese_way() -> None:
    assert [human_size(n) for n in (0, 1023, 1024, 350 * 1024, 999 * 1024, 1000 * 1024, int(1.2 * 2**20),
                                    int(9.99 * 2**20), 12 * 2**20, 3 * 2**30)] == [
        "0 B", "1023 B", "1 KB", "350 KB", "999 KB", "1,0 MB", "1,2 MB", "10 MB", "12 MB", "3,0 GB"]


def _meeting_with_file(folder: Path, name: str) -> Path:
    data = {"meeting": {"kind": "Hội nghị", "title": "Hội nghị thử",
                        "issuer": {"organization": "Tỉnh ủy Mẫu", "unit": "Ban Thường vụ"},
                        "sessions": [{"label": "Một buổi", "date": "2021-09-30", "start": "07:30"}]},
            "tiers": [{"id": "tinh", "name": "Điểm cầu tỉnh"}],
            "documents": [{"id": "tl", "kind": "Tài liệu", "file": name}]}
    return write_meeting(folder / "meeting.yaml", data)


def test_a_file_linked_from_outside_the_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "tai-lieu").mkdir()
    secret = tmp_path / "ngoai.pdf"
    secret.write_bytes(b"%PDF-1.4 outside")
    (tmp_path / "tai-lieu" / "lien-ket.pdf").symlink_to(secret)
    (tmp_path / "tai-lieu" / "thu-muc.pdf").mkdir()
    (tmp_path / "tai-lieu" / "ban-chinh.pdf").write_bytes(b"%PDF-1.4 inside")
    (tmp_path / "tai-lieu" / "ban-sao.pdf").symlink_to(tmp_path / "tai-lieu" / "ban-chinh.pdf")
    with pytest.raises(MeetingError) as info:
        load_meeting(_meeting_with_file(tmp_path, "lien-ket.pdf"), "data/meeting.yaml")
    assert "documents[0].file: 'lien-ket.pdf' dẫn ra ngoài thư mục data/tai-lieu/" in str(info.value)
    with pytest.raises(MeetingError, match=r"documents\[0\].file: data/tai-lieu/thu-muc.pdf không phải một tệp"):
        load_meeting(_meeting_with_file(tmp_path, "thu-muc.pdf"), "data/meeting.yaml")
    assert load_meeting(_meeting_with_file(tmp_path, "ban-sao.pdf")).documents[0].file == "ban-sao.pdf"


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_missing_file_stops_the_build_with_its_line_and_keeps_the_site(tmp_path: Path,
                                                                         documents_site: Built) -> None:
    site = tmp_path / "site"
    shutil.copytree(documents_site.site, site)
    before = _digest(site)
    source = DOCUMENTS_CASE.read_text(encoding="utf-8").replace("file: nghi-quyet-05.pdf", "file: nghi-quyet-06.pdf")
    line = source[:source.index("nghi-quyet-06.pdf")].count("\n") + 1
    broken = tmp_path / "meeting.yaml"
    broken.write_text(source, encoding="utf-8")
    built = build_site(broken, site)
    assert built.returncode != 0
    assert "Traceback" not in built.output
    assert re.search(rf"meeting\.yaml:{line}:\d+: documents\[1\]\.file: không có tệp \S*tai-lieu/nghi-quyet-06\.pdf",
                     built.output), built.output
    assert _digest(site) == before
