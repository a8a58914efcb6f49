"""Mutation testing for the SQL of the method (mutmut mutates Python only): an occasional check, not CI.

Each mutant changes one operator, constant, function or keyword in one ``dbt_like_sql/`` file of a scratch copy
of the repository (placed where ``../shared`` does not exist), runs the focused rule tests, and is *killed* when
they fail. Survivors are listed: each is a rule no test pins down, or an equivalent mutant.

    nice .venv/bin/python bench/mutate_sql.py                                  # every mutant (slow: ~25 s each)
    .venv/bin/python bench/mutate_sql.py --files 'scores/*' --sample 40 --max-minutes 20
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SQL_ROOT = "dbt_like_sql"
SCORES_TESTS = "osir_assets_tests/test_rules_scores.py"
SOURCES_TESTS = "osir_assets_tests/test_rules_sources.py"

# (what, pattern, replacement): regular expressions applied to one occurrence at a time, outside comments.
OPERATORS = [
    ("comparison", r">=", ">"), ("comparison", r"<=", "<"), ("comparison", r"(?<![-<>])>(?!=)", ">="), ("comparison", r"<(?![=>])", "<="),
    ("comparison", r"<>", "="), ("comparison", r"(?<=\s)=(?=\s)", "<>"),
    ("arithmetic", r"(?<=\s)\+(?=\s)", "-"), ("arithmetic", r"(?<=\s)-(?=\s)", "+"), ("arithmetic", r"(?<=\s)\*(?=\s)", "/"), ("arithmetic", r"(?<=\s)/(?=\s)", "*"),
    ("constant", r"(?<![\w.'])\d+(?![\w.'])", None),  # n -> n + 1 (0 -> 1)
    ("function", r"\bdense_rank\(", "rank("), ("function", r"\bsum\(", "max("), ("function", r"\bmax\(", "min("), ("function", r"\bmin\(", "max("),
    ("function", r"\barg_min_null\(", "arg_min("), ("function", r"\barg_max_null\(", "arg_max("), ("function", r"\barg_max\(", "arg_min("),
    ("function", r"\barg_min\(", "arg_max("), ("function", r"\blog2\(", "ln("), ("function", r"\babs\(", "("), ("function", r"\bcount\(DISTINCT ", "count("),
    ("keyword", r"\bDESC\b", "ASC"), ("keyword", r"\bAND\b", "OR"), ("keyword", r"\bOR\b", "AND"), ("keyword", r"\bLEFT JOIN\b", "JOIN"),
    ("keyword", r"\bIS NOT NULL\b", "IS NULL"), ("keyword", r"\bIS NULL\b", "IS NOT NULL"), ("keyword", r"\bNOT (?!NULL)", ""),
]
_STRING_OR_COMMENT = re.compile(r"'[^']*'|--.*$")


@dataclass(frozen=True)
class Mutant:
    path: str  # relative to the repository
    line: int  # 1-based
    start: int
    end: int
    kind: str
    replacement: str

    def apply(self, text: str) -> str:
        lines = text.split("\n")
        source = lines[self.line - 1]
        lines[self.line - 1] = source[: self.start] + self.replacement + source[self.end :]
        return "\n".join(lines)

    def describe(self, text: str) -> str:
        source = text.split("\n")[self.line - 1]
        return f"{self.path}:{self.line}:{self.start + 1}: {source[self.start:self.end]!r} -> {self.replacement!r}"


def _masked(line: str) -> str:
    """The line with string literals and comments blanked out, so that no mutant lands in them."""
    return _STRING_OR_COMMENT.sub(lambda m: " " * len(m.group(0)), line)


def mutants_of(path: Path) -> list[Mutant]:
    found = []
    relative = str(path.relative_to(REPO))
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if line.lstrip().startswith("--"):
            continue  # headers (deps, audit, outputs) and comments: not the method
        code = _masked(line)
        for kind, pattern, replacement in OPERATORS:
            for match in re.finditer(pattern, code):
                new = str(int(match.group(0)) + 1) if replacement is None else replacement
                found.append(Mutant(relative, number, match.start(), match.end(), kind, new))
    return found


def tests_for(path: str) -> list[str]:
    # The module closest to the file runs first: with -x, a mutant it kills costs one module.
    return [SCORES_TESTS, SOURCES_TESTS] if "/scores/" in path or "/indicators/" in path else [SOURCES_TESTS, SCORES_TESTS]


def run_tests(copy: Path, tests: list[str], timeout: float) -> str:
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests]
    try:
        done = subprocess.run(command, cwd=copy, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "timeout"
    return "survived" if done.returncode == 0 else "killed"


def _not_copied(folder: str, names: list[str]) -> set[str]:
    """The environment, history and local databases; a ``data`` folder only at the top (indicators/data is SQL)."""
    skipped = {".venv", ".git", ".tools", "mutants", "__pycache__", ".pytest_cache"}
    return {n for n in names if n in skipped or (n == "data" and Path(folder) == REPO)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", default="**/*.sql", help=f"glob under {SQL_ROOT}/ (default: every file)")
    parser.add_argument("--sample", type=int, default=0, help="run a random sample of this many mutants (0: all)")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--max-minutes", type=float, default=60.0, help="stop starting mutants after this long")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per mutant before it counts as killed by timeout")
    args = parser.parse_args()
    os.nice(10)

    mutants = [m for path in sorted((REPO / SQL_ROOT).glob(args.files)) for m in mutants_of(path)]
    if args.sample and args.sample < len(mutants):
        mutants = random.Random(args.seed).sample(mutants, args.sample)  # in random order: a time cap cuts no file out
    scratch = Path(tempfile.mkdtemp(prefix="osir-mutate-"))
    copy = scratch / "osir"  # scratch/shared does not exist: the tests must not need the published data
    shutil.copytree(REPO, copy, symlinks=True, ignore=_not_copied)
    print(f"{len(mutants)} mutants in {len({m.path for m in mutants})} files; scratch copy {copy}", flush=True)

    started = time.monotonic()
    clean = run_tests(copy, [SCORES_TESTS, SOURCES_TESTS], 3 * args.timeout)
    if clean != "survived":
        shutil.rmtree(scratch, ignore_errors=True)
        sys.exit(f"the focused tests fail without any mutant ({clean}): fix them first")
    results: list[tuple[Mutant, str, str]] = []
    for mutant in mutants:
        if time.monotonic() - started > args.max_minutes * 60:
            print(f"time cap of {args.max_minutes:g} min reached: {len(mutants) - len(results)} mutants not run", flush=True)
            break
        target = copy / mutant.path
        original = target.read_text(encoding="utf-8")
        target.write_text(mutant.apply(original), encoding="utf-8")
        try:
            outcome = run_tests(copy, tests_for(mutant.path), args.timeout)
        finally:
            target.write_text(original, encoding="utf-8")
        results.append((mutant, outcome, mutant.describe(original)))
        print(f"{outcome:9} {mutant.kind:10} {mutant.describe(original)}", flush=True)
    shutil.rmtree(scratch, ignore_errors=True)

    killed = sum(1 for _, outcome, _ in results if outcome != "survived")
    print(f"\n{'file':52} {'mutants':>8} {'killed':>7} {'score':>7}")
    for path in sorted({m.path for m, _, _ in results}):
        mine = [outcome for m, outcome, _ in results if m.path == path]
        dead = sum(1 for o in mine if o != "survived")
        print(f"{path:52} {len(mine):8,} {dead:7,} {dead / len(mine):7.1%}")
    if results:
        print(f"{'all':52} {len(results):8,} {killed:7,} {killed / len(results):7.1%}   ({(time.monotonic() - started) / 60:.1f} min)")
    survivors = [text for _, outcome, text in results if outcome == "survived"]
    if survivors:
        print("\nsurvivors (a rule no focused test pins down, or an equivalent mutant):")
        print("\n".join(f"  {s}" for s in survivors))


if __name__ == "__main__":
    main()
