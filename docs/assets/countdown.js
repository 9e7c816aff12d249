/* Deadlines and moments: mark what is past and what is next, and say how long is left, in Vietnamese.
 *
 * Every moment on the pages is an element with data-at="2021-09-29T11:00+07:00" (and data-end for a
 * session with a known end). The offset is in the attribute, so the phone's own time zone never
 * enters the sums: "now" is an instant (Date.now()), each moment is an instant, only their
 * difference is shown. The page reads correctly without this script; it only adds the labels.
 * External file, no inline handlers: a Content-Security-Policy without 'unsafe-inline' allows it.
 */
(function () {
  "use strict";

  var ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?(?:(Z)|([+-])(\d{2}):?(\d{2}))$/;
  var WEEKDAYS = ["Chủ nhật", "thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy"];
  var MINUTE = 60000;

  // Milliseconds since the epoch of an ISO time with an offset; NaN when the text is not one.
  function instant(text) {
    var m = ISO.exec(text || "");
    if (!m) return NaN;
    var utc = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] || 0));
    if (m[7]) return utc;
    var offset = (+m[9] * 60 + +m[10]) * MINUTE;
    return m[8] === "+" ? utc - offset : utc + offset;
  }

  function offsetMinutes(text) {
    var m = /^([+-])(\d{2}):?(\d{2})$/.exec(text || "");
    return m ? (m[1] === "-" ? -1 : 1) * (+m[2] * 60 + +m[3]) : null;
  }

  // "còn 2 ngày 3 giờ", "còn 3 giờ 15 phút", "còn 5 phút". Minutes round up: at 08h00m00.5s, a
  // 16h deadline has "8 giờ" left, not "7 giờ 59 phút"; the last seconds count as "1 phút".
  function left(ms) {
    var total = Math.ceil(ms / MINUTE);
    var days = Math.floor(total / 1440), hours = Math.floor((total % 1440) / 60), minutes = total % 60;
    if (days > 0) return "còn " + days + " ngày" + (hours ? " " + hours + " giờ" : "");
    if (hours > 0) return "còn " + hours + " giờ" + (minutes ? " " + minutes + " phút" : "");
    return "còn " + minutes + " phút";
  }

  function capitalise(text) {
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  // The wall clock at `offset` minutes east of UTC, written as the site writes times.
  function wallClock(now, offset) {
    var d = new Date(now + offset * MINUTE); // read with getUTC*: no zone of the phone involved
    var time = pad(d.getUTCHours()) + "h" + pad(d.getUTCMinutes());
    return time + ", " + WEEKDAYS[d.getUTCDay()] + ", ngày " + d.getUTCDate() + "/" + (d.getUTCMonth() + 1) +
      "/" + d.getUTCFullYear();
  }

  function statusOf(el) {
    var holder = el.querySelector(".ms-deadline__when") || el;
    var status = holder.querySelector(".ms-status");
    if (!status) {
      status = document.createElement("span");
      status.className = "ms-status";
      holder.appendChild(document.createTextNode(" "));
      holder.appendChild(status);
    }
    return status;
  }

  function update() {
    var now = Date.now();
    var items = document.querySelectorAll("[data-at]");
    var next = Infinity;
    var i, at;
    for (i = 0; i < items.length; i++) {
      at = instant(items[i].getAttribute("data-at"));
      if (at > now && at < next) next = at;
    }
    for (i = 0; i < items.length; i++) {
      var el = items[i];
      at = instant(el.getAttribute("data-at"));
      if (isNaN(at)) continue;
      var end = instant(el.getAttribute("data-end"));
      var state, label;
      if (at <= now && end > now) {
        state = "current";
        label = "Đang diễn ra";
      } else if (at <= now) {
        state = "past";
        label = "Đã qua";
      } else if (at === next) {
        state = "next";
        label = "Sắp tới · " + left(at - now);
      } else {
        state = "future";
        label = capitalise(left(at - now));
      }
      el.classList.remove("ms-past", "ms-next", "ms-future", "ms-current");
      el.classList.add("ms-" + state);
      var status = statusOf(el);
      status.textContent = label;
      status.setAttribute("data-state", state);
    }
    var clocks = document.querySelectorAll(".ms-clock[data-offset]");
    for (i = 0; i < clocks.length; i++) {
      var offset = offsetMinutes(clocks[i].getAttribute("data-offset"));
      if (offset === null) continue;
      clocks[i].textContent = "Bây giờ là " + wallClock(now, offset) + " (" +
        (clocks[i].getAttribute("data-label") || "giờ Việt Nam") + ").";
      clocks[i].hidden = false;
    }
  }

  // Once per page: Material's instant navigation swaps pages without reloading this script and
  // announces each page on document$; without it, the page is already parsed (script at the end).
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(update);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", update);
  } else {
    update();
  }
  window.setInterval(update, 30000);
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) update();
  });
})();
