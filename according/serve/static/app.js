// according: selecting a statement in an article's text. Without this script every statement's details are still
// listed under the text and linked both ways; with it, a click, Enter or Space on a mark selects its statement:
// its marks are outlined and its details are copied into the "Selected statement" panel (announced politely).
"use strict";
(function () {
  const text = document.getElementById("article-text");
  const panel = document.getElementById("selected");
  if (!text || !panel) return;

  function select(id, scroll) {
    for (const el of document.querySelectorAll(".is-selected")) el.classList.remove("is-selected");
    const details = document.getElementById("st-" + id);
    if (!details) return;
    for (const el of text.querySelectorAll("mark")) {
      if (el.dataset.a === id) el.classList.add("is-selected");
    }
    details.classList.add("is-selected");
    panel.replaceChildren(...Array.from(details.cloneNode(true).childNodes));
    for (const el of panel.querySelectorAll("[id]")) el.removeAttribute("id");
    const first = document.getElementById("at-" + id);
    if (scroll && first) first.scrollIntoView({ block: "center" });
  }

  // the innermost mark under the pointer is the most specific statement
  text.addEventListener("click", (event) => {
    const mark = event.target.closest("mark");
    if (mark) select(mark.dataset.a, false);
  });
  text.addEventListener("keydown", (event) => {
    const mark = event.target.closest("mark[tabindex]");
    if (mark && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      select(mark.dataset.a, false);
    }
  });
  function fromHash() {
    const match = /^#(?:st|at)-(.+)$/.exec(decodeURIComponent(location.hash));
    if (match) select(match[1], location.hash.startsWith("#at-"));
  }
  window.addEventListener("hashchange", fromHash);
  fromHash();
})();
