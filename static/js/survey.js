// The survey page: keep what the person ticked, typed and chose in this browser until the
// answers are saved (ratings, the "Why?" comments, the open question and the guess: an
// outage, a failed submission or a closed tab loses nothing), count the answers, keep the
// focused rating row in view, and move focus to the error summary after a submission with
// gaps. The draft lives only in this browser and is removed once the answers are saved.
// The form works the same without this script.
(function () {
  "use strict";
  var form = document.querySelector("form[data-draft]");
  var cleared = document.querySelector("[data-draft-saved]");
  if (cleared) {
    try { window.localStorage.removeItem("survey-draft:" + cleared.dataset.draftSaved); } catch (e) {}
  }
  if (!form) return;
  var key = "survey-draft:" + form.dataset.draft;
  var radios = form.querySelectorAll("input[type=radio]");
  var progress = document.getElementById("progress");
  var total = form.querySelectorAll("fieldset.statement").length;

  function read() {
    try { return JSON.parse(window.localStorage.getItem(key) || "{}"); } catch (e) { return {}; }
  }
  function write(draft) {
    try { window.localStorage.setItem(key, JSON.stringify(draft)); } catch (e) {}
  }
  function count() {
    var answered = form.querySelectorAll("input[type=radio]:checked").length;
    if (progress) {
      progress.textContent = progress.dataset.text
        .replace("%(answered)s", answered).replace("%(total)s", total);
    }
  }

  // s1..s20: ratings; c0..c20: comments (c0 the open question); guess: the guess.
  var KEPT = /^(s\d+|c\d+|guess)$/;

  var draft = read();
  Object.keys(draft).forEach(function (name) {
    if (!KEPT.test(name) || typeof draft[name] !== "string") return;
    // A radio group (RadioNodeList), a textarea or a select: .value restores each.
    var field = form.elements.namedItem(name);
    if (!field) return;
    field.value = draft[name];
    var box = field.closest ? field.closest("details") : null;
    if (box && draft[name]) box.open = true;  // a comment is seen, not hidden in its box
  });
  function keep(event) {
    var field = event.target;
    if (!KEPT.test(field.name || "")) return;
    var current = read();
    current[field.name] = field.value;
    write(current);
    if (field.type === "radio") count();
  }
  form.addEventListener("change", keep);
  form.addEventListener("input", keep);  // each keystroke: a reload right after typing
  form.addEventListener("focusin", function (event) {
    if (event.target.type !== "radio") return;
    var row = event.target.closest("fieldset");
    if (row) row.scrollIntoView({block: "nearest"});
  });
  count();
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
