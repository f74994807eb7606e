/* The assessment form: live scores while typing, explanations on demand, autosave.
   Plain JavaScript, no library, nothing loaded from the Internet. The page works
   without it: saving and submitting are ordinary form posts. */
(function () {
  "use strict";
  var form = document.getElementById("answers");
  if (!form) { return; }
  var previewUrl = form.dataset.previewUrl;
  var side = form.dataset.side;
  var autosave = form.dataset.autosave === "1";
  var status = document.getElementById("autosave-status");
  var dirty = false, timer = null, saving = false;

  function payload() {
    var data = new FormData(form);
    data.set("side", side);
    return data;
  }

  function clearErrors() {
    form.querySelectorAll(".live-error").forEach(function (el) { el.remove(); });
    form.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
  }

  function showErrors(errors) {
    Object.keys(errors || {}).forEach(function (name) {
      var input = form.elements[name];
      var messages = errors[name].join(" ");
      if (!input || !input.parentNode) { if (status) { status.textContent = messages; } return; }
      input.setAttribute("aria-invalid", "true");
      var note = document.createElement("span");
      note.className = "field-error live-error";
      note.textContent = messages;
      input.parentNode.insertBefore(note, input.nextSibling);
    });
  }

  function showWarnings(warnings) {
    var box = document.getElementById("consistency-warnings");
    if (!box || !warnings) { return; }
    var list = box.querySelector("ul");
    list.textContent = "";
    warnings.forEach(function (text) {
      var item = document.createElement("li");
      item.textContent = text;
      list.appendChild(item);
    });
    box.hidden = warnings.length === 0;
  }

  function showScores(result) {
    showWarnings(result.warnings);
    var column = side === "review" ? "review" : "self";
    Object.keys(result.criteria || {}).forEach(function (code) {
      var row = document.getElementById("tc-" + code);
      if (!row) { return; }
      var cell = row.querySelector('td.score[data-side="' + column + '"]');
      if (!cell) { return; }
      var points = cell.querySelector(".points");
      var explanation = cell.querySelector(".explanation");
      if (points) { points.textContent = result.criteria[code].points; }
      if (explanation) { explanation.textContent = result.criteria[code].explanation; }
    });
    var total = document.getElementById(column === "review" ? "total-reviewed" : "total-self");
    if (total && result.total) { total.textContent = result.total; }
  }

  function preview() {
    fetch(previewUrl, { method: "POST", body: payload(), credentials: "same-origin",
                        headers: { "X-Requested-With": "fetch" } })
      .then(function (response) { return response.json(); })
      .then(function (result) {
        clearErrors();
        if (result.errors && Object.keys(result.errors).length) { showErrors(result.errors); return; }
        showScores(result);
      })
      .catch(function () { /* offline for a moment: the server checks again on save */ });
  }

  function save() {
    if (!autosave || !dirty || saving) { return; }
    saving = true;
    var data = payload();
    data.set("action", "save");
    fetch(window.location.pathname, { method: "POST", body: data, credentials: "same-origin",
                                      headers: { "X-Autosave": "1" } })
      .then(function (response) { return response.json(); })
      .then(function (result) {
        if (result.saved) {
          dirty = false;
          Object.keys(result.versions || {}).forEach(function (code) {
            var input = form.elements["v__" + code];
            if (input) { input.value = result.versions[code]; }
          });
          if (status) { status.textContent = "Đã tự động lưu lúc " + result.at + "."; }
        } else if (status) {
          status.textContent = "Chưa tự động lưu được: " + (result.errors || []).join("; ");
        }
      })
      .catch(function () { if (status) { status.textContent = "Mất kết nối, chưa tự động lưu được."; } })
      .finally(function () { saving = false; });
  }

  form.addEventListener("input", function (event) {
    if (event.target.type === "file" || event.target.name === "reason") { return; }
    dirty = true;
    if (status && autosave) { status.textContent = "Có thay đổi chưa lưu."; }
    clearTimeout(timer);
    timer = setTimeout(preview, 400);
  });
  form.addEventListener("change", function (event) {
    if (event.target.tagName === "SELECT" || event.target.type === "checkbox") {
      dirty = true;
      clearTimeout(timer);
      timer = setTimeout(preview, 100);
    }
  });
  form.addEventListener("submit", function () { dirty = false; });
  if (autosave) { setInterval(save, 30000); }
  window.addEventListener("beforeunload", function (event) {
    if (dirty && autosave) { event.preventDefault(); event.returnValue = ""; }
  });
})();
