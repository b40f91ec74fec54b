// API keys: list, create (the secret is shown once, then dropped from the page), revoke.
"use strict";
(() => {
  async function load() {
    const r = await B.api("/bastion/v1/keys");
    if (!r.ok) { B.say("key-status", B.errorText(r), "error"); return; }
    const keys = r.body.data || r.body.keys || [];
    B.rows(document.querySelector("#keys tbody"), keys, (k) => [k.id, k.name, (k.roles || []).join(", "),
      (k.models || []).join(", ") || "any", k.created_at || "", k.expires_at || "never", k.revoked_at ? "revoked" : "active",
      k.revoked_at ? "" : B.el("button", { type: "button", class: "danger", "aria-label": `Revoke key ${k.name}`, onclick: () => revoke(k) }, "Revoke")]);
  }

  async function revoke(k) {
    if (!confirm(`Revoke key ${k.name} (${k.id})? Clients using it stop working at once.`)) return;
    const r = await B.api("/bastion/v1/keys/" + encodeURIComponent(k.id), { method: "DELETE" });
    B.say("key-status", r.ok ? `Key ${k.id} revoked.` : B.errorText(r), r.ok ? "ok" : "error");
    load();
  }

  document.addEventListener("DOMContentLoaded", async () => {
    const form = document.getElementById("create-key");
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const f = Object.fromEntries(new FormData(form).entries());
      const body = { name: f.name, roles: B.list(f.roles) };
      if (B.list(f.models).length) body.models = B.list(f.models);
      if (f.days) body.expires_in_days = Number(f.days);
      const r = await B.api("/bastion/v1/keys", { method: "POST", body });
      if (!r.ok) { B.say("key-status", B.errorText(r), "error"); return; }
      document.getElementById("new-key-value").textContent = r.body.key;
      document.getElementById("new-key").hidden = false;
      B.say("key-status", `Key ${r.body.id} created.`, "ok");
      form.reset();
      load();
    });
    document.getElementById("copy-key").addEventListener("click", () => navigator.clipboard.writeText(document.getElementById("new-key-value").textContent));
    document.getElementById("hide-key").addEventListener("click", () => {
      document.getElementById("new-key-value").textContent = "";
      document.getElementById("new-key").hidden = true;
    });
    await load();
    B.ready();
  });
})();
