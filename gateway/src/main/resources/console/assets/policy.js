// Policy: in force (digest, history), editor with compile errors at line and column, diff and test against the
// policy's cases before a reload, simulator.
"use strict";
(() => {
  const text = () => document.getElementById("policy-text");
  let source = null;
  let tested = null; // the text that passed diff-and-test

  async function info() {
    const [p, h, s] = await Promise.all([B.api("/bastion/v1/policy"), B.api("/bastion/v1/policy/history"), B.api("/bastion/v1/policy/source")]);
    if (p.ok) {
      const lr = p.body.last_reload || {};
      B.facts(document.getElementById("policy-info"), [["Source", p.body.source], ["Digest", p.body.digest], ["Rules", String(p.body.rules)],
        ["Purposes", (p.body.purposes || []).join(", ")], ["Last reload", `${lr.status || ""} ${lr.digest || ""}`]]);
    }
    const running = p.ok ? p.body.running_version : null;
    if (h.ok) B.rows(document.querySelector("#policy-history tbody"), h.body.history, (x) => [x.version == null ? "" : String(x.version) + (x.running ? " (running)" : ""), x.time, x.status, x.author || "", x.digest, x.rules == null ? "" : String(x.rules),
      x.version != null && !x.running ? B.el("button", { type: "button", class: "rollback", onclick: () => rollback(x.version, running) }, `Roll back to ${x.version}`) : ""]);
    if (s.ok) source = s.body;
    if (source && !text().value) text().value = source.text || source.file_text || "";
  }

  /** Makes an earlier version's text the next version (a rollback is a new version; history is never rewritten). */
  async function rollback(version, running) {
    const body = { comment: "console rollback" };
    if (running != null) body.expected_version = running;
    const r = await B.api(`/bastion/v1/policy/versions/${version}/activate`, { method: "POST", body });
    B.say("reload-status", r.ok ? `Rolled back: ${r.body.status}, version ${r.body.version} has the text of version ${version}.` : B.errorText(r), r.ok ? "ok" : "error");
    await info();
  }

  /** Moves the caret to a line and column of the editor (1-based) and focuses it. */
  function goTo(line, column) {
    const lines = text().value.split("\n");
    let pos = 0;
    for (let i = 0; i < Math.min(line - 1, lines.length); i++) pos += lines[i].length + 1;
    pos += Math.max(0, column - 1);
    text().focus();
    text().setSelectionRange(pos, pos);
  }

  function showErrors(errors) {
    const ul = document.getElementById("policy-errors");
    ul.replaceChildren(...errors.map((e) => B.el("li", { class: "error", "data-line": String(e.line), "data-column": String(e.column) },
      e.line > 0 ? B.el("button", { type: "button", class: "link", onclick: () => goTo(e.line, e.column) }, `line ${e.line}, column ${e.column}`) : "file",
      ": " + e.message)));
  }

  async function check(full) {
    const r = await B.api("/bastion/v1/policy/check", { method: "POST", body: { policy: text().value } });
    if (!r.ok) { B.say("check-status", B.errorText(r), "error"); return null; }
    const x = r.body;
    showErrors(x.errors);
    if (x.errors.length) B.say("check-status", `${x.errors.length} error(s): the policy does not compile.`, "error");
    else B.say("check-status", `Compiles: ${x.rules} rules, digest ${x.digest}.`, "ok");
    if (full) {
      const diff = document.getElementById("diff");
      diff.replaceChildren(...(x.diff || []).filter((d) => d.op !== " ").map((d) => B.el("span", { class: d.op === "+" ? "add" : "del" }, `${d.op} ${d.text}\n`)));
      if (!diff.children.length) diff.textContent = "No difference from the policy in force.";
      const cases = x.cases;
      B.rows(document.querySelector("#cases tbody"), (cases && cases.results) || [], (c) => [String(c.line), c.name, c.passed ? "pass" : "FAIL", c.detail || ""]);
      let msg = cases ? `Test cases: ${cases.passed} passed, ${cases.failed} failed.` : x.errors.length ? "Fix the errors first." : "No test cases found for this policy.";
      tested = x.ok ? text().value : null;
      const onDisk = source ? source.file_text : null;
      const reloadable = x.ok && onDisk !== null && onDisk === text().value;
      if (x.ok && source && source.source === "built-in") msg += " The shipped default policy cannot be reloaded: configure policy.file.";
      else if (x.ok && !reloadable) msg += ` A reload reads the policy file: save this text to ${source ? source.source : "the file"} first (the file differs from the editor).`;
      document.getElementById("reload").disabled = !reloadable;
      document.getElementById("apply").disabled = !x.ok;
      B.say("reload-status", msg, x.ok ? "ok" : "error");
    }
    return x;
  }

  async function simulate(form) {
    const f = Object.fromEntries(new FormData(form).entries());
    const findings = {};
    for (const p of B.list(f.findings)) { const [t, n] = p.split("="); findings[t.trim()] = Number(n || 1); }
    const request = Object.fromEntries(Object.entries({ purpose: f.purpose, classification: f.classification }).filter(([, v]) => v));
    if (Object.keys(findings).length) request.findings = findings;
    const [kind, ...name] = (f.resource || "").split(":");
    const resource = { kind, name: name.join(":") || "*" };
    if (f.max_classification) resource.max_classification = f.max_classification;
    const body = { principal: { id: f.id, roles: B.list(f.roles), type: f.type }, action: f.action, resource, request };
    const r = await B.api("/bastion/v1/policy/simulate", { method: "POST", body });
    const out = document.getElementById("sim-result");
    if (!r.ok) { out.replaceChildren(B.el("p", { class: "problem" }, B.errorText(r))); return; }
    const x = r.body;
    const dl = B.el("dl", { class: "facts", id: "sim-facts" });
    B.facts(dl, [["Decision", x.allowed ? "allow" : "deny"], ["Reason", x.reason], ["Matched rules", x.rule_ids.join(", ")],
      ["Obligation rules", x.obligation_rule_ids.join(", ")], ["Obligations", JSON.stringify(x.obligations)]]);
    const steps = B.el("ol", {}, x.steps.map((s) => B.el("li", {}, `${s.rule} (${s.effect}, line ${s.line}): ${s.outcome}`)));
    out.replaceChildren(dl, B.el("h3", {}, "Rules visited"), steps);
  }

  document.addEventListener("DOMContentLoaded", async () => {
    document.getElementById("editor").addEventListener("submit", (ev) => { ev.preventDefault(); check(false); });
    document.getElementById("diff-test").addEventListener("click", () => check(true));
    document.getElementById("load-force").addEventListener("click", () => { if (source) text().value = source.text || ""; });
    document.getElementById("load-file").addEventListener("click", () => { if (source) text().value = source.file_text || ""; });
    text().addEventListener("input", () => {
      if (tested !== text().value) for (const id of ["reload", "apply"]) document.getElementById(id).disabled = true;
    });
    document.getElementById("reload").addEventListener("click", async () => {
      const r = await B.api("/bastion/v1/policy/reload", { method: "POST", body: {} });
      B.say("reload-status", r.ok ? `Reload: ${r.body.status}, digest ${r.body.digest}.` : B.errorText(r), r.ok ? "ok" : "error");
      await info();
    });
    // the tested text becomes the next stored version on every replica (PUT /bastion/v1/policy); expected_version
    // refuses it (409) when someone else wrote a version since this page read the policy
    document.getElementById("apply").addEventListener("click", async () => {
      const body = { text: tested, comment: "console" };
      if (source && source.version != null) body.expected_version = source.version;
      const r = await B.api("/bastion/v1/policy", { method: "PUT", body });
      const p = r.ok ? r.body.propagation : null;
      const spread = p ? (p.confirmed ? `, running on all ${p.applied_by} replica(s)` : `, not confirmed by ${p.lagging.join(", ")}`) : "";
      B.say("reload-status", r.ok ? `Applied: ${r.body.status}, version ${r.body.version}${spread}.` : B.errorText(r), r.ok ? "ok" : "error");
      document.getElementById("apply").disabled = true;
      await info();
    });
    document.getElementById("simulate").addEventListener("submit", (ev) => { ev.preventDefault(); simulate(ev.target); });
    await info();
    B.ready();
  });
})();
