// Audit explorer and entry detail: entries come from the log's own tiles (or the search API where the server has
// one); every checkpoint is checked with the verifier key, and an entry's verification runs here, with WebCrypto.
"use strict";
(() => {
  const BASE = "/bastion/v1/audit/";
  const PAGE = 50;
  const MAX_TILES_PER_SCAN = 64;
  const vkey = B.meta("audit-verifier-key");
  const vsource = B.meta("audit-verifier-source");
  const tiles = new Map();
  let cp = null;

  const parse = (bytes) => { try { return JSON.parse(new TextDecoder().decode(bytes)); } catch { return { kind: "unreadable" }; } };
  const shortKind = (k) => (k || "").replace(/^bastion\.audit\./, "").replace(/\/v\d+$/, "");

  async function loadCheckpoint() {
    const r = await B.api(BASE + "checkpoint", { raw: true });
    if (!r.ok) throw new Error("checkpoint: HTTP " + r.status);
    const note = new TextDecoder().decode(r.body);
    return { note, ...Tlog.checkpoint(await Tlog.openNote(note, vkey)) };
  }

  async function tile(t) {
    if (tiles.has(t)) return tiles.get(t);
    const r = await B.api(BASE + Tlog.entriesPath(t * 256, cp.size), { raw: true });
    if (!r.ok) throw new Error("entries tile " + t + ": HTTP " + r.status);
    const list = Tlog.bundle(r.body).map((bytes, i) => ({ index: t * 256 + i, bytes, json: parse(bytes) }));
    tiles.set(t, list);
    return list;
  }

  /** Whether this checkpoint extends the last one this browser saw of the same log (kept in localStorage). */
  async function consistency(c) {
    const key = "bastion-audit-seen:" + c.origin;
    let seen = null;
    try { seen = JSON.parse(localStorage.getItem(key) || "null"); } catch { seen = null; }
    let ok, text;
    if (!seen) { ok = true; text = "First checkpoint of this log seen by this browser: remembered for next time."; }
    else if (seen.size > c.size) { ok = false; text = `This browser saw a larger tree (${seen.size} entries) before: the log went back.`; }
    else if (seen.size === c.size) { ok = seen.root === c.rootB64; text = ok ? "Same tree as last seen by this browser." : "Same size as last seen but another root: the log forked."; }
    else if (seen.size === 0) { ok = true; text = "Extends the empty tree this browser saw."; }
    else {
      const r = await B.api(`${BASE}proof/consistency?from=${seen.size}&to=${c.size}`);
      ok = r.ok && await Tlog.verifyConsistency(seen.size, c.size, Tlog.b64(seen.root), c.root, r.body.proof.map(Tlog.b64));
      text = ok ? `Consistent with the tree of ${seen.size} entries this browser saw on ${seen.at}.`
        : `NOT consistent with the tree of ${seen.size} entries this browser saw on ${seen.at}.`;
    }
    if (ok && (!seen || c.size >= seen.size)) localStorage.setItem(key, JSON.stringify({ size: c.size, root: c.rootB64, at: new Date().toISOString() }));
    return { ok, text };
  }

  function decisionOf(e) {
    if (e.decision && e.decision.effect) return e.decision.effect;
    if (e.error_code) return e.error_code;
    return e.outcome || "";
  }

  function findingsOf(e) {
    return Object.entries(e.findings || {}).map(([t, n]) => `${t}×${n}`).join(", ");
  }

  function row(item) {
    const e = item.json;
    return B.el("tr", {}, B.el("td", {}, B.el("a", { href: "/console/audit/entries/" + item.index }, String(item.index))),
      B.el("td", {}, e.time || ""), B.el("td", {}, shortKind(e.kind)), B.el("td", {}, (e.principal && e.principal.id) || ""),
      B.el("td", {}, e.action || ""), B.el("td", {}, (e.model && e.model.alias) || ""), B.el("td", {}, decisionOf(e)),
      B.el("td", {}, findingsOf(e)));
  }

  function matches(e, f) {
    const has = (v, q) => !q || (v || "").toLowerCase().includes(q.toLowerCase());
    if (!has(e.principal && e.principal.id, f.principal) || !has(e.action, f.action) || !has(e.model && e.model.alias, f.model)) return false;
    if (f.kind && shortKind(e.kind) !== f.kind) return false;
    if (f.finding && !Object.keys(e.findings || {}).some((t) => t.toLowerCase() === f.finding.toLowerCase())) return false;
    if (f.decision === "permit" && !(e.decision && e.decision.effect === "permit")) return false;
    if (f.decision === "deny" && !(shortKind(e.kind) === "refused" || (e.decision && e.decision.effect !== "permit"))) return false;
    if (f.from && (e.time || "") < f.from) return false;
    if (f.to && (e.time || "") > f.to) return false;
    return true;
  }

  // ---- the explorer ----------------------------------------------------------------------------------------
  let cursor = -1;
  let filters = {};

  function readFilters() {
    const form = document.getElementById("search");
    const f = Object.fromEntries(new FormData(form).entries());
    for (const k of ["from", "to"]) if (f[k]) f[k] = new Date(f[k]).toISOString();
    return Object.fromEntries(Object.entries(f).filter(([, v]) => v));
  }

  /** The newest tile whose first entry is not later than `to` (entries are appended in time order). */
  async function tileAtOrBefore(to, last) {
    let lo = 0, hi = last;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      const first = (await tile(mid))[0].json.time || "";
      if (first <= to) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  async function serverSearch(f) {
    const q = new URLSearchParams({ ...f, limit: String(PAGE) });
    const r = await B.api(BASE + "search?" + q);
    if (r.status === 404 && r.body && r.body.error && r.body.error.code === "not_found") return null;
    if (!r.ok) throw new Error(B.errorText(r));
    return r.body.results.filter((x) => x.entry).map((x) => ({ index: x.index, json: x.entry }));
  }

  async function scan(fresh) {
    const tbody = document.querySelector("#entries tbody");
    const older = document.getElementById("older");
    if (fresh) {
      tbody.replaceChildren();
      filters = readFilters();
      const last = Math.floor((cp.size - 1) / 256);
      cursor = cp.size === 0 ? -1 : filters.to ? await tileAtOrBefore(filters.to, last) : last;
      const searching = Object.keys(filters).length > 0;
      if (searching) {
        const found = await serverSearch(filters).catch((e) => { B.say("search-status", e.message, "error"); return []; });
        if (found) {
          tbody.append(...found.map(row));
          B.say("search-status", `${found.length} entries found by the server's search index.`);
          older.hidden = true;
          return;
        }
      }
    }
    let shown = 0, scanned = 0;
    while (cursor >= 0 && shown < PAGE && scanned < MAX_TILES_PER_SCAN) {
      const list = await tile(cursor);
      const hits = list.filter((x) => matches(x.json, filters)).reverse();
      tbody.append(...hits.map(row));
      shown += hits.length;
      scanned++;
      cursor--;
      if (filters.from && (list[0].json.time || "") < filters.from) cursor = -1;
    }
    older.hidden = cursor < 0;
    B.say("search-status", `${tbody.children.length} entries shown` + (cursor >= 0 ? `; older entries remain (${(cursor + 1) * 256} before).` : "; no older entries match."));
  }

  async function explorer() {
    try {
      cp = await loadCheckpoint();
      B.facts(document.getElementById("checkpoint"), [["Log", cp.origin], ["Entries", String(cp.size)], ["Root hash", cp.rootB64],
        ["Signature", `verified with ${vsource === "configured" ? "the configured" : "the server's own"} verifier key`]]);
      const c = await consistency(cp);
      B.say("consistency", c.text, c.ok ? "ok" : "error");
      await scan(true);
    } catch (e) {
      B.say("consistency", "Checkpoint NOT verified: " + e.message, "error");
    }
    document.getElementById("search").addEventListener("submit", (ev) => { ev.preventDefault(); scan(true).catch((e) => B.say("search-status", e.message, "error")); });
    document.getElementById("search").addEventListener("reset", () => setTimeout(() => scan(true), 0));
    document.getElementById("older").addEventListener("click", () => scan(false).catch((e) => B.say("search-status", e.message, "error")));
    B.ready();
  }

  // ---- one entry ---------------------------------------------------------------------------------------------
  async function entryPage() {
    const index = Number(B.meta("entry-index"));
    document.getElementById("verifier-key").textContent = vkey;
    document.getElementById("verifier-source").textContent = vsource === "configured"
      ? "from Bastion's configuration" : "the log's own key as served by this server: not an independent check";
    const steps = document.getElementById("verify-steps");
    const step = (ok, text) => steps.append(B.el("li", { "data-ok": String(ok) }, (ok ? "✔ " : "✘ ") + text));
    const verdict = (ok, text) => { const v = document.getElementById("verdict"); v.textContent = text; v.dataset.result = ok ? "verified" : "failed"; };
    try {
      cp = await loadCheckpoint();
      if (index >= cp.size) { verdict(false, "This entry is not in the latest checkpoint yet."); B.ready(); return; }
      const item = (await tile(Math.floor(index / 256)))[index % 256];
      const e = item.json;
      B.facts(document.getElementById("entry-fields"), [["Index", String(index)], ["Kind", e.kind], ["Time", e.time],
        ["Request id", e.request_id], ["Principal", e.principal && `${e.principal.id} (${(e.principal.roles || []).join(", ")}; ${e.principal.auth})`],
        ["Action", e.action], ["Model", e.model && e.model.alias], ["Decision", decisionOf(e)],
        ["Rules", e.decision && (e.decision.rules || []).join(", ")], ["Findings", findingsOf(e)], ["Outcome", e.outcome || (e.status && String(e.status))]]);
      document.getElementById("entry-json").textContent = JSON.stringify(e, null, 2);
    } catch (err) {
      verdict(false, "FAILED: " + err.message);
    }
    document.getElementById("verify").addEventListener("click", async () => {
      steps.replaceChildren();
      document.getElementById("verdict").textContent = "Verifying…";
      try {
        tiles.clear();
        cp = await loadCheckpoint();
        step(true, `Checkpoint signature verified (${cp.origin}, ${cp.size} entries).`);
        const item = (await tile(Math.floor(index / 256)))[index % 256];
        const leaf = await Tlog.leafHash(item.bytes);
        step(true, "Leaf hash of the entry computed: " + Tlog.hex(leaf));
        const r = await B.api(`${BASE}proof/inclusion?index=${index}&size=${cp.size}`);
        if (!r.ok) throw new Error("inclusion proof: " + B.errorText(r));
        const included = await Tlog.verifyInclusion(index, cp.size, leaf, r.body.proof.map(Tlog.b64), cp.root);
        step(included, included ? `Inclusion proof verified (${r.body.proof.length} hashes).` : "Inclusion proof does NOT lead to the checkpoint's root: the entry shown is not the one in the log.");
        const c = await consistency(cp);
        step(c.ok, c.text);
        verdict(included && c.ok, included && c.ok ? "Verified: this entry is in the signed log, which extends what this browser saw before." : "FAILED: see the steps below.");
      } catch (err) {
        step(false, err.message);
        verdict(false, "FAILED: " + err.message);
      }
    });
    B.ready();
  }

  document.addEventListener("DOMContentLoaded", () => (document.body.dataset.page === "entry" ? entryPage() : explorer()));
})();
