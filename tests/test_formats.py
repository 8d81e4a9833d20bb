"""CI output formats (SARIF 2.1.0, GitHub annotations) and the findings baseline."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from repair import baseline
from repair.config import RepairConfig
from repair.diff import FileReport, formatter
from repair.diff.github import escape_data, escape_property
from repair.errors import ConfigError, InputError
from repair.runner import run_text

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "ukraine_coalition_mt_spun.txt"
CFG = RepairConfig(model=False)
TEXT = "First line is clean.\nWe met {in the} city and {on the} day passed.\nÉlan {in the}\nend.\n"

# Properties the SARIF 2.1.0 schema allows on each object we emit (it forbids all others),
# and the ones it requires.  From the OASIS spec, sections 3.13-3.55.
ALLOWED = {
    "log": {"version", "$schema", "runs", "inlineExternalProperties", "properties"},
    "run": {
        "tool", "invocations", "conversion", "language", "versionControlProvenance",
        "originalUriBaseIds", "artifacts", "logicalLocations", "graphs", "results",
        "automationDetails", "runAggregates", "baselineGuid", "redactionTokens",
        "defaultEncoding", "defaultSourceLanguage", "newlineSequences", "columnKind",
        "externalPropertyFileReferences", "threadFlowLocations", "taxonomies", "addresses",
        "translations", "policies", "webRequests", "webResponses", "specialLocations", "properties",
    },
    "tool": {"driver", "extensions", "properties"},
    "driver": {
        "guid", "name", "organization", "product", "productSuite", "shortDescription",
        "fullDescription", "fullName", "version", "semanticVersion", "dottedQuadFileVersion",
        "releaseDateUtc", "downloadUri", "informationUri", "globalMessageStrings", "notifications",
        "rules", "taxa", "locations", "language", "contents", "isComprehensive",
        "localizedDataSemanticVersion", "minimumRequiredLocalizedDataSemanticVersion",
        "associatedComponent", "translationMetadata", "supportedTaxonomies", "properties",
    },
    "rule": {
        "id", "deprecatedIds", "guid", "deprecatedGuids", "name", "deprecatedNames",
        "shortDescription", "fullDescription", "messageStrings", "defaultConfiguration",
        "helpUri", "help", "relationships", "properties",
    },
    "config": {"enabled", "level", "rank", "parameters", "properties"},
    "mfmessage": {"text", "markdown", "properties"},
    "artifact": {
        "description", "location", "parentIndex", "offset", "length", "roles", "mimeType",
        "contents", "encoding", "sourceLanguage", "hashes", "lastModifiedTimeUtc", "properties",
    },
    "artifactLocation": {"uri", "uriBaseId", "index", "description", "properties"},
    "result": {
        "ruleId", "ruleIndex", "rule", "kind", "level", "message", "analysisTarget", "locations",
        "guid", "correlationGuid", "occurrenceCount", "partialFingerprints", "fingerprints",
        "stacks", "codeFlows", "graphs", "graphTraversals", "relatedLocations", "suppressions",
        "baselineState", "rank", "attachments", "hostedViewerUri", "workItemUris", "provenance",
        "fixes", "taxa", "webRequest", "webResponse", "properties",
    },
    "message": {"text", "markdown", "id", "arguments", "properties"},
    "location": {"id", "physicalLocation", "logicalLocations", "message", "annotations", "relationships", "properties"},
    "physicalLocation": {"address", "artifactLocation", "region", "contextRegion", "properties"},
    "region": {
        "startLine", "startColumn", "endLine", "endColumn", "charOffset", "charLength",
        "byteOffset", "byteLength", "snippet", "message", "sourceLanguage", "properties",
    },
    "content": {"text", "binary", "rendered", "properties"},
    "fix": {"description", "artifactChanges", "properties"},
    "change": {"artifactLocation", "replacements", "properties"},
    "replacement": {"deletedRegion", "insertedContent", "properties"},
}  # fmt: skip


def _obj(value: object, kind: str, required: tuple[str, ...] = ()) -> dict:
    assert isinstance(value, dict), f"{kind} must be an object"
    extra = set(value) - ALLOWED[kind]
    assert not extra, f"{kind} has properties the schema forbids: {extra}"
    for key in required:
        assert key in value, f"{kind} lacks required {key!r}"
    return value


def _region(r: object) -> dict:
    r = _obj(r, "region")
    for key in ("startLine", "startColumn", "endLine", "endColumn"):
        assert isinstance(r[key], int) and r[key] >= 1, (key, r)
    assert (r["endLine"], r["endColumn"]) >= (r["startLine"], r["startColumn"])
    if "snippet" in r:
        assert isinstance(_obj(r["snippet"], "content")["text"], str)
    return r


def _artifact_location(a: object, n_artifacts: int) -> dict:
    a = _obj(a, "artifactLocation")
    parts = urlsplit(a["uri"])
    assert not re.search(r"[\s<>\"{}|\\^`]", a["uri"]), a["uri"]  # a valid URI reference
    assert parts.scheme in ("", "file")
    if "index" in a:
        assert 0 <= a["index"] < n_artifacts
    return a


def validate_sarif(log: object) -> list[dict]:
    """Check a SARIF log against the 2.1.0 schema's rules for the objects we emit."""
    log = _obj(log, "log", ("version", "runs"))
    assert log["version"] == "2.1.0"
    assert log["$schema"].endswith("sarif-schema-2.1.0.json")
    assert isinstance(log["runs"], list) and len(log["runs"]) == 1
    run = _obj(log["runs"][0], "run", ("tool",))
    assert run.get("columnKind") in (None, "utf16CodeUnits", "unicodeCodePoints")
    driver = _obj(_obj(run["tool"], "tool", ("driver",))["driver"], "driver", ("name",))
    assert driver["name"] == "repair"
    rules = driver.get("rules", [])
    ids = [_obj(r, "rule", ("id",))["id"] for r in rules]
    assert len(ids) == len(set(ids))
    for r in rules:
        _obj(r["shortDescription"], "mfmessage", ("text",))
        _obj(r.get("defaultConfiguration", {}), "config")
    artifacts = run.get("artifacts", [])
    for a in artifacts:
        _artifact_location(_obj(a, "artifact")["location"], len(artifacts))
        assert a.get("length", 0) >= -1
    for res in run["results"]:
        res = _obj(res, "result", ("message",))
        assert isinstance(_obj(res["message"], "message")["text"], str) and res["message"]["text"]
        assert res["level"] in ("none", "note", "warning", "error")
        assert ids[res["ruleIndex"]] == res["ruleId"]
        assert all(isinstance(v, str) for v in res.get("partialFingerprints", {}).values())
        assert res["locations"]
        for loc in res["locations"]:
            phys = _obj(_obj(loc, "location")["physicalLocation"], "physicalLocation")
            _artifact_location(phys["artifactLocation"], len(artifacts))
            _region(phys["region"])
        for fix in res.get("fixes", []):
            fix = _obj(fix, "fix", ("artifactChanges",))
            assert fix["artifactChanges"]
            for ch in fix["artifactChanges"]:
                ch = _obj(ch, "change", ("artifactLocation", "replacements"))
                _artifact_location(ch["artifactLocation"], len(artifacts))
                assert ch["replacements"]
                for rep in ch["replacements"]:
                    rep = _obj(rep, "replacement", ("deletedRegion",))
                    _region(rep["deletedRegion"])
                    assert isinstance(_obj(rep["insertedContent"], "content")["text"], str)
    return run["results"]


def reports(text: str = TEXT, path: str = "docs/a b.txt") -> list[FileReport]:
    return [FileReport(path, run_text(text, CFG))]


def _char_at(text: str, line: int, col: int) -> int:
    return sum(len(x) + 1 for x in text.split("\n")[: line - 1]) + col - 1


def test_sarif_is_valid_and_regions_point_at_the_findings() -> None:
    reps = reports()
    log = json.loads(formatter("sarif")(reps, 0.9))
    results = validate_sarif(log)
    findings = reps[0].result.findings
    assert len(results) == len(findings) >= 3
    for res, f in zip(results, findings, strict=True):
        region = res["locations"][0]["physicalLocation"]["region"]
        start = _char_at(TEXT, region["startLine"], region["startColumn"])
        end = _char_at(TEXT, region["endLine"], region["endColumn"])
        assert TEXT[start:end] == f.before
        assert res["ruleId"] == f.kind
        assert res["level"] == (
            "error" if f.confidence >= 0.9 else "warning" if f.confidence >= 0.5 else "note"
        )
        inserted = [
            fx["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"]
            for fx in res["fixes"]
        ]
        assert inserted == list(f.suggestions)
    assert log["runs"][0]["artifacts"][0]["location"]["uri"] == "docs/a%20b.txt"


def test_sarif_counts_code_points_not_bytes() -> None:
    results = validate_sarif(json.loads(formatter("sarif")(reports(), 0.9)))
    third_line = [
        r for r in results if r["locations"][0]["physicalLocation"]["region"]["startLine"] == 3
    ]
    assert (
        third_line
        and third_line[0]["locations"][0]["physicalLocation"]["region"]["startColumn"] == 6
    )


def test_sarif_with_no_findings_is_valid() -> None:
    log = json.loads(formatter("sarif")(reports("A clean line.\n"), 0.9))
    assert validate_sarif(log) == []


def test_github_annotations() -> None:
    reps = reports()
    out = formatter("github")(reps, 0.9).splitlines()
    findings = reps[0].result.findings
    assert len(out) == len(findings)
    pat = re.compile(
        r"^::(error|warning) file=([^,]*),line=(\d+),col=(\d+),endLine=(\d+),endColumn=(\d+),title=([^,:]*)::(.+)$"
    )
    for line, f in zip(out, findings, strict=True):
        m = pat.match(line)
        assert m, line
        assert m.group(1) == ("error" if f.confidence >= 0.9 else "warning")
        assert m.group(2) == "docs/a b.txt"
        assert _char_at(TEXT, int(m.group(3)), int(m.group(4))) == f.start
        assert m.group(7) == f"repair {f.kind}"
        assert "\n" not in m.group(8)


def test_github_escaping() -> None:
    assert escape_data("100% a\r\nb") == "100%25 a%0D%0Ab"
    assert escape_property("a,b:c%\n") == "a%2Cb%3Ac%25%0A"
    out = formatter("github")(reports(path="we:ird,name.txt"), 0.99)
    assert "file=we%3Aird%2Cname.txt," in out and out.startswith("::warning ")


def test_baseline_hides_known_findings_and_survives_line_shifts(tmp_path: Path) -> None:
    bl = tmp_path / "baseline.json"
    path = str(tmp_path / "a.txt")
    baseline.write(bl, reports(path=path))
    assert baseline.filter_reports(bl, reports(path=path))[0].result.findings == []
    shifted = "A new first paragraph.\n\n" + TEXT + "And a new {in the} one.\n"
    fresh = baseline.filter_reports(bl, reports(shifted, path=path))[0].result.findings
    assert [f.before for f in fresh] == ["{in the}"]
    assert fresh[0].start > len(TEXT)  # the new copy, not an old one


def test_baseline_paths_are_relative_to_the_baseline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bl = tmp_path / "baseline.json"
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path)
    baseline.write(bl, reports(path="a.txt"))
    assert {e["path"] for e in json.loads(bl.read_text())["findings"]} == {"a.txt"}
    monkeypatch.chdir(tmp_path / "sub")
    assert baseline.filter_reports(bl, reports(path="../a.txt"))[0].result.findings == []
    assert baseline.filter_reports(bl, reports(path="../b.txt"))[0].result.findings


@pytest.mark.parametrize(
    ("content", "error", "words"),
    [
        (None, InputError, "no such baseline"),
        ("{not json", ConfigError, "invalid JSON"),
        ('{"tool": "other", "findings": []}', ConfigError, "not a repair baseline"),
        ('{"tool": "repair", "version": 99, "findings": []}', ConfigError, "version 99"),
        ('{"tool": "repair", "version": 1, "findings": [{"path": "a"}]}', ConfigError, "entry 1"),
    ],
)
def test_bad_baseline_files(tmp_path: Path, content: str | None, error: type, words: str) -> None:
    bl = tmp_path / "b.json"
    if content is not None:
        bl.write_text(content)
    with pytest.raises(error, match=words):
        baseline.filter_reports(bl, reports())


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "repair.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.skipif(not SEED.exists(), reason="seed file missing")
def test_cli_check_seed_sarif_and_github(tmp_path: Path) -> None:
    proc = _cli("check", "--no-model", "--format", "sarif", str(SEED), cwd=tmp_path)
    assert proc.returncode in (0, 1), proc.stderr
    results = validate_sarif(json.loads(proc.stdout))
    assert results
    proc = _cli("check", "--no-model", "--format", "github", str(SEED), cwd=tmp_path)
    lines = proc.stdout.splitlines()
    assert lines and all(line.startswith(("::warning ", "::error ")) for line in lines)
    assert proc.returncode == (1 if any(line.startswith("::error ") for line in lines) else 0)


def test_cli_baseline_round_trip(tmp_path: Path) -> None:
    doc = tmp_path / "a.txt"
    doc.write_text(TEXT)
    bl = tmp_path / "bl.json"
    proc = _cli(
        "check", "--no-model", "--baseline", str(bl), "--update-baseline", "a.txt", cwd=tmp_path
    )
    assert proc.returncode == 0 and bl.exists(), proc.stderr
    proc = _cli("check", "--no-model", "--baseline", str(bl), "a.txt", cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (0, "")
    doc.write_text("New {on the} one.\n" + TEXT)
    proc = _cli(
        "check", "--no-model", "--baseline", str(bl), "--format", "json", "a.txt", cwd=tmp_path
    )
    found = json.loads(proc.stdout)["files"][0]["findings"]
    assert proc.returncode == 1 and [(f["line"], f["before"]) for f in found] == [(1, "{on the}")]
    bl.write_text("nonsense")
    proc = _cli("check", "--no-model", "--baseline", str(bl), "a.txt", cwd=tmp_path)
    assert (
        proc.returncode == 2
        and proc.stderr.startswith("repair: error: ")
        and proc.stderr.count("\n") == 1
    )


def test_line_col_on_long_text_matches_counting() -> None:
    """The long-text path (cached line starts) gives the same answers as counting newlines."""
    import random

    from repair.io import line_col

    rng = random.Random(7)
    text = "".join(rng.choice("ab \n") for _ in range(100_000))
    other = "\n" + text  # a second long text must not reuse the first one's lines
    for t in (text, other, text):
        for off in [0, 1, len(t), *rng.sample(range(len(t)), 300), *(i for i in range(50) if t[i] == "\n")]:
            want = (t.count("\n", 0, off) + 1, off - (t.rfind("\n", 0, off) + 1) + 1)
            assert line_col(t, off) == want
