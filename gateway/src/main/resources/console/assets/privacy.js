// Privacy pages: a subject's consents (look up, grant, withdraw) and data-subject requests (export, erasure, the
// request log). Subject ids go in request bodies only, never in a URL.
"use strict";
(() => {
  const when = (t) => (t ? new Date(t).toLocaleString() : "");

  // ---- consents ------------------------------------------------------------------------------------------
  const subjectInput = () => document.getElementById("c-subject");
  const canChange = () => document.getElementById("change") !== null; // the server renders it for consent.manage

  async function lookup() {
    const subject = subjectInput().value.trim();
    if (!subject) { B.say("lookup-status", "Type a subject id first.", "error"); return; }
    const r = await B.api("/bastion/v1/consents/lookup", { method: "POST", body: { subject } });
    const tbody = document.querySelector("#consents tbody");
    if (!r.ok) { tbody.replaceChildren(); B.say("lookup-status", B.errorText(r), "error"); return; }
    const list = r.body.data || [];
    B.rows(tbody, list, (c) => [c.purpose, c.state, c.basis, c.evidence || "", c.expires_at ? when(c.expires_at) : "never",
      when(c.updated_at), c.updated_by || "",
      c.state === "granted" && canChange() ? B.el("button", { type: "button", class: "danger withdraw", "aria-label": `Withdraw ${c.purpose}`,
        onclick: () => change({ purpose: c.purpose, state: "withdrawn", basis: c.basis }) }, "Withdraw") : ""]);
    B.say("lookup-status", list.length ? `${list.length} record(s).` : "No consent records for this subject.", "ok");
  }

  async function change(fields) {
    const subject = subjectInput().value.trim();
    if (!subject) { B.say("change-status", "Type the subject id in the look-up form first.", "error"); return; }
    const r = await B.api("/bastion/v1/consents", { method: "POST", body: { subject, ...fields } });
    if (!r.ok) { B.say("change-status", B.errorText(r), "error"); return; }
    const p = r.body.propagation || {};
    B.say("change-status", `${r.body.purpose}: ${r.body.state} (${r.body.basis})`
      + (p.confirmed === false ? "; a replica has not confirmed yet" : "; applied by every replica") + ".", "ok");
    await lookup();
  }

  function consents() {
    document.getElementById("lookup").addEventListener("submit", (ev) => { ev.preventDefault(); lookup(); });
    const form = document.getElementById("change");
    if (form) form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const f = Object.fromEntries(new FormData(form).entries());
      const state = ev.submitter && ev.submitter.value === "withdrawn" ? "withdrawn" : "granted";
      const body = { purpose: f.purpose, state, basis: f.basis };
      if (f.evidence) body.evidence = f.evidence;
      if (f.expires) body.expires_at = new Date(f.expires).toISOString();
      change(body);
    });
    B.ready();
  }

  // ---- data-subject requests -----------------------------------------------------------------------------
  const purpose = () => ({ "X-Bastion-Purpose": B.meta("subject-purpose") });
  const dsrSubject = () => document.getElementById("d-subject").value.trim();
  let exportUrl = null;

  async function requests(before) {
    const r = await B.api("/bastion/v1/subjects/requests?limit=50" + (before ? "&before=" + encodeURIComponent(before) : ""));
    if (!r.ok) { B.say("dsr-status", B.errorText(r), "error"); return; }
    const tbody = document.querySelector("#requests tbody");
    const rows = (r.body.data || []).map((q) => B.el("tr", {}, [q.id, q.kind, q.subject || "—", when(q.requested_at),
      q.requested_by, q.outcome, q.audit_index === null || q.audit_index === undefined ? "—"
        : B.el("a", { href: "/console/audit/entries/" + encodeURIComponent(q.audit_index) }, String(q.audit_index))]
      .map((c) => B.el("td", {}, c))));
    if (before) tbody.append(...rows); else tbody.replaceChildren(...rows);
    const older = document.getElementById("older-requests");
    older.hidden = !r.body.next_before;
    older.dataset.before = r.body.next_before || "";
  }

  async function exportSubject() {
    const subject = dsrSubject();
    if (!subject) { B.say("dsr-status", "Type a subject id first.", "error"); return; }
    const r = await B.api("/bastion/v1/subjects/export", { method: "POST", body: { subject }, headers: purpose(), raw: true });
    const text = new TextDecoder().decode(r.body);
    if (!r.ok) { B.say("dsr-status", B.errorText({ ...r, body: safeJson(text) }), "error"); await requests(); return; }
    const doc = safeJson(text) || {};
    const b = doc.bundle || {};
    if (exportUrl) URL.revokeObjectURL(exportUrl);
    // the server's bytes as they came: the signed manifest covers them
    exportUrl = URL.createObjectURL(new Blob([r.body], { type: "application/json" }));
    const link = document.getElementById("export-download");
    link.setAttribute("href", exportUrl);
    document.getElementById("export-link").hidden = false;
    B.say("dsr-status", `Exported (request ${r.requestId}): ${(b.consents || []).length} consent record(s), `
      + `${(b.pseudonym_vault || []).length} vault entr(ies), ${((b.audit || {}).entries || []).length} audit entr(ies).`, "ok");
    await requests();
  }

  function safeJson(text) { try { return JSON.parse(text); } catch { return null; } }

  function askErase() {
    const subject = dsrSubject();
    if (!subject) { B.say("dsr-status", "Type a subject id first.", "error"); return; }
    document.getElementById("erase-subject").textContent = subject;
    document.getElementById("erase-confirm").hidden = false;
    document.getElementById("erase-no").focus();
  }

  async function erase() {
    const subject = document.getElementById("erase-subject").textContent;
    document.getElementById("erase-confirm").hidden = true;
    const r = await B.api("/bastion/v1/subjects/erase", { method: "POST", body: { subject }, headers: purpose() });
    if (!r.ok) { B.say("dsr-status", B.errorText(r), "error"); await requests(); return; }
    const counts = Object.entries(r.body.counts || {}).map(([k, v]) => `${k} ${v}`).join(", ");
    // the page keeps nothing of an erased subject: drop the export it may hold
    if (exportUrl) { URL.revokeObjectURL(exportUrl); exportUrl = null; }
    document.getElementById("export-download").removeAttribute("href");
    document.getElementById("export-link").hidden = true;
    B.say("dsr-status", `Erasure: ${r.body.outcome} (request ${r.body.request_id}`
      + (r.body.key_id ? `, key ${r.body.key_id} destroyed` : "") + (counts ? `; ${counts}` : "") + ").", "ok");
    await requests();
  }

  async function subjects() {
    document.getElementById("dsr").addEventListener("submit", (ev) => { ev.preventDefault(); exportSubject(); });
    document.getElementById("erase").addEventListener("click", askErase);
    document.getElementById("erase-yes").addEventListener("click", erase);
    document.getElementById("erase-no").addEventListener("click", () => {
      document.getElementById("erase-confirm").hidden = true;
      B.say("dsr-status", "Erasure cancelled.");
    });
    const older = document.getElementById("older-requests");
    older.addEventListener("click", () => requests(older.dataset.before));
    await requests();
    B.ready();
  }

  document.addEventListener("DOMContentLoaded", () => {
    const page = document.body.dataset.page;
    if (page === "consents") consents();
    else if (page === "subjects") subjects();
  });
})();
