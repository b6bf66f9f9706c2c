// Một Cửa: small enhancements; every page works without them.
// A step's form asks the server which fields show for the choices made so far and hides the
// others in place, so nothing the official typed is ever replaced.
(function () {
  "use strict";

  async function refresh(form) {
    // answers may come back out of order: only the latest request's is applied
    const mine = (form.visibilityRequest = (form.visibilityRequest || 0) + 1);
    const response = await fetch(form.dataset.visibilityUrl, { method: "POST", body: new FormData(form) });
    if (!response.ok || mine !== form.visibilityRequest) return;
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

  // The online form says its limits up front (data-max-file-bytes, data-max-total-bytes) and checks
  // them before anything is sent: a file too large is marked at once, and an oversize form is not sent.
  function sizeProblems(form) {
    const perFile = Number(form.dataset.maxFileBytes), total = Number(form.dataset.maxTotalBytes);
    let sum = 0, bad = false;
    form.querySelectorAll("input[type=file]").forEach(function (input) {
      const size = Array.from(input.files || []).reduce(function (n, f) { return n + f.size; }, 0);
      sum += size;
      const tooBig = size > perFile;
      input.classList.toggle("is-invalid", tooBig);
      let note = input.parentElement.querySelector(".js-size-error");
      if (tooBig && !note) {
        note = document.createElement("div");
        note.className = "invalid-feedback d-block js-size-error";
        note.textContent = form.dataset.fileTooLarge;
        input.insertAdjacentElement("afterend", note);
      } else if (!tooBig && note) note.remove();
      bad = bad || tooBig;
    });
    const summary = form.querySelector(".js-total-error");
    if (summary) summary.hidden = sum <= total;
    return bad || sum > total;
  }
  document.addEventListener("change", function (event) {
    const form = event.target.closest && event.target.closest("form[data-max-file-bytes]");
    if (form && event.target.matches("input[type=file]")) sizeProblems(form);
  });
  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (form.matches && form.matches("form[data-max-file-bytes]") && sizeProblems(form)) {
      event.preventDefault();
      const first = form.querySelector("input[type=file].is-invalid") || form.querySelector(".js-total-error");
      if (first) first.scrollIntoView({ block: "center" });
    }
  });
  // A form that does something hard to take back (data-confirm="question") asks first.
  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (form.matches && form.matches("form[data-confirm]") && !window.confirm(form.dataset.confirm)) event.preventDefault();
  });
  // A refused filter (422) is drawn in place like an answer, so the official reads why nothing changed.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr.status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  // Filters and live search keep the address short and shareable: empty fields (every "Tất cả", a
  // cleared search box) are not sent, so the address shows only the filters in use.
  document.addEventListener("htmx:configRequest", function (event) {
    if (event.detail.verb !== "get") return;
    const parameters = event.detail.parameters;  // htmx 2: a FormData behind a proxy that passes its methods on
    Array.from(parameters.keys()).forEach(function (name) {
      if (parameters.get(name) === "") parameters.delete(name);
    });
  });
  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (!form.matches || !form.matches("form[method=get][hx-push-url]")) return;
    Array.from(form.elements).forEach(function (field) {
      if (field.name && field.value === "" && !field.disabled) {
        field.disabled = true;
        setTimeout(function () { field.disabled = false; }, 0);
      }
    });
  });
})();
