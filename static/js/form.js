/* The assessment form: live scores, subtotals and progress while typing, explanations of the
   row being edited, autosave, uploads in place, the reviewer's filter. Plain JavaScript, no
   library, nothing loaded from the Internet. The page works without it: saving, submitting and
   uploading are ordinary form posts. */
(function () {
  "use strict";
  var summary = document.getElementById("summary");
  if (summary) { summary.focus(); }
  var form = document.getElementById("answers");
  if (!form) { return; }
  var previewUrl = form.dataset.previewUrl;
  var side = form.dataset.side;
  var autosave = form.dataset.autosave === "1";
  var status = document.getElementById("autosave-status");
  var live = document.getElementById("live-region");
  var dirty = false, timer = null, saving = false;
  var positionKey = "vi-tri:" + window.location.pathname;

  function say(text) { if (live) { live.textContent = text; } }
  function setState(text) { if (status) { status.textContent = text; } }

  function payload() {
    var data = new FormData(form);
    data.set("side", side);
    return data;
  }

  function clearNotes() {
    form.querySelectorAll(".live-error, .live-warning").forEach(function (el) {
      var input = el.previousElementSibling && el.previousElementSibling.querySelector("input, select, textarea");
      el.remove();
      if (input) { input.removeAttribute("aria-describedby"); }
    });
    form.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
  }

  function note(name, text, kind) {
    var input = form.elements[name];
    if (!input || !input.parentNode) { return false; }
    var span = document.createElement("span");
    span.className = (kind === "error" ? "field-error live-error" : "field-warning live-warning");
    span.id = "live-" + kind + "-" + (input.id || name);
    span.textContent = text;
    var label = input.closest("label") || input;
    label.parentNode.insertBefore(span, label.nextSibling);
    var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    described.push(span.id);
    input.setAttribute("aria-describedby", described.join(" "));
    if (kind === "error") { input.setAttribute("aria-invalid", "true"); }
    return true;
  }

  function showErrors(errors) {
    var texts = [];
    Object.keys(errors || {}).forEach(function (name) {
      var text = errors[name].join(" ");
      texts.push(text);
      if (!note(name, text, "error")) { setState(text); }
    });
    say(texts.join(" "));
  }

  function showFieldWarnings(warnings) {
    Object.keys(warnings || {}).forEach(function (name) {
      var existing = document.getElementById("warn-" + (form.elements[name] && form.elements[name].id));
      if (existing) { existing.remove(); }
      note(name, warnings[name], "warning");
    });
  }

  function showConsistency(warnings) {
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
    showConsistency(result.consistency);
    var column = side === "review" ? "review" : "self";
    Object.keys(result.criteria || {}).forEach(function (code) {
      var value = result.criteria[code];
      var row = document.getElementById("tc-" + code);
      if (row) {
        var cell = row.querySelector('td.score[data-side="' + column + '"]');
        var points = cell && cell.querySelector(".points");
        var explanation = cell && cell.querySelector(".explanation");
        if (points) { points.textContent = value.points; }
        if (explanation) { explanation.textContent = value.explanation; }
      }
      document.querySelectorAll('[data-group="' + code + '"]').forEach(function (el) {
        el.textContent = value.points;
      });
    });
    if (result.total) {
      var total = document.getElementById(column === "review" ? "total-reviewed" : "total-self");
      if (total) { total.textContent = result.total; }
      var bar = document.getElementById("bar-total");
      if (bar) { bar.textContent = result.total; }
    }
  }

  /* A leaf is entered when every number or choice it asks for has a value (free text is optional). */
  function filled(row) {
    var inputs = row.querySelectorAll("td.evidence input[name^='f__'], td.evidence select[name^='f__'], " +
                                      "td.evidence input[name^='p__']");
    for (var i = 0; i < inputs.length; i++) { if (!inputs[i].value.trim()) { return false; } }
    return true;
  }

  function progress() {
    var link = document.getElementById("progress");
    if (!link) { return; }
    var rows = form.querySelectorAll("tr[data-leaf]"), done = 0, next = null, groups = {};
    rows.forEach(function (row) {
      var ok = filled(row), section = row.dataset.section;
      groups[section] = groups[section] || { done: 0, count: 0 };
      groups[section].count += 1;
      if (ok) { done += 1; groups[section].done += 1; } else if (!next) { next = row.dataset.code; }
    });
    link.textContent = done + "/" + rows.length + " tiêu chí đã nhập" + (next ? " — tiếp theo: " + next : "");
    link.setAttribute("href", next ? "#tc-" + next : "#stickybar");
    Object.keys(groups).forEach(function (code) {
      var mark = document.querySelector('[data-group-mark="' + code + '"]');
      if (!mark) { return; }
      var all = groups[code].done === groups[code].count;
      mark.textContent = all ? "✓ đã nhập đủ" : groups[code].done + "/" + groups[code].count;
      mark.classList.toggle("complete", all);
    });
  }

  function preview() {
    fetch(previewUrl, { method: "POST", body: payload(), credentials: "same-origin",
                        headers: { "X-Requested-With": "fetch" } })
      .then(function (response) { return response.json(); })
      .then(function (result) {
        clearNotes();
        if (result.errors && Object.keys(result.errors).length) { showErrors(result.errors); return; }
        showScores(result);
        showFieldWarnings(result.field_warnings);
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
          setState("Đã tự động lưu lúc " + result.at);
        } else {
          setState("Chưa tự động lưu được: " + (result.errors || []).join("; "));
        }
      })
      .catch(function () { setState("Mất kết nối, chưa tự động lưu được."); })
      .finally(function () { saving = false; });
  }

  /* The explanation of the row being edited is open without a click, with its inputs named:
     "Tổng số văn bản đến = 1.000; Số văn bản đến cập nhật vào phần mềm = 950". */
  function nameInputs(row) {
    var why = row.querySelector('td.score[data-side="' + (side === "review" ? "review" : "self") + '"] details.why');
    if (!why) { return; }
    why.open = true;
    var prefix = side === "review" ? "rf__" : "f__";
    var parts = [];
    row.querySelectorAll("label").forEach(function (label) {
      var input = label.querySelector("input[name^='" + prefix + "'], select[name^='" + prefix + "']");
      if (!input || !label.firstChild) { return; }
      var value = input.tagName === "SELECT" ? (input.value ? input.options[input.selectedIndex].text : "") : input.value;
      if (value.trim()) { parts.push(label.firstChild.textContent.trim() + " = " + value.trim()); }
    });
    var span = why.querySelector(".inputs");
    if (!span) {
      span = document.createElement("span");
      span.className = "inputs";
      why.appendChild(span);
    }
    span.textContent = parts.length ? "Số liệu: " + parts.join("; ") : "";
  }

  form.addEventListener("focusin", function (event) {
    var row = event.target.closest("tr[data-leaf]");
    if (row) { nameInputs(row); }
  });
  form.addEventListener("input", function (event) {
    var row = event.target.closest("tr[data-leaf]");
    if (row) { nameInputs(row); }
  });

  form.addEventListener("input", function (event) {
    if (event.target.type === "file" || event.target.name === "reason") { return; }
    dirty = true;
    if (autosave) { setState("Có thay đổi chưa lưu"); }
    progress();
    clearTimeout(timer);
    timer = setTimeout(preview, 400);
  });
  form.addEventListener("change", function (event) {
    if (event.target.tagName === "SELECT" || event.target.type === "checkbox") {
      dirty = true;
      progress();
      clearTimeout(timer);
      timer = setTimeout(preview, 100);
    }
  });
  form.addEventListener("submit", function () {
    dirty = false;
    try { window.sessionStorage.setItem(positionKey, String(window.scrollY)); } catch (e) { /* private mode */ }
  });
  if (autosave) { setInterval(save, 30000); }
  window.addEventListener("beforeunload", function (event) {
    if (dirty && autosave) { event.preventDefault(); event.returnValue = ""; }
  });

  /* Saving keeps the position: back where the user was, unless the address names a place. */
  try {
    var kept = window.sessionStorage.getItem(positionKey);
    window.sessionStorage.removeItem(positionKey);
    if (kept !== null && !window.location.hash && !summary) { window.scrollTo(0, parseInt(kept, 10) || 0); }
  } catch (e) { /* private mode */ }

  /* Uploads happen in place, so figures typed but not yet saved stay where they are. */
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-upload]");
    if (!button) { return; }
    event.preventDefault();
    var code = button.dataset.upload;
    var uploadForm = document.getElementById("upload-" + code);
    var input = document.getElementById("file-" + code);
    var message = document.getElementById("upload-message-" + code);
    function tell(text, ok) {
      message.textContent = text;
      message.className = "upload-message " + (ok ? "ok" : "bad");
    }
    if (!input.files.length) { tell("Chưa chọn tệp: bấm “Chọn tệp” trước.", false); return; }
    tell("Đang tải lên “" + input.files[0].name + "”…", true);
    fetch(uploadForm.action, { method: "POST", body: new FormData(uploadForm), credentials: "same-origin",
                               headers: { "X-Requested-With": "fetch" } })
      .then(function (response) { return response.json(); })
      .then(function (result) {
        tell(result.message, result.ok);
        if (!result.ok) { return; }
        var list = document.getElementById("files-" + code);
        var empty = list.querySelector(".empty");
        if (empty) { empty.remove(); }
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = result.file.url;
        link.textContent = result.file.name;
        item.appendChild(link);
        item.appendChild(document.createTextNode(" (" + result.file.size + ")"));
        list.appendChild(item);
        input.value = "";
        var chosen = input.closest(".file-pick") && input.closest(".file-pick").querySelector(".file-name");
        if (chosen) { chosen.textContent = "Chưa chọn tệp"; }
        var row = document.getElementById("tc-" + code);
        if (row) { row.dataset.flags = (row.dataset.flags + " tep-moi").trim(); }
      })
      .catch(function () { tell("Mất kết nối, tệp chưa được tải lên. Thử lại sau.", false); });
  });

  /* The reviewer's filter: only the rows with a difference, an explanation, a flag, a new file. */
  var filter = document.getElementById("review-filter");
  if (filter) {
    filter.addEventListener("change", function () {
      var chosen = Array.prototype.map.call(filter.querySelectorAll("input:checked"), function (i) { return i.value; });
      var shown = 0;
      form.querySelectorAll("tr[data-leaf]").forEach(function (row) {
        var flags = (row.dataset.flags || "").split(" ");
        var visible = !chosen.length || chosen.some(function (f) { return flags.indexOf(f) !== -1; });
        row.hidden = !visible;
        if (visible) { shown += 1; }
      });
      document.getElementById("filter-count").textContent = chosen.length ? "Đang hiện " + shown + " tiêu chí." : "";
    });
  }
})();
