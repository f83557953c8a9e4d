// The workshop as a presentation: one slide at a time, ←/→ (or Page Up/Down) to move,
// Esc to leave. Without this script the slides are sections with links between them.
(function () {
  "use strict";
  var root = document.getElementById("workshop");
  var deck = document.getElementById("deck");
  if (!root || !deck) return;
  var slides = Array.prototype.slice.call(deck.querySelectorAll(".slide"));
  var start = document.getElementById("workshop-start");
  var keys = document.getElementById("workshop-keys");
  var stateKey = "workshop-presenting-" + deck.getAttribute("data-round");
  var current = 0;

  function indexOf(id) {
    for (var i = 0; i < slides.length; i++) if (slides[i].id === id) return i;
    return -1;
  }

  function show(index, focus) {
    current = Math.max(0, Math.min(slides.length - 1, index));
    slides.forEach(function (slide, i) { slide.classList.toggle("current", i === current); });
    history.replaceState(null, "", "#" + slides[current].id);
    if (focus) slides[current].focus({ preventScroll: true });
    deck.scrollTop = 0;
  }

  function present(index) {
    root.classList.add("presenting");
    sessionStorage.setItem(stateKey, "1");
    show(index, true);
  }

  function leave() {
    root.classList.remove("presenting");
    sessionStorage.removeItem(stateKey);
    slides.forEach(function (slide) { slide.classList.remove("current"); });
    slides[current].scrollIntoView();
    slides[current].focus({ preventScroll: true });
  }

  function typing(target) {
    return target && (target.tagName === "TEXTAREA" || target.tagName === "INPUT" ||
      target.tagName === "SELECT" || target.isContentEditable);
  }

  start.hidden = false;
  keys.hidden = false;
  start.addEventListener("click", function () {
    var fromHash = indexOf(location.hash.slice(1));
    present(fromHash < 0 ? 0 : fromHash);
  });

  document.addEventListener("keydown", function (event) {
    if (!root.classList.contains("presenting")) return;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === "Escape") {
      if (typing(event.target)) { event.target.blur(); slides[current].focus(); return; }
      event.preventDefault();
      leave();
      return;
    }
    if (typing(event.target)) return;
    if (event.key === "ArrowRight" || event.key === "PageDown") {
      event.preventDefault();
      show(current + 1, true);
    } else if (event.key === "ArrowLeft" || event.key === "PageUp") {
      event.preventDefault();
      show(current - 1, true);
    } else if (event.key === "Home") {
      event.preventDefault();
      show(0, true);
    } else if (event.key === "End") {
      event.preventDefault();
      show(slides.length - 1, true);
    }
  });

  // The Previous/Next links move between slides in either mode.
  deck.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-slide-previous], a[data-slide-next]");
    if (!link || !root.classList.contains("presenting")) return;
    event.preventDefault();
    show(indexOf(link.getAttribute("href").slice(1)), true);
  });

  // After saving an agreement the page comes back on the same slide, still presenting.
  if (sessionStorage.getItem(stateKey) === "1") {
    var back = indexOf(location.hash.slice(1));
    present(back < 0 ? 0 : back);
  }
})();
