// The model registry: list; one entry's card, evaluation tables (per group), approvals with the two-person rule,
// approve and revoke (the API decides who may: models.approve, never the submitter, two people for risk: high).
"use strict";
(() => {
  const BASE = "/bastion/v1/models/";
  const pct = (v) => (typeof v === "number" ? (v * 100).toFixed(1) + " %" : v);

  async function list() {
    const r = await B.api("/bastion/v1/models");
    if (!r.ok) { B.say("models-status", B.errorText(r), "error"); return; }
    B.rows(document.querySelector("#registry tbody"), r.body.data, (e) => [B.el("a", { href: "/console/models/" + encodeURIComponent(e.id) }, e.id),
      e.name, e.kind, B.el("span", { class: "state state-" + e.state }, e.state), "", (e.artifact_digest || "").slice(0, 19)]);
  }

  function cardView(doc) {
    const wrap = B.el("div", {});
    const entries = Object.entries(doc || {});
    const dl = B.el("dl", { class: "facts" });
    B.facts(dl, entries.filter(([, v]) => typeof v !== "object" || v === null).map(([k, v]) => [k, String(v)]));
    wrap.append(dl);
    for (const [k, v] of entries.filter(([, v]) => v && typeof v === "object")) {
      wrap.append(B.el("h3", {}, k), B.el("pre", { tabindex: "0" }, JSON.stringify(v, null, 2)));
    }
    return wrap;
  }

  function evaluationView(run) {
    const s = run.summary || {};
    const box = B.el("section", { class: "evaluation", "aria-label": `Evaluation ${run.suite}` }, B.el("h3", {}, `${run.suite} (${run.kind}) — ${run.status}`));
    const metrics = Object.entries(s.metrics || {});
    if (metrics.length) {
      box.append(B.el("table", {}, B.el("caption", {}, "Metrics"), B.el("thead", {}, B.el("tr", {}, B.el("th", { scope: "col" }, "Metric"), B.el("th", { scope: "col" }, "Value"))),
        B.el("tbody", {}, metrics.map(([k, v]) => B.el("tr", {}, B.el("td", {}, k), B.el("td", {}, typeof v === "object" ? JSON.stringify(v) : String(v)))))));
    }
    if (s.groups) {
      box.append(B.el("table", { class: "groups" }, B.el("caption", {}, "Per group" + (s.metrics && s.metrics.attribute ? ` (${s.metrics.attribute})` : "")),
        B.el("thead", {}, B.el("tr", {}, ["Group", "Items", "Passed", "Accuracy"].map((h) => B.el("th", { scope: "col" }, h)))),
        B.el("tbody", {}, s.groups.map((g) => B.el("tr", {}, B.el("td", {}, g.group), B.el("td", {}, String(g.items)), B.el("td", {}, String(g.passed)), B.el("td", {}, pct(g.accuracy)))))));
    }
    if (s.gate) box.append(B.el("p", { class: s.gate.passed ? "ok" : "problem" }, `Gate: ${s.gate.metric} ${s.gate.op} ${s.gate.threshold} — value ${s.gate.value}: ${s.gate.passed ? "passed" : "FAILED"}`));
    return box;
  }

  async function detail() {
    const id = B.meta("model-id");
    const [e, card, evals, approvals, history] = await Promise.all([B.api(BASE + id), B.api(BASE + id + "/card"),
      B.api(BASE + id + "/evaluations"), B.api(BASE + id + "/approvals"), B.api(BASE + id + "/history")]);
    if (!e.ok) { B.say("model-status", B.errorText(e), "error"); return; }
    const x = e.body;
    B.facts(document.getElementById("model-facts"), [["Entry", x.id], ["Name", x.name], ["Kind", x.kind], ["Source", x.source],
      ["State", x.state], ["Routable", x.routable ? "yes" : "no"], ["Artifact digest", x.artifact_digest], ["Licence", x.licence],
      ["Submitted by", x.submitted_by], ["Card", `version ${x.card.version}, risk ${x.card.risk || "not set"}, digest ${x.card.digest}`],
      ["Card fields missing", (x.card.missing || []).join(", ") || "none"], ["Signature", x.signature ? `verified (${x.signature.signer})` : "none"]]);
    const a = x.approvals;
    document.getElementById("approval-rule").textContent = `${a.current_card} of ${a.needed} approval(s) on the current card`
      + (a.needed > 1 ? " — two-person rule: risk is high, two different approvers are needed" : "")
      + `. The submitter (${x.submitted_by}) cannot approve.`;
    document.getElementById("approval-rule").dataset.count = String(a.current_card);
    if (approvals.ok) B.rows(document.querySelector("#approvals tbody"), approvals.body.data, (p) => [p.approver, p.at, p.card_digest.slice(0, 19), p.override_reason || ""]);
    if (card.ok) document.getElementById("card").replaceChildren(cardView(card.body.document));
    if (evals.ok) {
      const box = document.getElementById("evaluations");
      box.replaceChildren(...(evals.body.data.length ? evals.body.data.map(evaluationView) : [B.el("p", {}, "No evaluations yet.")]));
    }
    if (history.ok) document.getElementById("history").replaceChildren(...history.body.data.map((h) => B.el("li", {}, `${h.at}: ${h.action} ${h.from || ""} → ${h.to || ""} by ${h.actor}` + (h.reason ? ` (${h.reason})` : ""))));
    const can = ["evaluated", "approved"].includes(x.state) || x.state === "draft";
    document.getElementById("approve").disabled = !can;
  }

  async function act(path, body, done) {
    const r = await B.api(BASE + B.meta("model-id") + path, { method: "POST", body });
    B.say("model-status", r.ok ? done(r.body) : B.errorText(r), r.ok ? "ok" : "error");
    await detail();
  }

  document.addEventListener("DOMContentLoaded", async () => {
    if (document.body.dataset.page === "models") { await list(); B.ready(); return; }
    document.getElementById("approve-form").addEventListener("submit", (ev) => {
      ev.preventDefault();
      const reason = document.getElementById("override").value.trim();
      act("/approve", reason ? { override_reason: reason } : {}, (b) => `Approved: ${b.approvals.current_card} of ${b.approvals.needed}; state ${b.state}.`);
    });
    document.getElementById("revoke-form").addEventListener("submit", (ev) => {
      ev.preventDefault();
      act("/revoke", { reason: document.getElementById("revoke-reason").value.trim() }, (b) => `Revoked; state ${b.state}.`);
    });
    await detail();
    B.ready();
  });
})();
