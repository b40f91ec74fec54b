#!/usr/bin/env python3
"""Builds testdata/lookalike/lookalike_negatives.jsonl: sentences full of things that look like personal data but are
not (catalogue numbers, order and build ids, configuration values, method, class and lab names, field labels and
abbreviations such as SSN/DOB, PEM and base64 bodies, code identifiers, version strings, hashes). Ours (project
licence). Each line {"text", "kind", "split", "allow"}; split dev/test 50/50 by a SHA-256 of the text. Any finding on
one of these texts is a false finding, except those "allow" lists as [type, text] (a laboratory's name is an
organisation; only as a person, place or address would it be false). Usage: make_lookalike_set.py OUT.jsonl"""
import base64, hashlib, json, random, sys

R = random.Random(20261207)
ALLOW = []

def digits(n): return "".join(R.choice("0123456789") for _ in range(n))
def hexs(n): return "".join(R.choice("0123456789abcdef") for _ in range(n))
def upper(n): return "".join(R.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(n))
def b64(n): return base64.b64encode(bytes(R.getrandbits(8) for _ in range(n))).decode()

def catalogue():
    return R.choice([
        "Please reorder catalogue number %s-%s-%s, we are out of stock." % (digits(4), digits(3), upper(1)),
        "The part is listed as Cat. No. %s in the 2026 brochure." % digits(8),
        "SKU %s is discontinued; use SKU %s instead." % (digits(9), digits(9)),
        "Item %s-%s ships in boxes of 12." % (upper(3), digits(5)),
        "Order the reagent under product code %s%s." % (upper(2), digits(6)),
        "ISBN %s-%s-%s-%s-%s is the second edition." % ("978", digits(1), digits(3), digits(5), digits(1)),
        "Replacement filter model %s-%s fits the older units." % (upper(2), digits(4)),
        "The catalog lists lot %s, expiry 2027-03." % digits(7),
    ])

def order():
    return R.choice([
        "Where is order %s-%s-%s? It said two days." % (digits(3), digits(7), digits(7)),
        "Order #%s was refunded yesterday." % digits(10),
        "Invoice INV-%s-%s is still open." % (digits(4), digits(5)),
        "Ticket %s-%s was closed as a duplicate." % (upper(4), digits(4)),
        "My tracking number %s%s hasn't moved since Monday." % (upper(2), digits(9)),
        "Case %s was escalated to tier 2." % digits(8),
        "Refund reference %s should appear on the statement." % (upper(3) + digits(7)),
        "Reservation code %s for two nights." % upper(6),
    ])

def build():
    return R.choice([
        "Build %s.%s failed on the integration tests." % (digits(8), digits(1)),
        "CI run %s took 14 minutes." % digits(10),
        "Revert commit %s, it broke the parser." % hexs(7),
        "The image digest is sha256:%s." % hexs(64),
        "Deploy release %s.%s.%s to staging." % (digits(1), digits(2), digits(1)),
        "Pipeline #%s is stuck on the lint step." % digits(6),
        "Artifact %s-%s.jar is %s MB." % ("app", "%s.%s.%s" % (digits(1), digits(1), digits(2)), digits(2)),
        "Job %s was preempted at step 3." % hexs(12),
        "Run id %s-%s-%s-%s-%s is the baseline." % (hexs(8), hexs(4), hexs(4), hexs(4), hexs(12)),
    ])

def config():
    return R.choice([
        "Set max_connections=%s and shared_buffers=%sMB." % (digits(4), digits(4)),
        "timeout: %s\nretries: %s\nport: %s" % (digits(5), digits(1), R.choice(["5432", "8080", "6379", "9092"])),
        "Start the JVM with -Xmx%sg -XX:MaxMetaspaceSize=%sm." % (digits(1), digits(3)),
        "The batch size is %s and the learning rate 3e-4." % digits(3),
        "Use --heap-size %s and --threads %s." % (digits(4), digits(2)),
        "In the YAML, replicas: %s and memory: %sMi." % (digits(1), digits(4)),
        "We pinned Python %s.%s.%s and Node %s.%s.%s." % (3, digits(1), digits(1), 20, digits(2), digits(1)),
        "The cron line is 0 %s * * 1-5." % R.choice(["3", "4", "22"]),
        "Bump the chart version from %s.%s.%s to %s.%s.%s." % (digits(1), digits(1), digits(2), digits(1), digits(1), digits(2)),
        "Allowed CIDR is set by the variable ALLOWED_RANGE in the env file.",
        "The config key inspect.injection.second-stage defaults to builtin.",
    ])

METHODS = ["getUserById", "parseAddress", "findByLastName", "HttpClient.newBuilder()", "validateSsn", "formatPhoneNumber",
           "setDateOfBirth", "CustomerRepository.save", "AddressValidator", "PersonMapper.toDto", "StreetNameNormalizer",
           "Jackson.readTree", "Spring Boot", "Apache Kafka", "ElasticSearch", "Fisher–Yates shuffle", "Dijkstra's algorithm",
           "the Euler method", "Newton-Raphson", "Kalman filter", "Monte Carlo", "the Miller-Rabin test", "Gaussian elimination",
           "BirthdayParadoxTest", "EmailSender", "PhoneBook.lookup", "MainStreetService", "JohnsonBuilder"]
LABS = ["Jackson Laboratory", "Bell Labs", "Sanger Institute", "the Broad Institute", "Cold Spring Harbor Laboratory",
        "Lawrence Livermore", "the Max Planck Institute", "Janelia", "the Francis Crick Institute", "the Allen Institute"]

def names():
    m, n = R.choice(METHODS), R.choice(METHODS)
    lab = R.choice(LABS)
    global ALLOW
    ALLOW = [["ORGANIZATION", lab.replace("the ", "")]]
    return R.choice([
        "Why does %s throw a NullPointerException when the input is empty?" % m,
        "Refactor %s so that it no longer calls %s." % (m, n),
        "Explain how %s works in two sentences." % m,
        "Compare %s with %s for this use case." % (m, n),
        "The mice came from %s, strain C57BL/6J." % lab,
        "We replicated the protocol published by %s." % lab,
        "Rename %s to something clearer." % m,
        "Write a unit test for %s." % m,
    ])

LABELS = ["SSN", "DOB", "MRN", "PII", "PHI", "Name", "Address", "Phone", "E-mail", "Date of birth", "Street", "Zip",
          "Passport no.", "Account", "IBAN", "Policy number", "Member ID"]

def labels():
    a, b, c = R.sample(LABELS, 3)
    return R.choice([
        "The form has fields %s, %s and %s; which ones are mandatory?" % (a, b, c),
        "%s:\n%s:\n%s:" % (a, b, c),
        "Do not store the %s or the %s in the logs." % (a, b),
        "Add a column for %s to the CSV export." % a,
        "What does %s stand for on a medical form?" % a,
        "| %s | %s | %s |\n|---|---|---|" % (a, b, c),
        "The JSON keys are \"%s\", \"%s\" and \"%s\"." % (a.lower().replace(" ", "_"), b.lower().replace(" ", "_"), c.lower().replace(" ", "_")),
        "Mask the %s field before sending the record." % a,
    ])

def pem():
    body = "\n".join(b64(48) for _ in range(R.randint(3, 8)))
    kind = R.choice(["CERTIFICATE", "PUBLIC KEY", "CERTIFICATE REQUEST"])
    return R.choice([
        "Is this certificate valid?\n-----BEGIN %s-----\n%s\n-----END %s-----" % (kind, body, kind),
        "The attachment is base64: %s" % b64(R.randint(40, 200)),
        "Decode this: %s" % b64(R.randint(12, 60)),
        "The hash is %s and the salt %s." % (hexs(64), hexs(32)),
        "Public key fingerprint SHA256:%s" % b64(32).rstrip("="),
    ])

def code():
    return R.choice([
        "for (int i = 0; i < %s; i++) { total += prices[i] * qty[i]; }" % digits(3),
        "SELECT order_id, created_at FROM orders WHERE status = 'OPEN' AND amount > %s;" % digits(4),
        "def street_name(addr):\n    return addr.split(',')[0].strip()",
        "const dob = new Date(user.birthYear, 0, 1); // only the year is stored",
        "if ssn_field.is_empty(): raise ValueError('missing')",
        "assert parse('%s') == %s" % (digits(6), digits(6)),
        "curl -s http://localhost:8080/health | jq .status",
        "git checkout -b feature/%s-login-form" % digits(4),
        "docker run -p %s:%s app:%s.%s" % ("8080", "80", digits(1), digits(2)),
        "x = np.zeros((%s, %s)); y = x.reshape(-1)" % (digits(2), digits(2)),
    ])

def measures():
    return R.choice([
        "The tank holds %s litres and weighs %s kg." % (digits(4), digits(3)),
        "Score: %s-%s after extra time." % (digits(1), digits(1)),
        "The recipe needs %s g flour, %s ml milk and 2 eggs." % (digits(3), digits(3)),
        "Population grew from %s to %s." % (digits(7), digits(7)),
        "Room %s is on the %sth floor." % (digits(3), digits(1)),
        "The ratio was %s:%s in the control group." % (digits(2), digits(2)),
        "Flight takes %s hours %s minutes." % (digits(1), digits(2)),
        "Chapter %s, section %s.%s." % (digits(2), digits(1), digits(1)),
    ])

def split_of(text):
    return "dev" if int(hashlib.sha256(text.encode()).hexdigest()[:8], 16) % 2 == 0 else "test"

def main():
    kinds = [("catalogue", catalogue), ("order", order), ("build", build), ("config", config), ("names", names),
             ("labels", labels), ("pem_base64", pem), ("code", code), ("measures", measures)]
    global ALLOW
    seen, rows = set(), []
    for kind, f in kinds:
        n = 0
        while n < 60:
            ALLOW = []
            t = f()
            if t in seen: continue
            seen.add(t); n += 1
            allow = [a for a in ALLOW if a[1] in t]
            rows.append({"text": t, "kind": kind, "split": split_of(t), "allow": allow})
    with open(sys.argv[1], "w", encoding="utf-8") as out:
        for r in rows: out.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(len(rows), "texts")

main()
