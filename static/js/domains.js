// A copy button beside the TXT record's name and value. Without this script they stay on
// the page as text to select and copy.
(function () {
  "use strict";
  var status = document.getElementById("copy-status");

  function selectText(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function copy(button) {
    var target = document.getElementById(button.getAttribute("data-target"));
    var text = target.textContent.trim();
    var done = function () {
      if (status) status.textContent = button.getAttribute("data-done") + ": " + text;
      button.classList.add("copied");
      button.firstChild.textContent = button.getAttribute("data-done");
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { selectText(target); });
    } else {
      selectText(target);
      if (document.execCommand("copy")) done();
    }
  }

  document.querySelectorAll(".copy-button").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { copy(button); });
  });
})();
