/* Before, during or after the meeting: show the part of the home page that leads now.
   The build chose by its own clock and hid the other part; a site built before the meeting is
   still read after it, so compare the phone's clock with the meeting's start and end. Both are
   written with their UTC offset (+07:00), so Date.parse gives instants and the phone's time zone
   does not matter. No inline script: the page's content security policy forbids them. */
(function () {
  "use strict";

  // Change notices ("Cập nhật lúc …", hooks/microsite/views/changes.py) are shown until their
  // data-ms-until, by default the meeting's end. The build left out those past by its clock; a page
  // built earlier and read later drops them by the phone's.
  function expireNotices(now) {
    var notices = document.querySelectorAll("[data-ms-until]");
    for (var i = 0; i < notices.length; i++) {
      var until = Date.parse(notices[i].getAttribute("data-ms-until"));
      if (!isNaN(until) && now >= until) notices[i].hidden = true;
    }
  }

  function apply() {
    expireNotices(Date.now());
    var clock = document.querySelector("[data-ms-starts][data-ms-ends]");
    if (!clock) return;
    var starts = Date.parse(clock.getAttribute("data-ms-starts"));
    var ends = Date.parse(clock.getAttribute("data-ms-ends"));
    if (isNaN(starts) || isNaN(ends)) return;
    var now = Date.now();
    var phase = now < starts ? "before" : now < ends ? "during" : "after";
    document.documentElement.setAttribute("data-ms-now", phase);
    var parts = document.querySelectorAll("[data-ms-phase]");
    for (var i = 0; i < parts.length; i++) {
      var part = parts[i];
      var shown = (" " + part.getAttribute("data-ms-phase") + " ").indexOf(" " + phase + " ") >= 0;
      part.hidden = !shown;
      // A hidden part's headings must not stay in the table of contents.
      var headings = part.querySelectorAll("h2[id], h3[id]");
      for (var j = 0; j < headings.length; j++) {
        var links = document.querySelectorAll('.md-nav--secondary a[href="#' + headings[j].id + '"]');
        for (var k = 0; k < links.length; k++) {
          var item = links[k].closest("li");
          if (item) item.hidden = !shown;
        }
      }
    }
  }

  // Material's instant navigation swaps pages without reloading scripts; it announces each page.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(apply);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", apply);
  } else {
    apply();
  }
  // A page left open across the meeting's start or end follows it.
  window.setInterval(apply, 60 * 1000);
})();
