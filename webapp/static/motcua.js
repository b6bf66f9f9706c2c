// Một Cửa: small enhancements; every page works without them.
// A step's form asks the server which fields show for the choices made so far and hides the
// others in place, so nothing the official typed is ever replaced.
(function () {
  "use strict";

  async function refresh(form) {
    const response = await fetch(form.dataset.visibilityUrl, { method: "POST", body: new FormData(form) });
    if (!response.ok) return;
    const visible = await response.json();
    for (const [key, shown] of Object.entries(visible)) {
      const wrapper = form.querySelector('[data-key="' + CSS.escape(key) + '"]');
      if (wrapper) wrapper.hidden = !shown;
    }
    form.dataset.visibilityReady = "1";
  }

  document.addEventListener("change", function (event) {
    const form = event.target.closest("form[data-visibility-url]");
    if (form && event.target.matches("input[type=radio], input[type=checkbox], select")) refresh(form);
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-visibility-url]").forEach(refresh);
  });

  // The counter's form: Enter in a one-line field moves to the next field and never submits (an
  // officer typing fast must not send a half-filled dossier; the ID check is a button of its own).
  document.addEventListener("keydown", function (event) {
    const form = event.target.closest && event.target.closest("form[data-enter-moves]");
    if (!form || event.key !== "Enter" || !event.target.matches("input:not([type=submit]):not([type=button]), select")) return;
    event.preventDefault();
    const fields = Array.from(form.querySelectorAll("input:not([type=hidden]):not([disabled]), select, textarea, button"))
      .filter(function (el) { return el.offsetParent !== null; });
    const next = fields[fields.indexOf(event.target) + 1];
    if (next) next.focus();
  });

  // Boxes that only one choice needs (data-show-when="name=value value2") show only for it.
  function showChoices(form) {
    form.querySelectorAll("[data-show-when]").forEach(function (box) {
      const [name, values] = box.dataset.showWhen.split("=");
      const control = form.elements[name];
      if (!control) return;
      box.hidden = !values.split(" ").includes(control.value);
    });
  }
  document.addEventListener("change", function (event) {
    const form = event.target.form;
    if (form && form.querySelector("[data-show-when]")) showChoices(form);
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form").forEach(function (form) {
      if (form.querySelector("[data-show-when]")) showChoices(form);
    });
  });
})();
