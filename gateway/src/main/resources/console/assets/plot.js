// Line plots as SVG, drawn with DOM calls (no library): time on x, series coloured by CSS class, a legend, and a
// summary for screen readers.
"use strict";
const Plot = (() => {
  const NS = "http://www.w3.org/2000/svg";
  const W = 640, H = 220, L = 48, R = 12, T = 12, BOT = 28;
  const svg = (tag, attrs, text) => { const e = document.createElementNS(NS, tag); for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v); if (text !== undefined) e.textContent = text; return e; };
  const fmt = (v) => (v >= 1000 ? (v / 1000).toFixed(1) + "k" : v >= 10 ? v.toFixed(0) : v.toFixed(1));
  const hhmm = (ms) => new Date(ms).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });

  /** Draws `series` ({label: [values|null]}) over `times` (epoch ms) into `figure`, replacing an earlier plot. */
  function lines(figure, times, series, unit) {
    for (const old of figure.querySelectorAll("svg, .legend, .empty")) old.remove();
    const labels = Object.keys(series).sort();
    const caption = figure.querySelector("figcaption");
    if (!labels.length) { figure.insertBefore(B.el("p", { class: "empty" }, "Nothing in this window."), caption); return; }
    let max = 0;
    for (const l of labels) for (const v of series[l]) if (v != null && v > max) max = v;
    if (max === 0) max = 1;
    const x = (i) => L + (i * (W - L - R)) / Math.max(1, times.length - 1);
    const y = (v) => T + (H - T - BOT) * (1 - v / max);
    const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", class: "plot" });
    const totals = labels.map((l) => `${l}: peak ${fmt(Math.max(...series[l].map((v) => v || 0)))}${unit ? " " + unit : ""}`);
    root.append(svg("title", {}, (caption ? caption.textContent : "plot") + ". " + totals.join("; ")));
    for (const f of [0, 0.5, 1]) {
      root.append(svg("line", { x1: L, x2: W - R, y1: y(max * f), y2: y(max * f), class: "grid" }));
      root.append(svg("text", { x: L - 6, y: y(max * f) + 4, class: "tick", "text-anchor": "end" }, fmt(max * f)));
    }
    [[0, "start"], [Math.floor((times.length - 1) / 2), "middle"], [times.length - 1, "end"]].forEach(([i, anchor]) =>
      root.append(svg("text", { x: x(i), y: H - 8, class: "tick", "text-anchor": anchor }, hhmm(times[i]))));
    labels.forEach((l, k) => {
      let d = "";
      series[l].forEach((v, i) => { if (v == null) return; d += (d && series[l][i - 1] != null ? "L" : "M") + x(i).toFixed(1) + " " + y(v).toFixed(1); });
      root.append(svg("path", { d, class: "series s" + (k % 8), fill: "none" }));
    });
    const legend = B.el("ul", { class: "legend" }, labels.map((l, k) => B.el("li", { class: "s" + (k % 8) }, l)));
    figure.insertBefore(root, caption);
    figure.insertBefore(legend, caption);
  }

  return { lines };
})();
