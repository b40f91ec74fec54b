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
