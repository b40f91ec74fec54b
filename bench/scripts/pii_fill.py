"""Shared by the dev-set generators: fills one presidio template's {{kind}} slots with fake values."""
import re

SLOT = re.compile(r'\{\{([a-z_]+)\}\}')


def fill(template, faker, one):
    """Returns (text, spans) with presidio-style span dicts; slots `one` does not know stay as they are."""
    t = template.replace('\\n', '\n')
    text, spans, pos = '', [], 0
    for m in SLOT.finditer(t):
        text += t[pos:m.start()]
        gen = one(faker, m.group(1))
        if gen is None:
            text += m.group(0)
        else:
            label, fn = gen
            v = fn()
            spans.append({'entity_type': label, 'entity_value': v, 'start_position': len(text),
                          'end_position': len(text) + len(v)})
            text += v
        pos = m.end()
    text += t[pos:]
    return text, spans


def fakers_for(locales, rng, faker_class):
    """One seeded Faker per locale this Faker version knows (seeds drawn from rng, in order)."""
    out = []
    for loc in locales:
        try:
            f = faker_class(loc)
            f.seed_instance(rng.randint(0, 1 << 30))
            out.append(f)
        except Exception:
            pass  # a locale this Faker version lacks
    return out


def load_templates(path, subset):
    """(template number from 0, text) of the non-blank lines; subset 'even'/'odd' keeps every other line."""
    lines = [l.rstrip('\n') for l in open(path, encoding='utf-8', errors='replace') if l.strip()]
    return [(k - 1, t) for k, t in enumerate(lines, 1) if subset is None or (subset == 'even') == (k % 2 == 0)]
