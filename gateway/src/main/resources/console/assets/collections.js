// Document collections: list and create; one collection's documents (metadata only), upload with progress, delete.
// The API decides who may: collections.read to see, collections.manage to create, documents.manage to upload/delete.
"use strict";
(() => {
  const BASE = "/bastion/v1/collections/";
  let current = null;

  function rule(a) {
    const parts = [(a.roles || []).length ? "roles " + a.roles.join(", ") : "any role"];
    if (a.purposes) parts.push("purposes " + a.purposes.join(", "));
    if (a.when) parts.push("when " + a.when);
    return parts.join("; ");
  }

  async function list() {
    const r = await B.api("/bastion/v1/collections");
    if (!r.ok) { B.say("collections-status", B.errorText(r), "error"); return; }
    B.rows(document.querySelector("#collections tbody"), r.body.collections, (c) => [
      B.el("button", { type: "button", class: "link", "aria-label": `Documents of ${c.name}`, onclick: () => open(c.name) }, c.name),
      c.classification, rule(c.access || {}), c.personal_data, c.retention_days ? c.retention_days + " days" : "until deleted", c.owner,
      B.el("button", { type: "button", class: "danger", "aria-label": `Delete collection ${c.name}`, onclick: () => removeCollection(c.name) }, "Delete")]);
  }

  async function open(name) {
    current = name;
    document.getElementById("documents-section").hidden = false;
    document.getElementById("docs-h").textContent = "Documents of " + name;
    const r = await B.api(BASE + encodeURIComponent(name) + "/documents");
    if (!r.ok) { B.say("documents-status", B.errorText(r), "error"); return; }
    B.rows(document.querySelector("#documents tbody"), r.body.documents, (d) => [d.id, d.source, d.classification,
      String(d.pages), String(d.chunks), Object.entries(d.findings || {}).map(([k, v]) => `${k} ${v}`).join(", ") || "none",
      d.personal_data, (d.digest || "").slice(0, 19),
      B.el("button", { type: "button", class: "danger", "aria-label": `Delete document ${d.source}`, onclick: () => removeDocument(d) }, "Delete")]);
  }

  async function removeCollection(name) {
    if (!confirm(`Delete collection ${name} with all its documents? Their text leaves the store and the index.`)) return;
    const r = await B.api(BASE + encodeURIComponent(name), { method: "DELETE" });
    B.say("collections-status", r.ok ? `Collection ${name} deleted (${r.body.documents} documents).` : B.errorText(r), r.ok ? "ok" : "error");
    if (r.ok && current === name) document.getElementById("documents-section").hidden = true;
    list();
  }

  async function removeDocument(d) {
    if (!confirm(`Delete ${d.source} (${d.id})?`)) return;
    const r = await B.api(BASE + encodeURIComponent(current) + "/documents/" + encodeURIComponent(d.id), { method: "DELETE" });
    B.say("documents-status", r.ok ? `Document ${d.id} deleted.` : B.errorText(r), r.ok ? "ok" : "error");
    open(current);
  }

  function base64(bytes) {
    let s = "";
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(s);
  }

  async function upload(form) {
    const f = Object.fromEntries(new FormData(form).entries());
    const files = Array.from(document.getElementById("d-files").files);
    const bar = document.getElementById("upload-progress");
    bar.hidden = false;
    bar.max = files.length;
    bar.value = 0;
    const done = [];
    for (const file of files) {
      const body = { source: file.name, content_base64: base64(new Uint8Array(await file.arrayBuffer())) };
      if (f.classification) body.classification = f.classification;
      if (B.list(f.roles).length) body.acl = { roles: B.list(f.roles) };
      const r = await B.api(BASE + encodeURIComponent(current) + "/documents", { method: "POST", body });
      if (!r.ok) { B.say("documents-status", `${file.name}: ${B.errorText(r)}`, "error"); break; }
      done.push(`${file.name}: ${r.body.duplicate ? "already there" : r.body.chunks + " chunks"}`);
      bar.value += 1;
      B.say("documents-status", `Uploaded ${done.join("; ")}.`, "ok");
    }
    form.reset();
    open(current);
  }

  document.addEventListener("DOMContentLoaded", async () => {
    const form = document.getElementById("create-collection");
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const f = Object.fromEntries(new FormData(form).entries());
      const access = { roles: B.list(f.roles) };
      if (B.list(f.purposes).length) access.purposes = B.list(f.purposes);
      const body = { name: f.name, classification: f.classification, access, personal_data: f.personal_data,
        retention_days: Number(f.retention_days || 0) };
      const r = await B.api("/bastion/v1/collections", { method: "POST", body });
      B.say("collections-status", r.ok ? `Collection ${r.body.name} created.` : B.errorText(r), r.ok ? "ok" : "error");
      if (r.ok) form.reset();
      list();
    });
    document.getElementById("upload").addEventListener("submit", (ev) => { ev.preventDefault(); upload(ev.target); });
    await list();
    B.ready();
  });
})();
