// The screen bar above a printed form: the "In" button prints, and ?print=1 opens the print dialog on load.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) window.print();
  });
  window.addEventListener("load", function () {
    if (document.querySelector("[data-auto-print]")) window.print();
  });
})();
