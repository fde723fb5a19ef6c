// orglife: small behaviours without inline scripts (the CSP forbids them).
(function () {
  "use strict";

  // Selects marked data-autosubmit (the language switcher) submit their form on change.
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit") && target.form) {
      // htmx may have pushed a new URL (search, page) since the page was rendered: come back to it.
      var next = target.form.querySelector("input[name=next]");
      if (next) {
        next.value = window.location.pathname + window.location.search;
      }
      if (typeof target.form.requestSubmit === "function") {
        target.form.requestSubmit();
      } else {
        target.form.submit();
      }
    }
  });

  // Org tree: the first click loads the children with htmx, later clicks only show or hide them.
  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element ? event.target.closest("[data-tree-toggle]") : null;
    if (!button) {
      return;
    }
    event.preventDefault();
    var list = document.getElementById(button.getAttribute("aria-controls"));
    if (!list) {
      return;
    }
    var expanded = button.getAttribute("aria-expanded") === "true";
    if (expanded) {
      list.hidden = true;
      button.setAttribute("aria-expanded", "false");
      return;
    }
    if (button.hasAttribute("data-loaded") || !window.htmx) {
      list.hidden = false;
      button.setAttribute("aria-expanded", "true");
      return;
    }
    if (button.hasAttribute("data-loading")) {
      return;
    }
    button.setAttribute("data-loading", "");
    button.setAttribute("aria-busy", "true");
    window.htmx
      .ajax("GET", button.getAttribute("data-children-url"), { target: list, swap: "innerHTML" })
      .then(function () {
        button.setAttribute("data-loaded", "");
        list.hidden = false;
        button.setAttribute("aria-expanded", "true");
      })
      .finally(function () {
        button.removeAttribute("data-loading");
        button.removeAttribute("aria-busy");
      });
  });
})();
