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

  const table = (id, caption, heads, rows) => B.el("table", { id }, B.el("caption", {}, caption),
    B.el("thead", {}, B.el("tr", {}, heads.map((h) => B.el("th", { scope: "col" }, h)))),
    B.el("tbody", {}, rows.map((r) => B.el("tr", {}, r.map((c) => B.el("td", {}, String(c)))))));

  /** Backend state (routing API) and budget use (quota API), where the viewer may read them (config.read). */
  async function backends() {
    const [routing, quotas] = await Promise.all([B.api("/bastion/v1/routing"), B.api("/bastion/v1/quotas")]);
    const parts = [];
    if (routing.ok && Array.isArray(routing.body.backends)) {
      parts.push(table("backend-state", "Backends now", ["Backend", "In rotation", "Why not", "In flight", "Queued", "Ejections"],
        routing.body.backends.map((b) => [b.name, b.in_rotation ? "yes" : "no", b.out_because || "", b.in_flight, b.queued, b.ejections])));
    }
    if (quotas.ok && Array.isArray(quotas.body.counters)) {
      parts.push(table("budgets-now", "Quota and budget use, current windows", ["Rule", "Limit", "Scope", "Used", "Reserved", "Of", "Use"],
        quotas.body.counters.map((c) => [c.rule, c.limit, c.scope, c.used, c.reserved, c.limit_value,
          c.limit_value ? (100 * c.used / c.limit_value).toFixed(0) + " %" : ""])));
    }
    if (parts.length) document.getElementById("budgets").replaceChildren(...parts);
  }

  document.addEventListener("DOMContentLoaded", async () => {
    document.getElementById("window-form").addEventListener("submit", (ev) => { ev.preventDefault(); draw(); });
    await draw();
    B.ready();
  });
})();
