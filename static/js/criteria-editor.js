// Criteria-set editor: confirm destructive actions, and check the criterion being edited while typing
// (the same reader as saving; the server answers with the problems and the rule read back).
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var message = button && button.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });
  var form = document.getElementById("node-form");
  if (!form) {
    return;
  }
  var sentence = document.getElementById("sentence");
  var list = document.getElementById("live-problems");
  var timer = null;
  function check() {
    var data = new FormData(form);
    fetch(form.getAttribute("data-check"), {method: "POST", body: data, credentials: "same-origin"})
      .then(function (response) { return response.json(); })
      .then(function (answer) {
        list.textContent = "";
        answer.problems.forEach(function (text) {
          var item = document.createElement("li");
          item.textContent = text;
          list.appendChild(item);
        });
        sentence.textContent = answer.sentence.join(" ");
      })
      .catch(function () { /* the page still saves and validates on the server */ });
  }
  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(check, 400);
  });
  var problems = document.getElementById("problems");
  if (problems) {
    problems.focus();
  }
})();
