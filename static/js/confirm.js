/* Small behaviour shared by every page. One sentence saying what will happen, before a step
   that cannot simply be undone (submit, approve, publish, remove a file): any button or link
   with data-confirm. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-confirm]") : null;
    if (!target) { return; }
    if (!window.confirm(target.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
  /* Our file pickers show the chosen file's name in Vietnamese words. */
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input.type !== "file" || !input.closest(".file-pick")) { return; }
    var name = input.closest(".file-pick").querySelector(".file-name");
    if (name) { name.textContent = input.files.length ? input.files[0].name : "Chưa chọn tệp"; }
  });
})();
