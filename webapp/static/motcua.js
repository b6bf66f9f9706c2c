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
})();
