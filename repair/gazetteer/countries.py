"""Which countries a text is about, and which country an entity belongs to.

Why: a mangled place is far more likely a place in a country the text talks about
("in Mercesis" in an article about Britain is Merseyside, not Mercês in Brazil).  The
table maps country names, short forms and demonyms to ISO codes; it is small on purpose.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

# code: words that name the country or its people (lowercase; multi-word names allowed)
_TABLE = {
    "GB": "britain|british|united kingdom|england|english|scotland|scottish|wales|welsh|northern ireland|london|westminster|downing street",
    "US": "united states|america|american|washington|pentagon|white house",
    "UA": "ukraine|ukrainian|ukrainians|kyiv|kiev",
    "RU": "russia|russian|russians|kremlin|moscow",
    "FR": "france|french|paris|elysee",
    "DE": "germany|german|germans|berlin",
    "IT": "italy|italian|rome",
    "ES": "spain|spanish|madrid",
    "PT": "portugal|portuguese|lisbon",
    "IE": "ireland|irish|dublin|taoiseach",
    "NL": "netherlands|dutch|holland|amsterdam|the hague",
    "BE": "belgium|belgian|brussels",
    "PL": "poland|polish|warsaw",
    "SE": "sweden|swedish|stockholm",
    "NO": "norway|norwegian|oslo",
    "DK": "denmark|danish|copenhagen",
    "FI": "finland|finnish|helsinki",
    "AT": "austria|austrian|vienna",
    "CH": "switzerland|swiss|geneva|zurich",
    "GR": "greece|greek|athens",
    "TR": "turkey|turkish|türkiye|ankara|istanbul",
    "CA": "canada|canadian|ottawa",
    "AU": "australia|australian|canberra|sydney",
    "NZ": "new zealand|zealander",
    "CN": "china|chinese|beijing",
    "JP": "japan|japanese|tokyo",
    "KR": "south korea|korean|seoul",
    "KP": "north korea|pyongyang",
    "IN": "india|indian|delhi",
    "PK": "pakistan|pakistani|islamabad",
    "AF": "afghanistan|afghan|kabul",
    "IR": "iran|iranian|tehran",
    "IQ": "iraq|iraqi|baghdad",
    "SY": "syria|syrian|damascus",
    "IL": "israel|israeli|jerusalem|tel aviv",
    "PS": "palestine|palestinian|gaza|west bank",
    "LB": "lebanon|lebanese|beirut",
    "SA": "saudi|saudi arabia|riyadh",
    "AE": "emirates|dubai|abu dhabi",
    "QA": "qatar|qatari|doha",
    "EG": "egypt|egyptian|cairo",
    "ZA": "south africa|south african|pretoria|johannesburg",
    "NG": "nigeria|nigerian|lagos|abuja",
    "KE": "kenya|kenyan|nairobi",
    "UG": "uganda|ugandan|kampala",
    "ET": "ethiopia|ethiopian|addis ababa",
    "BR": "brazil|brazilian|brasilia",
    "AR": "argentina|argentine|argentinian|buenos aires",
    "MX": "mexico|mexican",
    "VE": "venezuela|venezuelan|caracas",
    "ID": "indonesia|indonesian|jakarta",
    "BY": "belarus|belarusian|minsk",
    "HU": "hungary|hungarian|budapest",
    "CZ": "czech|czechia|prague",
    "SK": "slovakia|slovak|bratislava",
    "RO": "romania|romanian|bucharest",
    "BG": "bulgaria|bulgarian|sofia",
    "RS": "serbia|serbian|belgrade",
    "HR": "croatia|croatian|zagreb",
    "EE": "estonia|estonian|tallinn",
    "LV": "latvia|latvian|riga",
    "LT": "lithuania|lithuanian|vilnius",
    "GE": "georgia|georgian|tbilisi",
    "MD": "moldova|moldovan|chisinau",
    "MG": "madagascar|malagasy",
}

_WORD_TO_CODE: dict[str, str] = {}
for _code, _names in _TABLE.items():
    for _name in _names.split("|"):
        _WORD_TO_CODE.setdefault(_name, _code)
_MAX_WORDS = max(len(k.split()) for k in _WORD_TO_CODE)
_FIRST_WORDS = frozenset(k.split(" ")[0] for k in _WORD_TO_CODE)
_WORDS_RE = re.compile(r"[a-zäöüéèç]+")


_ACRONYMS = {"UK": "GB", "US": "US", "USA": "US", "UAE": "AE", "EU": "EU"}
_ACRONYM_RE = re.compile(r"\b(UK|USA?|UAE)\b")


def countries_in(text: str) -> Counter[str]:
    """How often a text names each country (by name, demonym, capital or UK/US), by ISO code."""
    words = _WORDS_RE.findall(text.lower())
    found: Counter[str] = Counter(_ACRONYMS[m.group(1)] for m in _ACRONYM_RE.finditer(text))
    for i in range(len(words)):
        if words[i] not in _FIRST_WORDS:
            continue  # no name starts with this word
        for n in range(1, _MAX_WORDS + 1):
            code = _WORD_TO_CODE.get(" ".join(words[i : i + n]))
            if code:
                found[code] += 1
    return found


@lru_cache(maxsize=100_000)
def country_of(note: str) -> str | None:
    """The country an entity note points to: 'city in BR' → 'BR', 'UK Defence Secretary' → 'GB'."""
    m = re.search(r"\b(?:city in|subdivision of) ([A-Z]{2})\b", note)
    if m:
        return m.group(1)
    codes = countries_in(note)
    return next(iter(codes)) if len(codes) == 1 else None
