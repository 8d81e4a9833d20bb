"""The pre-commit hooks: the manifest is valid, and the real `pre-commit` tool runs them.

The second test runs ``pre-commit try-repo`` on this checkout, which builds the hook's own
virtualenv with pip (about 15 s with a warm pip cache), so it needs git and the package
index that `pip install -e .` used.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ROOT / ".pre-commit-hooks.yaml"

clientlib = pytest.importorskip("pre_commit.clientlib")
identify = pytest.importorskip("identify.identify")


def test_manifest_is_valid_and_points_at_our_script() -> None:
    hooks = {h["id"]: h for h in clientlib.load_manifest(str(MANIFEST))}
    assert set(hooks) == {"repair", "repair-fix"}
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert hook["entry"].split()[0] in scripts
        assert set(hook["types_or"]) <= identify.ALL_TAGS
    assert hooks["repair"]["entry"] == "repair check"
    assert hooks["repair-fix"]["entry"] == "repair fix --in-place"


@pytest.mark.parametrize(
    ("name", "runs"),
    [
        ("a.txt", True),
        ("b.md", True),
        ("c.html", True),
        ("d.htm", True),
        ("e.py", False),
        ("f.json", False),
    ],
)
def test_hooks_pick_prose_files_only(name: str, runs: bool) -> None:
    types_or = set(clientlib.load_manifest(str(MANIFEST))[0]["types_or"])
    assert bool(identify.tags_from_filename(name) & types_or) == runs


MD = """\
# A {that a} title

Body {in the} text with a [link](https://example.com/{in the}x).

```
code {in the} block
```
"""


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_pre_commit_try_repo_runs_both_hooks(tmp_path: Path) -> None:
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    repo = tmp_path / "repo"
    repo.mkdir()
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "home"),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    env.pop("GIT_DIR", None)
    env.pop("GIT_INDEX_FILE", None)

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)

    git("init", "-q")
    (repo / "a.txt").write_text("We met {in the} city.\n")
    (repo / "b.md").write_text(MD)
    (repo / "e.py").write_text('S = "{in the}"\n')
    (repo / "empty.md").write_text("")  # nobody's mistake: the hooks skip it
    git("add", "a.txt", "b.md", "e.py", "empty.md")
    proc = subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "--all-files"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    check_part, _, fix_part = out.partition("- hook id: repair-fix")
    assert "a.txt:1:8: spintax" in check_part and "b.md:3:6: spintax" in check_part, out
    assert "e.py" not in out and "empty.md" not in out
    assert "files were modified by this hook" in fix_part, out
    assert (repo / "a.txt").read_text() == "We met in the city.\n"
    md = (repo / "b.md").read_text()
    assert md == MD.replace("# A {that a} title", "# A that a title").replace(
        "Body {in the}", "Body in the"
    )
    assert (repo / "e.py").read_text() == 'S = "{in the}"\n'
