/* Filter box of the connection-point index pages (diem-cau/): as one types, only the points whose
   name (or whose group's name) contains every typed word stay visible, accents and case ignored
   ("son tay" finds "Xã Sơn Tây"). Without JavaScript the box stays hidden and the lists are plain
   lists. An external file, no inline script: the site runs under a strict Content-Security-Policy. */
(function () {
  "use strict";

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase();
  }

  function setup() {
    var box = document.querySelector(".ms-filter");
    if (!box || box.getAttribute("data-ready")) return;
    box.setAttribute("data-ready", "1");
    var input = box.querySelector("input");
    var status = box.querySelector(".ms-filter__status");
    var groups = Array.prototype.slice.call(document.querySelectorAll(".ms-pointgroup"));
    var items = [];
    groups.forEach(function (group) {
      var heading = group.querySelector(".ms-group");
      var prefix = heading ? fold(heading.textContent) + " " : "";
      Array.prototype.forEach.call(group.querySelectorAll(".ms-points > li"), function (li) {
        var link = li.querySelector("a");
        items.push({ li: li, text: prefix + fold(link ? link.textContent : li.textContent) });
      });
    });
    box.hidden = false;

    input.addEventListener("input", function () {
      var words = fold(input.value).split(/\s+/).filter(Boolean);
      var shown = 0;
      items.forEach(function (item) {
        var match = words.every(function (w) { return item.text.indexOf(w) !== -1; });
        item.li.hidden = !match;
        if (match) shown += 1;
      });
      groups.forEach(function (group) {
        group.hidden = !group.querySelector(".ms-points > li:not([hidden])");
      });
      status.textContent = words.length ? (shown ? shown + " kết quả" : "Không tìm thấy điểm cầu nào.") : "";
    });
  }

  // Material's instant navigation, when enabled, swaps pages without a reload: hook into it.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setup);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
