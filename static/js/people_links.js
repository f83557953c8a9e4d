// The links shown once after adding people: a copy button per link, and a CSV of them all
// built in the browser from this page, so no token is ever stored on the server. Without
// this script the links stay on the page as text to select and copy.
(function () {
  "use strict";
  var list = document.getElementById("new-links");
  if (!list) return;
  var status = document.getElementById("copy-status");
  var items = Array.prototype.slice.call(list.querySelectorAll("li"));

  function say(text) {
    if (status) status.textContent = text;
  }

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
      say(button.getAttribute("data-done") + ": " + text);
      button.classList.add("copied");
      button.firstChild.textContent = button.getAttribute("data-done");
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () {
        selectText(target);
      });
    } else {
      selectText(target);
      if (document.execCommand("copy")) done();
    }
  }

  // A cell that starts like a formula is opened as text by spreadsheets.
  function cell(value) {
    var text = String(value);
    if (/^[=+\-@\t\r]/.test(text)) text = "'" + text;
    return '"' + text.replace(/"/g, '""') + '"';
  }

  function download(button) {
    var rows = [list.getAttribute("data-columns").split("|")];
    items.forEach(function (item) {
      var link = item.querySelector(".link-once").textContent.trim();
      rows.push([
        item.dataset.name, item.dataset.email, item.dataset.department,
        item.dataset.role, item.dataset.language, link,
      ]);
    });
    var csv = "\ufeff" + rows.map(function (row) { return row.map(cell).join(","); }).join("\r\n") + "\r\n";
    var url = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
    var anchor = document.createElement("a");
    anchor.href = url;
    anchor.download = button.getAttribute("data-filename");
    document.body.appendChild(anchor);
    anchor.click();
    anchor.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }

  list.querySelectorAll(".copy-link").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { copy(button); });
  });
  var tools = document.querySelector(".link-tools");
  var downloadButton = document.getElementById("download-links");
  if (tools && downloadButton && window.Blob && window.URL) {
    tools.hidden = false;
    downloadButton.addEventListener("click", function () { download(downloadButton); });
  }
})();
