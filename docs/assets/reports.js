/* Prefilled reports: turn each .ms-report block into a small form that writes the e-mail.
 *
 * The page as served already holds the template text and a mailto link with blanks (no script
 * needed to read or send them). Here the form is shown, and every keystroke rebuilds the text and
 * the link from data-report, exactly as hooks/microsite/reports.py builds the served version:
 * ["t", line] is a line of text, ["f", name, label] a "label: value" line, ["l", name, label] a
 * list, one "- item" line per line typed, ["x", name, label] free text under its label, line by line. Nothing is sent anywhere: the mail app does the sending.
 * External file, no inline handlers: a Content-Security-Policy without 'unsafe-inline' allows it.
 */
(function () {
  "use strict";

  function valueOf(form, name) {
    var field = form.elements.namedItem(name);
    return field && typeof field.value === "string" ? field.value : "";
  }

  function compose(data, form, newline) {
    var lines = [];
    data.parts.forEach(function (part) {
      if (part[0] === "t") {
        lines.push(part[1]);
        return;
      }
      var value = valueOf(form, part[1]);
      if (part[0] === "l" || part[0] === "x") {
        var items = value.split(/\r\n|\r|\n/).map(function (s) { return s.trim(); })
          .filter(function (s) { return s; });
        var mark = part[0] === "l" ? "- " : "";
        lines.push(part[2] + ":");
        if (!items.length) lines.push(data.blank);
        items.forEach(function (item) { lines.push(mark + item); });
      } else {
        lines.push(part[2] + ": " + (value.trim() || data.blank));
      }
    });
    return lines.join(newline);
  }

  function mailto(data, form) {
    return data.address + "?subject=" + encodeURIComponent(data.subject) +
      "&body=" + encodeURIComponent(compose(data, form, "\r\n"));
  }

  function copyText(area, status) {
    var text = area.value;
    function done() { status.textContent = "Đã sao chép nội dung thư."; }
    function fallback() {
      // Older browsers, or pages not served over HTTPS: select the text and use the old command.
      area.focus();
      area.select();
      area.setSelectionRange(0, text.length);
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      status.textContent = ok ? "Đã sao chép nội dung thư."
        : "Chưa sao chép được: nội dung đã được chọn sẵn, hãy nhấn giữ và chọn “Sao chép”.";
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, fallback);
    } else {
      fallback();
    }
  }

  function setUp(block) {
    if (block.getAttribute("data-ready")) return;
    var data;
    try { data = JSON.parse(block.getAttribute("data-report")); } catch (e) { return; }
    var form = block.querySelector(".ms-report__form");
    var area = block.querySelector(".ms-report__text");
    var send = block.querySelector(".ms-report__send");
    var copy = block.querySelector(".ms-report__copy");
    var status = block.querySelector(".ms-report__status");
    if (!form || !area || !send) return;
    block.setAttribute("data-ready", "1");

    function refresh() {
      area.value = compose(data, form, "\n");
      send.setAttribute("href", mailto(data, form));
    }
    form.hidden = false;
    area.readOnly = true; // the text follows the fields; edit the fields, not the text
    form.addEventListener("input", refresh);
    form.addEventListener("change", refresh);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      refresh();
      send.click();
    });
    if (copy && status) {
      copy.hidden = false;
      copy.addEventListener("click", function () {
        refresh();
        copyText(area, status);
      });
    }
    refresh();
  }

  function setUpAll() {
    var blocks = document.querySelectorAll(".ms-report[data-report]");
    for (var i = 0; i < blocks.length; i++) setUp(blocks[i]);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setUpAll);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpAll);
  } else {
    setUpAll();
  }
})();
