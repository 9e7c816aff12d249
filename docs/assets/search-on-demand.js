/* Search on demand (and composed letters, below). Material's search downloads the whole
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
})();
