// Dashboards from Bastion's own in-process series (GET /bastion/v1/metrics/history) over a chosen window.
"use strict";
(() => {
  const PLOTS = { "plot-requests": "requests", "plot-refusals": "refusals", "plot-findings": "findings",
    "plot-tokens": "tokens_by_key", "plot-teams": "tokens_by_team", "plot-backends": "backend_errors" };

  async function draw() {
    const w = document.getElementById("window").value;
    const r = await B.api("/bastion/v1/metrics/history?window=" + encodeURIComponent(w));
    if (!r.ok) { B.say("dash-status", B.errorText(r), "error"); return; }
    const d = r.body;
    for (const [id, name] of Object.entries(PLOTS)) Plot.lines(document.getElementById(id), d.times, d.series[name] || {}, "/min");
    const lat = Object.fromEntries(Object.entries(d.latency_ms).filter(([, v]) => v.some((x) => x != null)));
    Plot.lines(document.getElementById("plot-latency"), d.times, lat, "ms");
    B.say("dash-status", `Window ${w}: ${d.times.length} points of ${d.step_seconds} s, this server's traffic.`);
    await backends();
  }

  /** Backend state from the routing API where this server has one and the viewer may read it. */
  async function backends() {
    const r = await B.api("/bastion/v1/routing").catch(() => null);
    const p = document.getElementById("budgets");
    if (!r || !r.ok || !r.body || !Array.isArray(r.body.backends)) return;
    const table = B.el("table", { id: "backend-state" }, B.el("caption", {}, "Backends"),
      B.el("thead", {}, B.el("tr", {}, ["Backend", "State", "Detail"].map((h) => B.el("th", { scope: "col" }, h)))),
      B.el("tbody", {}, r.body.backends.map((b) => B.el("tr", {}, B.el("td", {}, b.name), B.el("td", {}, b.state || b.health || ""),
        B.el("td", {}, JSON.stringify(b.health_detail || b.detail || ""))))));
    p.replaceChildren(table);
  }

  document.addEventListener("DOMContentLoaded", async () => {
    document.getElementById("window-form").addEventListener("submit", (ev) => { ev.preventDefault(); draw(); });
    await draw();
    B.ready();
  });
})();
