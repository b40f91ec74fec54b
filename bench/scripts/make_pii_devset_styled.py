#!/usr/bin/python3
"""Second development set for the inspect detectors, closer in *form* to the evaluation set than make_pii_devset.py.

It fills testdata/pii/presidio_templates.txt with our own fake values (Python Faker 0.9.3 from Debian's
python3-fake-factory, several locales, fixed seed) but follows the value *formats* that presidio-research's public
generator documents in its code (presidio_evaluator/data_generator/faker_extensions/providers.py and sentences.py):
its address layouts (one-line, multi-line with secondary address / city / country / postcode, "corner of X and Y",
military APO/FPO/DPO), its phone layouts (US, UK 07700, India +91, Swiss +41, Swedish +46, extensions), its age
layouts, names with a middle initial one time in five, 5 % of samples lower-cased, and its label mapping (postcode,
building number and secondary address are STREET_ADDRESS; state is GPE). No value from the evaluation set or from the
generator's value lists (FakeNameGenerator records, organisation list) is used: names, cities and streets come from
Faker; organisation names are composed here from surnames, invented words and generic business words.

Use a split of the templates to measure how rules carry over to sentences they were not written for:
  --templates even|odd  keeps only the even- or odd-numbered templates (1-based line order).

Usage: /usr/bin/python3 bench/scripts/make_pii_devset_styled.py TEMPLATES OUT.json [N] [SEED] [--templates even|odd]
"""
import json, random, re, sys
from faker import Faker
from pii_fill import fakers_for, fill, load_templates

args = [a for a in sys.argv[1:] if not a.startswith('--') and a not in ('even', 'odd')]
if '--distractors' in sys.argv:
    args.remove(sys.argv[sys.argv.index('--distractors') + 1])
opts = sys.argv[1:]
tpl_path, out_path = args[0], args[1]
N = int(args[2]) if len(args) > 2 else 1500
seed = int(args[3]) if len(args) > 3 else 4242
subset = opts[opts.index('--templates') + 1] if '--templates' in opts else None
# --distractors P: with probability P a sample gets (or is) a sentence with capitalised words that are not personal
# data (languages, products, weekdays, holidays): teaches the tagger that "answer in English" is no place
distract = float(opts[opts.index('--distractors') + 1]) if '--distractors' in opts else 0.0
random.seed(seed)

LOCALES = ['en_US', 'en_US', 'en_US', 'en_GB', 'de_DE', 'fr_FR', 'nl_NL', 'fi_FI', 'sv_SE', 'it_IT', 'es_ES',
           'pl_PL', 'pt_BR', 'da_DK', 'hu_HU', 'cs_CZ', 'no_NO', 'sl_SI']
fakers = fakers_for(LOCALES, random, Faker)
us = Faker('en_US'); us.seed_instance(seed)
templates = load_templates(tpl_path, subset)

SYL = ['ka', 'lo', 'mi', 'ra', 'ven', 'tor', 'sa', 'li', 'ne', 'bor', 'das', 'ki', 'mo', 'zel', 'ta', 'rin', 'go',
       'wen', 'fa', 'dri', 'ul', 'ix', 'ber', 'ska', 'hel', 'jo', 'pa', 'nu', 'rek', 'vi', 'an', 'e', 'o', 'ish']


def synth():
    return ''.join(random.choice(SYL) for _ in range(random.randint(2, 3))).capitalize()


def maybe(v, p=0.3):
    return synth() if random.random() < p else v


# organisation names composed from generic parts (not from any list of real organisations)
BIZ = ['Holdings', 'Group', 'Industries', 'Systems', 'Technologies', 'Partners', 'Capital', 'Bank', 'Insurance',
       'Pharmaceuticals', 'Energy', 'Logistics', 'Motors', 'Foods', 'Airlines', 'Media', 'Entertainment', 'Resources',
       'Mining', 'Chemicals', 'Solutions', 'Networks', 'Software', 'Labs', 'Laboratories', 'Consulting', 'Services',
       'Healthcare', 'Hospital', 'Clinic', 'Foundation', 'Trust', 'Investments', 'Realty', 'Properties', 'Bancorp',
       'Financial', 'Communications', 'Telecom', 'Electric', 'Steel', 'Petroleum', 'Oil & Gas', 'Brewing', 'Apparel',
       'Retail', 'Stores', 'Markets', 'Semiconductor', 'Biotech', 'Therapeutics', 'Aerospace', 'Shipping', 'Textiles']
SUFFIX = ['Inc', 'Inc.', 'Corp', 'Corp.', 'Corporation', 'Ltd', 'Ltd.', 'Limited', 'plc', 'PLC', 'LLC', 'AG', 'SA',
          'S.A.', 'N.V.', 'GmbH', 'Co.', 'Company', 'AB', 'ASA', 'Oyj', 'SpA', '& Co']
ADJ = ['First', 'National', 'United', 'General', 'American', 'Global', 'Pacific', 'Atlantic', 'Northern', 'Southern',
       'Western', 'Eastern', 'Central', 'Royal', 'Standard', 'International', 'Allied', 'Premier', 'Summit', 'Pioneer',
       'Golden', 'Silver', 'Blue', 'Green', 'Red', 'Great', 'New', 'Advanced', 'Applied', 'Integrated', 'Consolidated']
PUBLIC = ['Department of {x}', 'Ministry of {x}', 'University of {c}', '{c} University', '{c} City Council',
          '{c} General Hospital', 'Office of {x}', '{c} Police Department', 'Bureau of {x}', '{c} Public Library',
          'National Institute of {x}', '{c} School District', 'Commission on {x}', '{c} State University']
TOPIC = ['Health', 'Education', 'Transportation', 'Energy', 'Justice', 'Labor', 'Commerce', 'Agriculture', 'Defense',
         'Finance', 'Housing', 'the Interior', 'Veterans Affairs', 'Public Safety', 'Statistics', 'Standards',
         'Technology', 'Civil Rights', 'Economic Development', 'Environmental Protection']


def acronym():
    return ''.join(chr(65 + random.randint(0, 25)) for _ in range(random.randint(2, 4)))


def organization(f):
    r = random.random()
    last = maybe(f.last_name(), 0.35)
    if r < 0.22: return last + ' ' + random.choice(BIZ) + (' ' + random.choice(SUFFIX) if random.random() < .5 else '')
    if r < 0.34: return random.choice(ADJ) + ' ' + random.choice(BIZ) + (' ' + random.choice(SUFFIX) if random.random() < .5 else '')
    if r < 0.46: return synth() + random.choice(['', 'ex', 'ia', 'on', 'ix', 'a']) + ' ' + random.choice(SUFFIX + BIZ)
    if r < 0.54: return acronym() + ' ' + random.choice(BIZ + SUFFIX)
    if r < 0.62: return last + ' & ' + maybe(f.last_name(), 0.35) + random.choice(['', ' LLP', ' ' + random.choice(SUFFIX)])
    if r < 0.72: return random.choice(PUBLIC).format(x=random.choice(TOPIC), c=city(f, plain=True))
    if r < 0.80: return synth()  # a coined brand alone
    if r < 0.86: return acronym()
    if r < 0.93: return f.company()
    return random.choice(ADJ) + ' ' + last + ' ' + random.choice(BIZ)


def city(f, plain=False):
    c = f.city() if random.random() < 0.7 else random.choice(fakers).city()
    return c if plain else maybe(c, 0.3)


def person(f):
    first, last = maybe(f.first_name(), 0.3), maybe(f.last_name(), 0.3)
    if random.random() < 0.2:
        return '%s %s%s%s' % (first, chr(65 + random.randint(0, 25)), random.choice([' ', '. ']), last)
    return first + ' ' + last


def street_name(f):
    # either a street name alone ("Shannon Ports", "Birnbaumgasse") or one with its number ("4759 Sunny Glen Lane")
    s = f.street_name() if random.random() < 0.6 else us.street_name()
    if random.random() < 0.4:
        s = '%d %s' % (random.randint(1, 9999), s)
    return s


def secondary():
    return us.secondary_address()


def postcode(f):
    return f.postcode() if random.random() < 0.5 else us.postcode()


def address(f):
    """One of the address layouts of the public generator, weights as there."""
    fmts = [
        ('{bn} {sn} {sec} {city} {state}', 5), ('{bn} {sn} {sec} {city} {sa}', 5), ('{bn} {sn} {sec} {city} {country}', 5),
        ('{bn} {sn}\n {sec}\n {city}\n {country}', 5), ('{bn} {sn}\n {sec}\n {city}\n {country} {pc}', 5),
        ('{sn} {sn2}\n {sec}\n {city}\n {country} {pc}', 5), ('the corner of {sn} and {sn2}', 3), ('{first} and {sn}', 3),
        ('{sa_}, {city}, {country}', 5), ('{sa_} {sec}, {city}, {country} {pc}', 5), ('{sa_}\n{city}, {sa} {pc}', 25),
        ('{sa_}\n{city}\n, {sa}\n {pc}', 25), ('{sa_}\n{city}\n, {sa}\n {country} {pc}', 25),
        ('{apo}\nAPO {ms} {pc}', 1), ('{ship} {last}\nFPO {ms} {pc}', 1), ('{dpo}\nDPO {ms} {pc}', 1)]
    fmt = random.choices([a for a, _ in fmts], [w for _, w in fmts])[0]
    g = us if random.random() < 0.6 else f
    return fmt.format(bn=g.building_number(), sn=g.street_name(), sn2=g.street_name(), sec=secondary(),
                      city=city(g, plain=True), state=us.state(), sa=us.state_abbr(), country=g.country(),
                      pc=postcode(g), first=g.first_name(), sa_=us.street_address(), apo=us.military_apo(),
                      ship=us.military_ship(), last=us.last_name(), dpo=us.military_dpo(), ms=us.military_state())


PHONES = ['##########', '##########', '###-###-####', '###-###-####', '###-#######', '07700 ### ###', '07700 ######',
          '07700######', '(07700) ### ###', '(07700) ######', '(07700)######', '+447700 ### ###', '+447700 ######',
          '+447700######', '+91##########', '0##########', '##########'] + \
         ['+41 %d# ### ## ##' % d for d in range(2, 10)] + ['+41 (0)%d# ### ## ##' % d for d in range(2, 10)] + \
         ['+46 (0)8 ### ### ##', '+46 (0)## ## ## ##', '+46 (0)### ### ##', '(###)###-####', '(###)###-####',
          '(###)###-####', '(###)###-####', '###.###.####', '###.###.####', '###-###-####x###', '###-###-####x####',
          '(###)###-####x###', '(###)###-####x####', '###.###.####x###', '###.###.####x####', '+1-###-###-####',
          '001-###-###-####', '+1-###-###-####x###']


def phone(f):
    if random.random() < 0.25:
        return f.phone_number()
    return ''.join(str(random.randint(0, 9)) if c == '#' else c for c in random.choice(PHONES))


IBAN_LEN = {'GB': 22, 'DE': 22, 'FR': 27, 'NL': 18, 'ES': 24, 'IT': 27, 'PL': 28, 'FI': 18, 'SE': 24, 'DK': 18,
            'BE': 16, 'CH': 21, 'AT': 20, 'IE': 22, 'PT': 25, 'NO': 15}


def iban():
    # Faker 0.9.3 gets some country lengths wrong; build a valid one (ISO 13616 length, ISO 7064 mod 97-10)
    cc = random.choice(list(IBAN_LEN))
    bban = ''.join(random.choice('ABCDEFGHIJKLMNOPQRSTUVWXYZ') if cc in ('GB', 'NL', 'IE') and k < 4
                   else str(random.randint(0, 9)) for k in range(IBAN_LEN[cc] - 4))
    num = int(''.join(str(int(c, 36)) for c in bban + cc + '00'))
    v = '%s%02d%s' % (cc, 98 - num % 97, bban)
    return ' '.join(v[k:k + 4] for k in range(0, len(v), 4)) if random.random() < 0.3 else v


def age():
    r = random.random()
    d = lambda: str(random.randint(0, 9))
    if r < 0.8: return str(random.randint(1, 9)) + d()
    if r < 0.9: return str(random.randint(1, 9))
    return random.choice(['1.' + d(), '2.' + d(), '100', '101', '104', '0.' + d()])


def one(f, kind):
    g = {
        'credit_card_number': ('CREDIT_CARD', lambda: us.credit_card_number()),
        'address': ('STREET_ADDRESS', lambda: address(f)),
        'person': ('PERSON', lambda: person(f)), 'name': ('PERSON', lambda: person(f)),
        'name_male': ('PERSON', lambda: person(f)), 'name_female': ('PERSON', lambda: person(f)),
        'first_name': ('PERSON', lambda: maybe(f.first_name())), 'last_name': ('PERSON', lambda: maybe(f.last_name())),
        'first_name_male': ('PERSON', lambda: f.first_name_male()), 'first_name_female': ('PERSON', lambda: f.first_name_female()),
        'first_name_nonbinary': ('PERSON', lambda: f.first_name()), 'last_name_male': ('PERSON', lambda: f.last_name()),
        'last_name_female': ('PERSON', lambda: f.last_name()),
        'iban': ('IBAN_CODE', iban),
        'country': ('GPE', lambda: f.country() if random.random() < .5 else random.choice(fakers).country()),
        'city': ('GPE', lambda: city(f)), 'state': ('GPE', lambda: us.state()),
        'email': ('EMAIL_ADDRESS', lambda: f.email()),
        'ip_address': ('IP_ADDRESS', lambda: f.ipv4() if random.random() < .8 else f.ipv6()),
        'phone_number': ('PHONE_NUMBER', lambda: phone(f)), 'organization': ('ORGANIZATION', lambda: organization(f)),
        'street_name': ('STREET_ADDRESS', lambda: street_name(f)),
        'building_number': ('STREET_ADDRESS', lambda: us.building_number() if random.random() < .7 else f.building_number()),
        'secondary_address': ('STREET_ADDRESS', lambda: secondary()), 'postcode': ('STREET_ADDRESS', lambda: postcode(f)),
        'zipcode': ('ZIP_CODE', lambda: us.zipcode()), 'state_abbr': ('GPE', lambda: us.state_abbr()),
        'age': ('AGE', age), 'year': ('DATE_TIME', lambda: str(random.randint(1900, 2024))),
        'date_time': ('DATE_TIME', lambda: str(us.date_time())[:random.choice([10, 19])] if random.random() < .5 else us.date(pattern=random.choice(['%m/%d/%Y', '%B %d, %Y', '%d %B %Y']))),
        'date_of_birth': ('DATE_TIME', lambda: us.date_of_birth().strftime(random.choice(['%m/%d/%Y', '%B %d, %Y', '%Y-%m-%d', '%d.%m.%Y', '%m/%d/%y']))),
        'day_of_week': ('DATE_TIME', lambda: us.day_of_week()), 'ssn': ('US_SSN', lambda: us.ssn()),
        'url': ('DOMAIN_NAME', lambda: f.url()), 'us_driver_license': ('US_DRIVER_LICENSE', lambda: random.choice([
            '%s%d' % (chr(65 + random.randint(0, 25)), random.randint(10**7, 10**13)), str(random.randint(10**6, 10**8))])),
        'prefix_male': ('TITLE', lambda: us.prefix_male()), 'prefix_female': ('TITLE', lambda: us.prefix_female()),
        'prefix': ('TITLE', lambda: us.prefix()), 'job': ('TITLE', lambda: us.job()),
        'nationality': ('NRP', lambda: random.choice(['American', 'Finnish', 'German', 'Danish', 'Polish', 'Brazilian', 'Italian', 'Kenyan', 'Thai'])),
        'nation_woman': ('NRP', lambda: random.choice(['Frenchwoman', 'Englishwoman', 'Dutchwoman'])),
        'nation_plural': ('NRP', lambda: random.choice(['Swedes', 'Germans', 'Americans'])),
    }
    return g.get(kind)


LANGS = ['English', 'French', 'German', 'Spanish', 'Italian', 'Portuguese', 'Dutch', 'Polish', 'Chinese', 'Japanese',
         'Korean', 'Arabic', 'Hindi', 'Russian', 'Turkish', 'Swedish', 'Finnish', 'Greek', 'Czech', 'Hungarian']
PRODUCTS = ['Excel', 'Word', 'Outlook', 'Windows', 'Linux', 'Android', 'iPhone', 'PowerPoint', 'Slack', 'Zoom', 'Teams',
            'Chrome', 'Firefox', 'Python', 'Java', 'JavaScript', 'Kubernetes', 'Docker', 'PostgreSQL', 'GitHub', 'SAP']
WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']
MONTHS = ['January', 'February', 'March', 'April', 'June', 'July', 'August', 'September', 'October', 'November', 'December']
HOLIDAYS = ['Christmas', 'Easter', 'Thanksgiving', 'Ramadan', 'Diwali', 'Hanukkah', 'New Year']
DISTRACT = ['Please answer in {l}.', 'Can you translate this into {l}?', 'The manual is only available in {l} and {l2}.',
            'I am learning {l} at the moment.', 'My {l} is not very good, sorry.', 'We use {p} for our reports.',
            'Open {p} and click Settings.', 'The meeting moved to {w}.', 'It all started in {m}.', 'Happy {h}!',
            'I bought a new {p} last week.', 'Is {l} hard to learn?', 'Export the sheet from {p} to PDF.',
            'See you on {w} after {h}.', 'Reply in {l}, please.', 'Does it work on {p} or only on {p2}?',
            'Written in {l}, translated into {l2}.', 'Send me the {p} file by {w}.', 'Sales dropped in {m} and {m2}.']


def distractor():
    return random.choice(DISTRACT).format(l=random.choice(LANGS), l2=random.choice(LANGS), p=random.choice(PRODUCTS),
                                          p2=random.choice(PRODUCTS), w=random.choice(WEEKDAYS), m=random.choice(MONTHS),
                                          m2=random.choice(MONTHS), h=random.choice(HOLIDAYS))


out = []
for k in range(N):
    tid, t = random.choice(templates)
    text, spans = fill(t, random.choice(fakers), one)
    if random.random() < 0.05:  # the public generator lower-cases 5 % of samples
        text = text.lower()
        for s in spans: s['entity_value'] = s['entity_value'].lower()
    if distract and random.random() < distract:
        if random.random() < 0.5:
            text, spans = distractor(), []
        else:
            text = text + ' ' + distractor()
    out.append({'full_text': text, 'spans': spans, 'template_id': tid})
json.dump(out, open(out_path, 'w'), ensure_ascii=False, indent=0)
print(len(out), 'samples ->', out_path)
