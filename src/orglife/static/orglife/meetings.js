// orglife meetings: the roll call and the agenda rows (no inline scripts: the CSP forbids them).
(function () {
  "use strict";

  var CYCLE = ["present", "excused", "absent"];

  function toggleAttendance(button) {
    var row = button.closest("[data-rollcall]");
    if (!row) {
      return;
    }
    var input = row.querySelector("[data-rollcall-status]");
    var current = CYCLE.indexOf(input.value);
    var next = CYCLE[(current + 1) % CYCLE.length];
    input.value = next;
    CYCLE.forEach(function (state) {
      button.classList.toggle("rollcall-" + state, state === next);
    });
    var label = row.querySelector("[data-rollcall-label]");
    if (label) {
      label.textContent = button.getAttribute("data-label-" + next) || next;
    }
    var reason = row.querySelector("[data-rollcall-reason]");
    if (reason) {
      reason.hidden = next !== "excused";
      if (next === "excused") {
        var field = reason.querySelector("input");
        if (field) {
          field.focus();
        }
      }
    }
    var late = row.querySelector("[data-rollcall-late]");
    if (late) {
      late.hidden = next !== "present";
    }
  }

  function addAgendaRow(button) {
    var form = button.closest("form");
    var template = form ? form.querySelector("#agenda-row-template") : null;
    var list = form ? form.querySelector("#agenda-items") : null;
    if (!template || !list) {
      return;
    }
    var index = list.querySelectorAll("[data-agenda-row]").length;
    var row = template.content.firstElementChild.cloneNode(true);
    var radio = row.querySelector("[data-agenda-first]");
    if (radio) {
      radio.value = String(index);
      radio.id = "agenda-first-" + index;
      var label = radio.parentNode.querySelector("label");
      if (label) {
        label.setAttribute("for", radio.id);
      }
    }
    list.appendChild(row);
    var title = row.querySelector("input[name=title]");
    if (title) {
      title.focus();
    }
  }

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) {
      return;
    }
    var toggle = target.closest("[data-rollcall-toggle]");
    if (toggle) {
      event.preventDefault();
      toggleAttendance(toggle);
      return;
    }
    var add = target.closest("[data-agenda-add]");
    if (add) {
      event.preventDefault();
      addAgendaRow(add);
    }
  });
})();
