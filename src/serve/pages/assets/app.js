// aikg pages: what JavaScript adds where it helps. Every page reads
// without it: the search box posts to /search, the editor to /query.
"use strict";

// Suggestions while typing in the home search: /api/search?q=.
function suggestions(input) {
  const list = document.getElementById("suggestions");
  if (!list) return;
  let shown = "";
  let timer = null;
  const fill = async () => {
    const q = input.value.trim();
    if (q === shown) return;
    shown = q;
    if (!q) { list.replaceChildren(); input.setAttribute("aria-expanded", "false"); return; }
    const answer = await fetch("/api/search?q=" + encodeURIComponent(q) + "&lang=" + document.documentElement.lang);
    if (!answer.ok || q !== shown) return;
    const found = await answer.json();
    list.replaceChildren(...found.map((hit, i) => {
      const item = document.createElement("li");
      item.setAttribute("role", "option");
      item.id = "suggestion-" + i;
      const link = document.createElement("a");
      link.href = hit.page;
      link.textContent = hit.label;
      if (hit.kind) {
        const kind = document.createElement("small");
        kind.textContent = " — " + hit.kind;
        link.append(kind);
      }
      item.append(link);
      return item;
    }));
    input.setAttribute("aria-expanded", found.length ? "true" : "false");
  };
  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(fill, 120); });
  // Down arrow from the box, up and down within the list, Escape back.
  input.addEventListener("keydown", (e) => {
    const first = list.querySelector("a");
    if (e.key === "ArrowDown" && first) { e.preventDefault(); first.focus(); }
  });
  list.addEventListener("keydown", (e) => {
    const links = [...list.querySelectorAll("a")];
    const at = links.indexOf(document.activeElement);
    if (e.key === "ArrowDown" && at < links.length - 1) { e.preventDefault(); links[at + 1].focus(); }
    if (e.key === "ArrowUp") { e.preventDefault(); (at > 0 ? links[at - 1] : input).focus(); }
    if (e.key === "Escape") { input.focus(); list.replaceChildren(); }
  });
}

// The editor's error: put the caret at the position the server reported.
function caret(editor) {
  const line = Number(editor.dataset.errorLine), column = Number(editor.dataset.errorColumn);
  if (!line) return;
  const lines = editor.value.split("\n");
  let offset = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) offset += lines[i].length + 1;
  offset += Math.max(0, column - 1);
  editor.focus();
  editor.setSelectionRange(offset, offset + 1);
}

document.addEventListener("DOMContentLoaded", () => {
  const search = document.getElementById("q");
  if (search) suggestions(search);
  const editor = document.getElementById("editor");
  if (editor) caret(editor);
});
