// statemedia workbench: the little interactivity pages need. Served from /static (CSP: script-src 'self').
"use strict";

// Highlight layers on the article page: a checkbox per layer hides its marks.
function setupLayerToggles() {
  const text = document.getElementById("text");
  if (!text) return;
  for (const box of document.querySelectorAll("input.layer-toggle")) {
    const apply = () => text.classList.toggle("hide-" + box.dataset.layer, !box.checked);
    box.addEventListener("change", apply);
    apply();
  }
}

// Selects in filter forms submit on change: one click per refinement.
function setupAutoSubmit() {
  for (const select of document.querySelectorAll("form.filters select")) {
    select.addEventListener("change", () => select.form.submit());
  }
}

document.addEventListener("DOMContentLoaded", () => {
  setupLayerToggles();
  setupAutoSubmit();
});
