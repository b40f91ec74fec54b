// Verifying Bastion's audit log in the browser with WebCrypto only: C2SP signed notes (Ed25519), tlog-checkpoint
// bodies, tlog-tiles entry bundles, RFC 6962 / RFC 9162 inclusion and consistency proofs.
"use strict";
const Tlog = (() => {
  const enc = new TextEncoder();
  const b64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
  const hex = (u8) => Array.from(u8, (b) => b.toString(16).padStart(2, "0")).join("");
  const concat = (...parts) => { const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0)); let o = 0; for (const p of parts) { out.set(p, o); o += p.length; } return out; };
  const equal = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
  const sha256 = async (u8) => new Uint8Array(await crypto.subtle.digest("SHA-256", u8));
  const leafHash = (entry) => sha256(concat(Uint8Array.of(0), entry));
  const nodeHash = (l, r) => sha256(concat(Uint8Array.of(1), l, r));

  /** A C2SP verifier key: name+keyhash+base64(0x01 ‖ 32-byte Ed25519 public key). */
  async function verifierKey(vkey) {
    const m = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/.exec(vkey || "");
    if (!m) throw new Error("verifier key is not name+hash+key");
    const parts = m.slice(1);
    const raw = b64(parts[2]);
    if (raw.length !== 33 || raw[0] !== 1) throw new Error("verifier key is not an Ed25519 key");
    const id = (await sha256(concat(enc.encode(parts[0]), Uint8Array.of(0x0a), raw))).slice(0, 4);
    if (hex(id) !== parts[1]) throw new Error("verifier key hash does not match its key");
    const key = await crypto.subtle.importKey("raw", raw.slice(1), { name: "Ed25519" }, false, ["verify"]);
    return { name: parts[0], id, key };
  }

  /** Opens a signed note: the text, if a signature line by vkey verifies over it; else throws. */
  async function openNote(noteText, vkey) {
    const k = await verifierKey(vkey);
    const split = noteText.lastIndexOf("\n\n");
    if (split < 0 || !noteText.endsWith("\n")) throw new Error("not a signed note");
    const text = noteText.slice(0, split + 1);
    for (const line of noteText.slice(split + 2, -1).split("\n")) {
      const m = /^\u2014 (\S+) (\S+)$/.exec(line);
      if (!m || m[1] !== k.name) continue;
      const raw = b64(m[2]);
      if (raw.length !== 68 || !equal(raw.slice(0, 4), k.id)) continue;
      if (await crypto.subtle.verify({ name: "Ed25519" }, k.key, raw.slice(4), enc.encode(text))) return text;
      throw new Error("the checkpoint's signature does not verify with the verifier key");
    }
    throw new Error("the checkpoint carries no signature by the verifier key");
  }

  function checkpoint(text) {
    const lines = text.split("\n");
    if (lines.length < 4 || !/^(0|[1-9][0-9]*)$/.test(lines[1])) throw new Error("not a checkpoint");
    const root = b64(lines[2]);
    if (root.length !== 32) throw new Error("checkpoint root is not 32 bytes");
    return { origin: lines[0], size: Number(lines[1]), root, rootB64: lines[2] };
  }

  /** tlog-tiles path of the entry bundle holding leaf `index` in a tree of `size`. */
  function entriesPath(index, size) {
    const tile = Math.floor(index / 256);
    const width = Math.min(256, size - tile * 256);
    let digits = String(tile);
    digits = "0".repeat((3 - (digits.length % 3)) % 3) + digits;
    const groups = digits.match(/.{3}/g);
    const path = groups.map((g, i) => (i < groups.length - 1 ? "x" + g : g)).join("/");
    return "tile/entries/" + path + (width < 256 ? ".p/" + width : "");
  }

  function bundle(bytes) {
    const out = [];
    for (let p = 0; p < bytes.length;) {
      if (p + 2 > bytes.length) throw new Error("entry bundle ends inside a length");
      const n = (bytes[p] << 8) | bytes[p + 1];
      p += 2;
      if (p + n > bytes.length) throw new Error("entry bundle ends inside an entry");
      out.push(bytes.slice(p, p + n));
      p += n;
    }
    return out;
  }

  const odd = (n) => n % 2 === 1;
  const half = (n) => Math.floor(n / 2);

  /** RFC 9162 §2.1.3.2. */
  async function verifyInclusion(index, size, leaf, proof, root) {
    if (index >= size) return false;
    let fn = index, sn = size - 1, r = leaf;
    for (const p of proof) {
      if (sn === 0) return false;
      if (odd(fn) || fn === sn) {
        r = await nodeHash(p, r);
        if (!odd(fn)) while (!odd(fn) && fn !== 0) { fn = half(fn); sn = half(sn); }
      } else {
        r = await nodeHash(r, p);
      }
      fn = half(fn); sn = half(sn);
    }
    return sn === 0 && equal(r, root);
  }

  /** RFC 9162 §2.1.4.2. */
  async function verifyConsistency(first, second, firstRoot, secondRoot, proof) {
    if (first > second) return false;
    if (first === second) return proof.length === 0 && equal(firstRoot, secondRoot);
    if (first === 0) return proof.length === 0;
    if (proof.length === 0) return false;
    let n = first;
    while (n % 2 === 0) n /= 2;
    const path = n === 1 ? [firstRoot, ...proof] : proof;
    let fn = first - 1, sn = second - 1;
    while (odd(fn)) { fn = half(fn); sn = half(sn); }
    let fr = path[0], sr = path[0];
    for (const c of path.slice(1)) {
      if (sn === 0) return false;
      if (odd(fn) || fn === sn) {
        fr = await nodeHash(c, fr);
        sr = await nodeHash(c, sr);
        if (!odd(fn)) while (!odd(fn) && fn !== 0) { fn = half(fn); sn = half(sn); }
      } else {
        sr = await nodeHash(sr, c);
      }
      fn = half(fn); sn = half(sn);
    }
    return sn === 0 && equal(fr, firstRoot) && equal(sr, secondRoot);
  }

  return { b64, hex, leafHash, openNote, checkpoint, entriesPath, bundle, verifyInclusion, verifyConsistency, verifierKey };
})();
