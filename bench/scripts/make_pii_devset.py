#!/usr/bin/python3
"""Development set for the inspect detectors: fills testdata/pii/presidio_templates.txt with our own fake values
(Python Faker 0.9.3 from Debian's python3-fake-factory, several locales, fixed seed). The evaluation set
(presidio_synth_dataset_v2.json) was generated from the same templates but with other value sources; this set is
what rules were tuned on. Caveat: most PERSON/LOCATION values come from the same Faker lists the gazetteers were built
from, so dev recall for those types is optimistic; 35 % of names, cities and organisations are replaced by made-up
syllable words that no list contains, to exercise the heuristics.
Usage: /usr/bin/python3 bench/scripts/make_pii_devset.py testdata/pii/presidio_templates.txt OUT.json [N] [SEED] [--templates even|odd]
(--templates keeps only the even- or odd-numbered template lines, for measuring carry-over to unseen sentences)
"""
import json, random, re, sys
from faker import Faker
from pii_fill import fakers_for, fill, load_templates

opts = sys.argv[1:]
subset = opts[opts.index('--templates') + 1] if '--templates' in opts else None
argv = [a for a in sys.argv if not a.startswith('--') and a not in ('even', 'odd')]
tpl_path, out_path = argv[1], argv[2]
N = int(argv[3]) if len(argv) > 3 else 1500
seed = int(argv[4]) if len(argv) > 4 else 20261125
random.seed(seed)
LOCALES = ['en_US', 'en_GB', 'de_DE', 'fr_FR', 'nl_NL', 'fi_FI', 'sv_SE', 'it_IT', 'es_ES', 'pl_PL', 'pt_BR', 'da_DK', 'hu_HU']
fakers = fakers_for(LOCALES, random, Faker)
us = Faker('en_US'); us.seed_instance(seed)
templates = load_templates(tpl_path, subset)

SYL = ['ka', 'lo', 'mi', 'ra', 'ven', 'tor', 'sa', 'li', 'ne', 'bor', 'das', 'ki', 'mo', 'zel', 'ta', 'rin', 'go', 'wen',
       'fa', 'dri', 'ul', 'ix', 'ber', 'ska', 'hel', 'jo', 'pa', 'nu', 'rek', 'vi']

def synth():
    # names no gazetteer knows: tests the heuristics rather than the lists
    return ''.join(random.choice(SYL) for _ in range(random.randint(2, 3))).capitalize()

def maybe(v, full=False):
    if random.random() < 0.35:
        return synth() + (' ' + synth() if full else '')
    return v

def one(f, kind):
    g = {
        'credit_card_number': ('CREDIT_CARD', lambda: us.credit_card_number()),
        'address': ('STREET_ADDRESS', lambda: f.address()),
        'person': ('PERSON', lambda: maybe(f.name(), True)), 'name': ('PERSON', lambda: maybe(f.name(), True)),
        'name_male': ('PERSON', lambda: f.name_male()), 'name_female': ('PERSON', lambda: f.name_female()),
        'first_name': ('PERSON', lambda: maybe(f.first_name())), 'last_name': ('PERSON', lambda: maybe(f.last_name())),
        'first_name_male': ('PERSON', lambda: f.first_name_male()), 'first_name_female': ('PERSON', lambda: f.first_name_female()),
        'first_name_nonbinary': ('PERSON', lambda: f.first_name()), 'last_name_male': ('PERSON', lambda: f.last_name()),
        'last_name_female': ('PERSON', lambda: f.last_name()),
        'iban': ('IBAN_CODE', lambda: f.iban() if random.random() < .7 else f.iban().lower()),
        'country': ('GPE', lambda: f.country()), 'city': ('GPE', lambda: maybe(f.city())),
        'email': ('EMAIL_ADDRESS', lambda: f.email()), 'ip_address': ('IP_ADDRESS', lambda: f.ipv4() if random.random() < .7 else f.ipv6()),
        'phone_number': ('PHONE_NUMBER', lambda: f.phone_number()), 'organization': ('ORGANIZATION', lambda: maybe(f.company())),
        'street_name': ('STREET_ADDRESS', lambda: f.street_name()), 'building_number': ('STREET_ADDRESS', lambda: f.building_number()),
        'secondary_address': ('STREET_ADDRESS', lambda: us.secondary_address()), 'postcode': ('ZIP_CODE', lambda: f.postcode()),
        'zipcode': ('ZIP_CODE', lambda: us.zipcode()), 'state_abbr': ('GPE', lambda: us.state_abbr()),
        'age': ('AGE', lambda: str(random.randint(1, 99))), 'year': ('DATE_TIME', lambda: str(random.randint(1900, 2024))),
        'date_time': ('DATE_TIME', lambda: str(us.date_time())[:random.choice([10, 19])] if random.random() < .5 else us.date(pattern=random.choice(['%m/%d/%Y', '%B %d, %Y', '%d %B %Y']))),
        'date_of_birth': ('DATE_TIME', lambda: us.date_of_birth().strftime(random.choice(['%m/%d/%Y', '%B %d, %Y', '%Y-%m-%d', '%d.%m.%Y']))),
        'day_of_week': ('DATE_TIME', lambda: us.day_of_week()), 'ssn': ('US_SSN', lambda: us.ssn()),
        'url': ('DOMAIN_NAME', lambda: f.url()), 'us_driver_license': ('US_DRIVER_LICENSE', lambda: random.choice([
            '%s%d' % (chr(65 + random.randint(0, 25)), random.randint(10**7, 10**13)), str(random.randint(10**6, 10**8))])),
        'prefix_male': ('TITLE', lambda: f.prefix_male()), 'prefix_female': ('TITLE', lambda: f.prefix_female()),
        'prefix': ('TITLE', lambda: f.prefix()), 'job': ('TITLE', lambda: f.job()),
        'nationality': ('NRP', lambda: random.choice(['American', 'Finnish', 'German', 'Danish', 'Polish', 'Brazilian', 'Italian'])),
        'nation_woman': ('NRP', lambda: random.choice(['Frenchwoman', 'Englishwoman', 'Dutchwoman'])),
        'nation_plural': ('NRP', lambda: random.choice(['Swedes', 'Germans', 'Americans'])),
    }
    return g.get(kind)

out = []
for k in range(N):
    tid, t = random.choice(templates)
    text, spans = fill(t, random.choice(fakers), one)
    out.append({'full_text': text, 'spans': spans, 'template_id': tid})
json.dump(out, open(out_path, 'w'), ensure_ascii=False, indent=0)
print(len(out), 'samples ->', out_path)
