// The survey page: keep what the person ticked in this browser until the answers are
// saved (an outage or a closed tab loses nothing), count the answers, keep the focused
// rating row in view, and move focus to the error summary after a submission with gaps.
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

  var draft = read();
  Object.keys(draft).forEach(function (name) {
    var radio = form.querySelector("input[name='" + name + "'][value='" + draft[name] + "']");
    if (radio) radio.checked = true;
  });
  form.addEventListener("change", function (event) {
    if (event.target.type !== "radio") return;
    var current = read();
    current[event.target.name] = event.target.value;
    write(current);
    count();
  });
  form.addEventListener("focusin", function (event) {
    if (event.target.type !== "radio") return;
    var row = event.target.closest("fieldset");
    if (row) row.scrollIntoView({block: "nearest"});
  });
  count();
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
