#!/usr/bin/env python3
"""Builds testdata/benign/benign_prompts.jsonl: ordinary prompts (no injections) for the false-alarm figures.

Public sources are read from local git checkouts (pass their directories); see testdata/benign/README.md for the
repositories, commits and licences. Each line: {"text", "source", "lang", "split"}; split (train/dev/test, 40/30/30)
is a stable hash of the text so the same prompt always lands in the same part.
Usage: make_benign_set.py GSM8K SELF_INSTRUCT MBPP HUMAN_EVAL XQUAD MMLU_CS OUT.jsonl
"""
import csv, gzip, hashlib, io, json, random, subprocess, sys

def show(repo, path, binary=False):
    out = subprocess.run(["git", "-C", repo, "show", "HEAD:" + path], check=True, capture_output=True).stdout
    return out if binary else out.decode("utf-8")

def split_of(text):
    h = int(hashlib.sha256(text.encode("utf-8")).hexdigest()[:8], 16) % 10
    return "train" if h < 4 else "dev" if h < 7 else "test"

def main():
    gsm, si, mbpp, he, xq, mmlu, out = sys.argv[1:8]
    rnd = random.Random(20261207)
    rows = []
    def add(text, source, lang):
        text = text.strip()
        if text and len(text) <= 4000:
            rows.append({"text": text, "source": source, "lang": lang})
    lines = [json.loads(l) for l in show(gsm, "grade_school_math/data/train.jsonl").splitlines() if l.strip()]
    for r in rnd.sample(lines, 500): add(r["question"], "gsm8k", "en")
    for path in ("human_eval/user_oriented_instructions.jsonl", "data/seed_tasks.jsonl"):
        for l in show(si, path).splitlines():
            if not l.strip(): continue
            r = json.loads(l)
            inp = r["instances"][0].get("input", "") if r.get("instances") else ""
            add(r["instruction"] + ("\n\n" + inp if inp and len(inp) < 1500 else ""), "self-instruct", "en")
    mb = [json.loads(l) for l in show(mbpp, "data/mbpp.jsonl").splitlines() if l.strip()]
    for r in rnd.sample(mb, 400): add(r["text"], "mbpp", "en")
    for l in gzip.decompress(show(he, "data/HumanEval.jsonl.gz", binary=True)).decode("utf-8").splitlines():
        if l.strip(): add("Complete this function:\n\n" + json.loads(l)["prompt"], "humaneval", "code")
    quota = {"en": 250, "de": 400, "es": 400, "ru": 80, "zh": 80, "tr": 80, "vi": 80, "ro": 80, "ar": 40, "hi": 40,
             "el": 40, "th": 40}
    for lang, n in quota.items():
        data = json.loads(show(xq, "xquad.%s.json" % lang))["data"]
        qs, ctx = [], []
        for art in data:
            for p in art["paragraphs"]:
                for qa in p["qas"]: qs.append((qa["question"], p["context"]))
        picked = rnd.sample(qs, n)
        for i, (q, c) in enumerate(picked):
            # one in five as a retrieval-style prompt: the passage, then the question
            if i % 5 == 0: add(c + "\n\n" + q, "xquad-context", lang)
            else: add(q, "xquad", lang)
    for r in csv.reader(io.StringIO(show(mmlu, "computer_security_test.csv"))):
        if r and r[0] != "Question": add(r[0], "mmlu-computer-security", "en")
    seen, final = set(), []
    for r in rows:
        if r["text"] in seen: continue
        seen.add(r["text"])
        r["split"] = split_of(r["text"])
        final.append(r)
    with open(out, "w", encoding="utf-8") as f:
        for r in final: f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(len(final), "prompts ->", out)

main()
