// Saves the notes form while the secretary types, and once more when the page is left, so that
// nothing typed is lost. The server answers with its version and the problems of each field.
(function () {
  "use strict";
  const form = document.querySelector("form[data-autosave]");
  if (!form) return;
  const status = document.getElementById("autosave-status");
  const version = form.querySelector("input[name=version]");
  // Not form.action: the form's buttons are named "action", which hides that property.
  const target = form.getAttribute("action") || location.href;
  let dirty = false, busy = false, stopped = false, timer = null;

  function body() {
    const data = new FormData(form);
    data.set("autosave", "1");
    return data;
  }

  function show(field, messages, cls) {
    const box = form.querySelector('.' + cls + '[data-for="' + field + '"]');
    if (box) box.replaceChildren();
    return box;
  }

  function render(answer) {
    form.querySelectorAll(".problems").forEach(function (box) { box.replaceChildren(); });
    form.querySelectorAll(".wording").forEach(function (box) { box.replaceChildren(); });
    Object.entries(answer.problems || {}).forEach(function ([field, messages]) {
      const box = show(field, messages, "problems");
      if (!box) return;
      messages.forEach(function (m) {
        const p = document.createElement("p"); p.className = "problem"; p.textContent = m; box.append(p);
      });
    });
    Object.entries(answer.wording || {}).forEach(function ([field, findings]) {
      const box = show(field, findings, "wording");
      if (!box) return;
      findings.forEach(function (f) {
        const p = document.createElement("p"); p.className = "finding";
        const mark = document.createElement("mark"); mark.textContent = f.word;
        const hint = document.createElement("span"); hint.className = "suggestion"; hint.textContent = form.dataset.suggestionText + " " + f.suggestion;
        p.append(f.before, mark, f.after, " ", hint);
        const id = field + "-intended-" + box.children.length;
        const keep = document.createElement("input");
        keep.type = "checkbox"; keep.id = id; keep.value = f.sentence;
        keep.name = "items-" + field.split("-")[1] + "-intended";
        const label = document.createElement("label"); label.htmlFor = id; label.textContent = form.dataset.intendedText;
        const span = document.createElement("span"); span.className = "check"; span.append(keep, label);
        p.append(span); box.append(p);
      });
    });
  }

  async function save() {
    if (!dirty || busy || stopped) return;
    busy = true; dirty = false;
    try {
      const response = await fetch(target, { method: "POST", body: body(), credentials: "same-origin" });
      const answer = await response.json();
      if (response.status === 409) {
        stopped = true; status.textContent = answer.conflict; status.className = "problem"; status.dataset.state = "conflict";
        return;
      }
      if (answer.version) version.value = answer.version;
      render(answer);
      status.className = answer.saved ? "" : "problem";
      status.dataset.state = answer.saved ? "saved" : "problem";
      status.textContent = answer.saved ? form.dataset.savedText + " " + answer.time : form.dataset.problemText;
    } catch (error) {
      dirty = true;
      status.className = "problem";
      status.dataset.state = "failed";
      status.textContent = form.dataset.failedText;
    } finally {
      busy = false;
    }
  }

  function changed() {
    dirty = true;
    clearTimeout(timer);
    timer = setTimeout(save, 1500);
  }
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  setInterval(save, 10000);
  // Leaving the page: one last save that the browser completes even as the tab closes.
  window.addEventListener("pagehide", function () {
    if (dirty && !stopped) navigator.sendBeacon(target, body());
  });
  form.addEventListener("submit", function () { stopped = true; });
})();
