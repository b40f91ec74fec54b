// Bastion console: helpers shared by every page (no framework, no inline script; DOM built with textContent only).
"use strict";
const B = (() => {
  const meta = (name) => { const m = document.querySelector(`meta[name="${name}"]`); return m ? m.content : null; };

  /** Calls Bastion's API with this session's CSRF token; a lost session goes back to sign-in. */
  async function api(path, opts = {}) {
    const headers = { Accept: "application/json" };
    const csrf = meta("csrf-token");
    if (csrf) headers["X-CSRF-Token"] = csrf;
    if (opts.body !== undefined) headers["Content-Type"] = "application/json";
    const res = await fetch(path, { method: opts.method || "GET", headers, credentials: "same-origin",
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body), cache: "no-store" });
    if (res.status === 401) { location.assign("/console/login"); throw new Error("signed out"); }
    const type = res.headers.get("content-type") || "";
    const body = opts.raw ? new Uint8Array(await res.arrayBuffer())
      : type.includes("json") ? await res.json() : await res.text();
    return { status: res.status, ok: res.ok, body, requestId: res.headers.get("x-bastion-request-id") };
  }

  /** An element: el("td", {class: "x"}, "text", child…). Attributes are set as attributes, text as text. */
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith("on")) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
    return e;
  }

  function rows(tbody, list, cells) {
    tbody.replaceChildren(...list.map((item) => el("tr", {}, cells(item).map((c) => el("td", {}, c)))));
  }

  function facts(dl, pairs) {
    dl.replaceChildren(...pairs.flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v === null || v === undefined ? "—" : v)]));
  }

  function say(id, text, kind) {
    const e = document.getElementById(id);
    if (!e) return;
    e.textContent = text;
    if (kind) e.dataset.kind = kind; else delete e.dataset.kind;
  }

  function errorText(r) {
    const e = r.body && r.body.error;
    return e ? `${e.message} (${e.code}, request ${r.requestId})` : `HTTP ${r.status}`;
  }

  const list = (s) => (s || "").split(",").map((x) => x.trim()).filter(Boolean);

  /** Marks the page interactive (for tests and the time-to-interactive figure). */
  function ready() {
    performance.mark("console-ready");
    document.body.dataset.ready = "1";
  }

  function theme() {
    const root = document.documentElement;
    const stored = localStorage.getItem("bastion-theme");
    if (stored) root.dataset.theme = stored;
    const btn = document.getElementById("theme-toggle");
    if (!btn) return;
    const dark = () => (root.dataset.theme || (matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light")) === "dark";
    const label = () => { btn.setAttribute("aria-pressed", String(dark())); btn.textContent = dark() ? "Light theme" : "Dark theme"; };
    btn.addEventListener("click", () => { root.dataset.theme = dark() ? "light" : "dark"; localStorage.setItem("bastion-theme", root.dataset.theme); label(); });
    label();
  }

  async function home() {
    const tbody = document.querySelector("#catalog tbody");
    const r = await api("/v1/models");
    if (r.ok) rows(tbody, r.body.data || [], (m) => [m.id, m.owned_by || ""]);
    ready();
  }

  document.addEventListener("DOMContentLoaded", () => {
    theme();
    const page = document.body.dataset.page;
    if (page === "home") home();
    else if (["login", "problem", "signed-in"].includes(page)) ready();
  });

  return { api, el, rows, facts, say, errorText, list, ready, meta };
})();
