/* Search on demand (and composed letters, and the order of results, below). Material's search downloads the whole
   search/search_index.json on every page load, before anyone searches: hundreds of kilobytes
   once there are thousands of connection points, on the phone of someone who only wants the time
   and the place. This holds that one request until the search is opened (the search icon, a tap
   in the box, Material's "/", "s", "f" keys) or the page was opened from a search result (?h=
   highlights the words, which needs the index); the theme then carries on as usual, showing
   "initializing" for the moment the index takes to arrive. */
(function () {
  var proto = XMLHttpRequest.prototype, open = proto.open, send = proto.send;
  var held = [], released = /[?&](h|q)=/.test(location.search);
  function release() {
    if (released) return;
    released = true;
    held.splice(0).forEach(function (call) { send.apply(call[0], call[1]); });
  }
  proto.open = function (method, url) {
    this.msSearchIndex = /\/search\/search_index\.json(\?|#|$)/.test(String(url));
    return open.apply(this, arguments);
  };
  proto.send = function () {
    if (this.msSearchIndex && !released) { held.push([this, arguments]); return; }
    return send.apply(this, arguments);
  };
  document.addEventListener("change", function (e) {
    if (e.target && e.target.id === "__search" && e.target.checked) release();
  }, true);
  document.addEventListener("focusin", function (e) {
    if (e.target && e.target.classList && e.target.classList.contains("md-search__input")) release();
  }, true);
  /* Some Vietnamese keyboards type decomposed letters ("a" + combining grave) where the pages have
     "à" as one character: compose them before the theme reads the query. */
  document.addEventListener("input", function (e) {
    var box = e.target;
    if (box && box.classList && box.classList.contains("md-search__input") && box.value.normalize) {
      var composed = box.value.normalize("NFC");
      if (composed !== box.value) box.value = composed;
    }
  }, true);
  document.addEventListener("keydown", function (e) {
    if (e.key === "/" || e.key === "s" || e.key === "f" || e.key === "S" || e.key === "F") release();
  }, true);

  /* Results in the order of what the person typed. Material's worker ranks by lunr's score, so
     "dang van hung" put four "Đảng ủy ..." points (one short title matching "dang") before the page
     naming Đặng Văn Hùng; and it lists the words a result lacks, struck through ("Không: ~~van
     hung~~"). Its answers pass through here on their way to the theme: results containing the
     whole query as typed (accents ignored, the last word possibly unfinished) come first, those
     with its exact accents before them; the words a result lacks are left out of it. The theme
     then shows and groups the results as usual. Wraps the Worker the theme creates (or the
     iframe-worker shim of the offline bundle, loaded just before this file). */
  var QUERY = 2, RESULT = 3, Base = window.Worker;
  if (!Base) return;
  function plain(text) {
    return (" " + text.replace(/<[^>]*>/g, " ").replace(/&[a-z]+;|&#[0-9]+;/g, " ").normalize("NFC")
      .toLowerCase().replace(/[^0-9a-z\u00c0-\u024f\u1e00-\u1eff]+/g, " ") + " ").replace(/ +/g, " ");
  }
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d");
  }
  function has(haystack, needle) {
    return needle.length > 1 && haystack.indexOf(needle) >= 0;
  }
  function rank(result, query) {
    var exact = plain(query.replace(/[*+~^:"-]/g, " ")).replace(/ $/, ""), folded = fold(exact), top = 0;
    result.items.forEach(function (group) {
      group.forEach(function (doc) { top = Math.max(top, doc.score); });
    });
    result.items.forEach(function (group) {
      group.forEach(function (doc) {
        var text = plain((doc.title || "") + " " + (doc.text || ""));
        doc.score += (has(fold(text), folded) ? 1 + (has(text, exact) ? 1 : 0) : 0) * (top + 1);
        Object.keys(doc.terms || {}).forEach(function (term) { if (!doc.terms[term]) delete doc.terms[term]; });
      });
      group.sort(function (a, b) { return b.score - a.score; });
    });
    result.items.sort(function (a, b) { return b[0].score - a[0].score; });
    return result;
  }
  window.Worker = function (url, options) {
    var worker = options === undefined ? new Base(url) : new Base(url, options), query = "";
    var post = worker.postMessage, add = worker.addEventListener, remove = worker.removeEventListener;
    var wrapped = [];
    worker.postMessage = function (message) {
      if (message && message.type === QUERY) query = String(message.data || "");
      return post.apply(worker, arguments);
    };
    worker.addEventListener = function (type, listener, opts) {
      if (type !== "message" || typeof listener !== "function") return add.call(worker, type, listener, opts);
      var inner = function (event) {
        var data = event.data;
        if (data && data.type === RESULT && data.data && data.data.items) {
          event = new MessageEvent("message", {data: {type: RESULT, data: rank(data.data, query)}});
        }
        return listener.call(this, event);
      };
      wrapped.push([listener, inner]);
      return add.call(worker, type, inner, opts);
    };
    worker.removeEventListener = function (type, listener, opts) {
      var pair = wrapped.filter(function (p) { return p[0] === listener; })[0];
      return remove.call(worker, type, pair ? pair[1] : listener, opts);
    };
    return worker;
  };
  window.Worker.prototype = Base.prototype;
})();
