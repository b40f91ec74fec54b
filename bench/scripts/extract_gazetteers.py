#!/usr/bin/python3
"""Builds the inspect gazetteers from Python Faker's provider lists (Debian package python3-fake-factory,
Faker 0.9.3, MIT/Expat licence, (c) 2012 Daniele Faraglia). Only Latin-script lists are used.
Run: /usr/bin/python3 bench/scripts/extract_gazetteers.py gateway/src/main/resources/dev/bastion/inspect/gazetteer
"""
import importlib, os, sys, unicodedata

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
LATIN = ['cs_CZ','de_AT','de_CH','de_DE','dk_DK','en','en_GB','en_NZ','en_US','en_AU','en_CA','es_ES','es_MX','es',
         'et_EE','fi_FI','fr_CH','fr_FR','hr_HR','hu_HU','id_ID','it_IT','lt_LT','lv_LV','nl_NL','nl_BE','no_NO',
         'pl_PL','pt_BR','pt_PT','ro_RO','sl_SI','sk_SK','sv_SE','tr_TR','tw_GH']

def latin(s):
    return all(not c.isalpha() or 'LATIN' in unicodedata.name(c, '') for c in s)

def collect(provider, attrs):
    vals = set()
    for loc in LATIN:
        try:
            m = importlib.import_module('faker.providers.%s.%s' % (provider, loc))
        except ImportError:
            continue
        p = m.Provider
        for a in attrs:
            v = getattr(p, a, None)
            if v is None:
                continue
            if isinstance(v, dict):
                v = list(v.keys())
            for x in v:
                if isinstance(x, str) and x.strip() and latin(x):
                    vals.add(x.strip())
    return vals

def write(name, vals, min_len=2):
    vals = sorted(v for v in vals if len(v) >= min_len)
    with open(os.path.join(out, name), 'w', encoding='utf-8') as f:
        f.write('# derived from Python Faker 0.9.3 provider lists (MIT), see bench/scripts/extract_gazetteers.py\n')
        for v in vals:
            f.write(v + '\n')
    print(name, len(vals))

first = collect('person', ['first_names', 'first_names_male', 'first_names_female'])
last = collect('person', ['last_names', 'last_names_male', 'last_names_female'])
write('first_names.txt', first)
write('last_names.txt', last)
write('cities.txt', collect('address', ['cities', 'city_names', 'big_cities', 'cities_de', 'city_prefixes_de']) , 3)
countries = collect('address', ['countries'])
write('countries.txt', countries, 3)
write('states.txt', collect('address', ['states', 'provinces', 'regions', 'states_abbr', 'provinces_abbr']), 2)
write('street_suffixes.txt', collect('address', ['street_suffixes', 'street_suffixes_long', 'street_suffixes_short',
                                                   'street_prefixes', 'street_titles']), 2)
write('company_suffixes.txt', collect('company', ['company_suffixes']), 2)

# English vocabulary from SCOWL via Debian's wamerican (/usr/share/dict/american-english; SCOWL licence: permission
# to use, copy, modify, distribute and sell with the copyright notice, Copyright 2000-2011 Kevin Atkinson).
# Lower-case entries say "an ordinary word"; capitalised entries that are not in the name/place lists say "a known
# proper word that is not personal data" (demonyms, weekdays, brands, religions, ...).
dict_path = '/usr/share/dict/american-english'
if os.path.exists(dict_path):
    lower, proper = set(), set()
    # surnames stay out of this exclusion: "English", "French", "Christmas" are surnames too, and more often not names
    gaz = {x.lower() for x in first | countries}
    gaz |= {x.lower() for x in collect('address', ['cities', 'city_names', 'big_cities'])}
    for w in open(dict_path, encoding='utf-8'):
        w = w.strip()
        if not w or "'" in w:
            continue
        if w.islower():
            lower.add(w)
        elif w[0].isupper() and w.lower() not in gaz:
            proper.add(w)
    hdr = '# derived from SCOWL (wamerican 2020.12.07), Copyright 2000-2011 Kevin Atkinson, see bench/scripts/extract_gazetteers.py\n'
    for name, vals in (('english_words.txt', lower), ('english_proper.txt', proper)):
        with open(os.path.join(out, name), 'w', encoding='utf-8') as f:
            f.write(hdr)
            for v in sorted(vals):
                f.write(v + '\n')
        print(name, len(vals))
