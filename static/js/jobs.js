// Polls the job's state and updates the progress bar; shows the result's link when done.
(function () {
  var box = document.getElementById("job");
  if (!box || box.dataset.finished === "1") return;
  var url = box.dataset.statusUrl;
  function show(state) {
    document.getElementById("job-status").textContent = state.status_label;
    var bar = document.getElementById("job-progress");
    bar.value = state.percent;
    bar.textContent = state.percent + " %";
    document.getElementById("job-percent").textContent = state.percent + " %";
    var text = document.getElementById("job-text");
    text.textContent = state.text;
    text.className = state.status === "failed" ? "error" : "";
    if (state.url) {
      var link = document.getElementById("job-result-link");
      link.href = state.url;
      link.textContent = state.label || "Xem kết quả";
      document.getElementById("job-result").hidden = false;
    }
  }
  function poll() {
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (state) {
        if (!state) { setTimeout(poll, 5000); return; }
        show(state);
        if (!state.finished) setTimeout(poll, 1500);
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 1000);
})();
