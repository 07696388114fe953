"""docs/rules.md states every rule id; the code and the tests cite those ids and no others."""
import functools
import io
import re
import tokenize
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "docs" / "rules.md"
PENDING_HEADING = "## Not yet built"

ID = r"[WASCKBGJRTQL][1-9][0-9]?"
# A rule is defined by a line that starts with its id in bold and a dash: "**A5** — Session outcomes."
DEFINITION = re.compile(rf"^\*\*({ID})\*\* — ", re.MULTILINE)
# The last section marks the ids not built yet, one per line: "- **R1** satisfaction …".
PENDING = re.compile(rf"^- \*\*({ID})\*\* ", re.MULTILINE)
# An id as the code writes it: "A5", "G1.role" (a sub-rule), or a range "B1–B5" (same letter twice).
CITATION = re.compile(
    r"\b([WASCKBGJRTQL])([1-9][0-9]?)\b(?:\s*[–-]\s*\1([1-9][0-9]?)\b)?(?:\.\w+)?")
PROSE_TOKENS = {tokenize.COMMENT, tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", tokenize.STRING)}
OUTSIDE = re.compile(r"\.\./shared|SPEC\.md|\bissue \d+", re.IGNORECASE)


def _sections() -> tuple[str, str]:
    text = RULES.read_text(encoding="utf-8")
    body, heading, pending = text.partition(f"\n{PENDING_HEADING}\n")
    assert heading, f"docs/rules.md has no section titled {PENDING_HEADING!r}"
    return body, pending


BODY, PENDING_SECTION = _sections()
DEFINED = DEFINITION.findall(BODY)
NOT_YET_BUILT = PENDING.findall(PENDING_SECTION)
BUILT = sorted(set(DEFINED) - set(NOT_YET_BUILT), key=lambda rule: (rule[0], int(rule[1:])))


def cited_ids(text: str) -> set[str]:
    """Every rule id `text` names, a range such as "A1–A9" naming each id from its first to its last."""
    found = set()
    for letter, first, last in CITATION.findall(text):
        low, high = sorted((int(first), int(last or first)))
        found.update(f"{letter}{n}" for n in range(low, high + 1))
    return found


def python_citations(source: bytes) -> set[str]:
    """The rule ids cited in a Python source: in its comments, docstrings and string literals only.

    The bare pattern, run over whole files, would also read the program's own names (a variable,
    a function or an attribute spelt like an id). Code cites a rule in prose (a docstring, a
    comment) or in a message or rule name it raises ("G1.role"), so the source is read with
    `tokenize` and only COMMENT and STRING tokens (FSTRING_MIDDLE from Python 3.12) are searched.
    A string literal that only looks like an id, such as an Excel cell "A1" handed to openpyxl or
    a staff id "S9" in a test, still reads as one: under `hallmon/` none does today.
    """
    found = set()
    for token in tokenize.tokenize(io.BytesIO(source).readline):
        if token.type in PROSE_TOKENS:
            found |= cited_ids(token.string)
    return found


@functools.cache
def citations_by_file(folder: str) -> dict[Path, frozenset[str]]:
    """The rule ids each Python file and template under `folder` cites (this test file excepted)."""
    found = {}
    for path in sorted((ROOT / folder).rglob("*.py")):
        if path != Path(__file__).resolve():
            found[path] = frozenset(python_citations(path.read_bytes()))
    for path in sorted((ROOT / folder).rglob("*.html")):
        found[path] = frozenset(cited_ids(path.read_text(encoding="utf-8")))
    return found


def cited_in(*folders: str) -> set[str]:
    return {rule for folder in folders for ids in citations_by_file(folder).values() for rule in ids}


def test_the_rules_document_defines_rules_and_marks_some_not_yet_built():
    assert len(DEFINED) > 50
    assert NOT_YET_BUILT
    assert "\n## " not in PENDING_SECTION, f"{PENDING_HEADING!r} must be the last section"


def test_each_rule_id_is_defined_once():
    repeated = sorted({rule for rule in DEFINED if DEFINED.count(rule) > 1})
    assert repeated == []


def test_each_rule_not_yet_built_is_still_stated_in_full_above():
    assert sorted(set(NOT_YET_BUILT) - set(DEFINED)) == []
    assert len(NOT_YET_BUILT) == len(set(NOT_YET_BUILT))


@pytest.mark.parametrize("rule", BUILT)
def test_a_built_rule_is_cited_in_the_code(rule):
    assert rule in cited_in("hallmon", "templates"), f"{rule} is cited nowhere in hallmon/ or templates/"


@pytest.mark.parametrize("rule", BUILT)
def test_a_built_rule_is_cited_in_the_tests(rule):
    assert rule in cited_in("tests"), f"{rule} is cited nowhere in tests/"


def test_the_code_cites_no_rule_the_document_does_not_define():
    """Every id a Python file under hallmon/ names in its prose or strings is a rule of docs/rules.md."""
    undefined = {
        f"{path.relative_to(ROOT)}: {', '.join(sorted(ids - set(DEFINED)))}"
        for path, ids in citations_by_file("hallmon").items()
        if path.suffix == ".py" and ids - set(DEFINED)
    }
    assert sorted(undefined) == []


def test_citations_are_read_as_the_code_writes_them():
    source = (
        b'"""A1-A3 and B1\xe2\x80\x93B2: a docstring."""\n'
        b"A4 = 1  # S5 in a comment\n"
        b'raise GateError("G1.role", f"K2 {n}")\n'
        b'code = "A01 DT-2024 T-1 A10x"\n'
    )
    assert python_citations(source) == {"A1", "A2", "A3", "B1", "B2", "S5", "G1", "K2"}


def test_the_readme_and_the_docs_point_nowhere_outside_the_repository():
    files = [ROOT / "README.md", *sorted(p for p in (ROOT / "docs").rglob("*") if p.is_file())]
    pointers = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in files
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if OUTSIDE.search(line)
    ]
    assert pointers == []
