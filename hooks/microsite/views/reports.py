"""Prefilled reports: the e-mails the invitation asks connection points to send, ready to send.

A static site has no server to receive a form, so the form writes the e-mail instead: recipient,
subject and body go into a `mailto:` link that opens the phone's mail app, and the same text can
be copied when no mail app is set up. The body is built here for the page as it is served (blank
values, readable without JavaScript); `docs/assets/reports.js` rebuilds it from the same parts as
the fields are filled, so both must agree: `Report.parts` is what the script reads.

Which points get which form comes from the data: a deadline with a recipient (`email` or
`send_to`) gets a form on the pages of the points whose people must act, i.e. the tier its acting
agencies are bound to (`agencies[].tier`), or else the tiers it names. A deadline named by a tier's
`registration` is a registration (the list of points registered); any other is the participants
report (delegates, and the registered points of the tiers this tier registers). Those are the
default forms; a deadline's `form` sets the fields instead: a count, a list of names and
positions, the sender's contact, free text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import quote

from .. import text
from ..source.model import Agency, Deadline, MeetingFile, Point, ReportField, Tier

BLANK = "…"  # stands for a value not filled in yet
CRLF = "\r\n"  # line breaks in a mailto body (RFC 6068)
# encodeURIComponent leaves exactly these unescaped (besides letters and digits).
_URI_COMPONENT_SAFE = "-_.!~*'()"

# What the script's String.prototype.trim() and line splitting treat as white space and line breaks.
_JS_SPACE = "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" \
            "\u2028\u2029\u202f\u205f\u3000\ufeff"
_JS_LINES = re.compile(r"\r\n|\r|\n")

FieldKind = Literal["number", "text", "tel", "lines", "note"]  # note: free text, kept line by line


@dataclass(frozen=True)
class Field:
    name: str  # form field name; with the report's anchor, the input's id
    label: str
    kind: FieldKind
    hint: str = ""
    autocomplete: str = "off"


@dataclass(frozen=True)
class Report:
    anchor: str
    deadline: Deadline
    kind: Literal["participants", "registration"]
    to: tuple[str, ...]  # e-mail addresses
    recipients: tuple[Agency, ...]  # every recipient the YAML names
    without_email: tuple[Agency, ...]  # named recipients the YAML gives no address for
    subject: str
    head: tuple[str, ...]
    fields: tuple[Field, ...]

    @property
    def parts(self) -> list[list[str]]:
        """The body as the script rebuilds it: ["t", line] text, ["f", name, label] value,
        ["l", name, label] one "- item" line per line of a list field, ["x", name, label] free
        text under its label, line by line."""
        out = [["t", line] for line in self.head] + [["t", ""]]
        out += [[_PART.get(f.kind, "f"), f.name, f.label] for f in self.fields]
        return out

    def body(self, values: dict[str, str] | None = None, newline: str = "\n") -> str:
        values = values or {}
        lines: list[str] = []
        for part in self.parts:
            if part[0] == "t":
                lines.append(part[1])
                continue
            value = values.get(part[1], "")
            if part[0] in "lx":
                items = [item.strip(_JS_SPACE) for item in _JS_LINES.split(value) if item.strip(_JS_SPACE)]
                lines.append(f"{part[2]}:")
                lines += [f"- {item}" if part[0] == "l" else item for item in items] or [BLANK]
            else:
                lines.append(f"{part[2]}: {value.strip(_JS_SPACE) or BLANK}")
        return newline.join(lines)

    @property
    def address(self) -> str:
        return "mailto:" + ",".join(quote(a, safe="@") for a in self.to)

    def mailto(self, values: dict[str, str] | None = None) -> str:
        return (f"{self.address}?subject={uri_component(self.subject)}"
                f"&body={uri_component(self.body(values, CRLF))}")

    @property
    def script_data(self) -> dict:
        return {"address": self.address, "subject": self.subject, "parts": self.parts, "blank": BLANK}


_PART = {"lines": "l", "note": "x"}


def uri_component(value: str) -> str:
    """Percent-encode as JavaScript's encodeURIComponent does (UTF-8, same unreserved set)."""
    return quote(value, safe=_URI_COMPONENT_SAFE)


def reports_for(m: MeetingFile, tier: Tier, point: Point) -> list[Report]:
    """The reports this point's people must send, in deadline order."""
    out = []
    for d in sorted(m.deadlines, key=lambda d: d.at):
        if not (d.email or d.send_to):
            continue
        bound = {m.agency_by_id[a].tier for a in d.agencies} - {None}
        if tier.id not in (bound or d.tiers):
            continue
        out.append(_report(m, d, tier, point))
    return out


def _report(m: MeetingFile, d: Deadline, tier: Tier, point: Point) -> Report:
    recipients = tuple(m.agency_by_id[a] for a in d.send_to)
    if not recipients and d.email:
        recipients = tuple(a for a in m.agencies if a.email == d.email)
    to = tuple(dict.fromkeys([*([d.email] if d.email else []), *(a.email for a in recipients if a.email)]))
    without = tuple(a for a in recipients if not a.email)
    registers = [t for t in m.tiers if t.registration and t.registration.deadline == d.id]
    contact = (Field("lien-he", "Người liên hệ", "text", autocomplete="name"),
               Field("dien-thoai", "Số điện thoại", "tel", autocomplete="tel"))
    kind = "registration" if registers else "participants"
    if d.form:  # the fields the meeting file sets
        fields, contact = form_fields(d.form), ()
    elif registers:
        fields = tuple(Field(f"diem-cau-{t.id}", f"Danh sách {text.lower_first(t.name)} đăng ký tổ chức", "lines",
                             hint="Mỗi dòng một điểm cầu: tên đơn vị, địa điểm.") for t in registers)
    else:
        fields = (Field("dai-bieu", "Số lượng đại biểu", "number"),)
        for sub in _registered_by(m, tier):
            name = text.lower_first(sub.name)
            fields += (Field(f"so-diem-cau-{sub.id}", f"Số {name}", "number"),
                       Field(f"diem-cau-{sub.id}", f"Các {name} đã đăng ký", "lines", hint="Mỗi dòng một điểm cầu."))
    mt = m.meeting
    head = tuple(line for line in (
        f"Kính gửi: {', '.join(a.name for a in recipients)}." if recipients else "",
        f"{point.name}: {d.title}.",
        f"Về {mt.title}, {text.vn_datetime(mt.starts)}.",
    ) if line)
    subject = " ".join(f"{point.name}: {d.title}".split())  # a mail header: one line, whatever the names hold
    return Report(anchor=f"bao-cao-{d.id}", deadline=d, kind=kind, to=to, recipients=recipients,
                  without_email=without, subject=subject, head=head, fields=fields + contact)


# Each kind of field the meeting file can ask for: its form field, its label and hint by default.
_KINDS: dict[str, tuple[FieldKind, str, str]] = {
    "count": ("number", "Số lượng đại biểu", ""),
    "names": ("lines", "Danh sách đại biểu", "Mỗi dòng một người: họ tên, chức vụ."),
    "text": ("note", "Nội dung", ""),
    "contact": ("text", "Người liên hệ", ""),
}


def form_fields(form: list[ReportField]) -> tuple[Field, ...]:
    """The form a deadline's `form` asks for; a contact is the sender's name and phone number."""
    out: list[Field] = []
    used: set[str] = set()

    def name(label: str) -> str:
        base = "-".join(text.slugify(label).split("-")[:5]) or "o"  # a few words: part of the inputs' ids
        found, n = base, 2
        while found in used:
            found, n = f"{base}-{n}", n + 1
        used.add(found)
        return found

    for f in form:
        kind, label, hint = _KINDS[f.kind]
        label = f.label or label
        if f.kind == "contact":
            out += [Field(name("lien-he"), label, "text", f.hint or "", autocomplete="name"),
                    Field(name("dien-thoai"), "Số điện thoại", "tel", autocomplete="tel")]
        else:
            out.append(Field(name(label), label, kind, f.hint or hint))
    return tuple(out)


def _registered_by(m: MeetingFile, tier: Tier) -> list[Tier]:
    """Tiers whose points this tier registers: their registration deadline is acted on by this tier."""
    out = []
    for t in m.tiers:
        deadline = m.deadline_by_id.get(t.registration.deadline) if t.registration and t.registration.deadline else None
        if deadline and tier.id in {m.agency_by_id[a].tier for a in deadline.agencies}:
            out.append(t)
    return out



