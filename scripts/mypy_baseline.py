"""``make types``: mypy on the whole project, held to a baseline that may only shrink.

mypy runs with the configuration in ``pyproject.toml`` ([tool.mypy]: the Django and DRF plugins, strict
flags for ``common``, pricing, the ledger and every services module). Its errors are compared with
``mypy-baseline.txt`` by file, error code and message, without line numbers, so an edit elsewhere in a
file does not break the comparison (the same error twice in one file is two entries):

* an error that is not in the baseline fails the run;
* a baseline entry that mypy no longer reports is printed (not a failure): ``--update`` drops it;
* every ``services*.py`` module of the apps must be in the strict override, or the run fails (mypy's
  module patterns cannot say ``services_*``, so a new services module has to be named there).

``--update`` rewrites the baseline without the entries that are gone. It refuses to add entries unless
``--accept-new`` is given too (for a move of files, whose errors change path; the diff shows the growth).

Importing the settings needs ``DEBUG=1`` or a ``SECRET_KEY``: without either, this sets ``DEBUG=1`` for mypy.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "mypy-baseline.txt"
HEADER = """\
# mypy errors tolerated outside the clean modules, one per line: file: [code] message (no line numbers).
# It may only shrink: `make types` fails on any error not listed here. Fix an error, then drop its line
# with `.venv/bin/python scripts/mypy_baseline.py --update`. Never add lines to silence a new error (only a
# module that moved keeps its errors under the new path: --update --accept-new).
"""
# path:line: error: message  [code]   (mypy --show-error-codes, without column numbers)
ERROR_LINE = re.compile(
    r"^(?P<path>[^:\s][^:]*):(?P<line>\d+): error: (?P<message>.*?)(?:  \[(?P<code>[\w-]+)\])?$"
)
# Messages that name another line ("already defined on line 12") would change with unrelated edits.
LINE_MENTION = re.compile(r"\bline \d+\b")
SERVICES_FILE = re.compile(r"services(_\w+)?\.py")
NOT_APP_CODE = {"tests", "benchmarks", "migrations", "scripts", ".venv", "var", "test-artifacts"}


def normalise(path: str, code: str | None, message: str) -> str:
    message = LINE_MENTION.sub("line N", message.strip())
    return f"{path}: [{code or 'misc'}] {message}"


def mypy_errors() -> tuple[list[str], str]:
    """The normalised errors of one mypy run over the project, and mypy's raw output."""
    env = dict(os.environ)
    if not env.get("SECRET_KEY"):
        env.setdefault("DEBUG", "1")
    cmd = [sys.executable, "-m", "mypy", "--show-error-codes", "--no-pretty", "--no-error-summary"]
    cmd += ["--hide-error-context", "--no-color-output"]
    result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    output = result.stdout + result.stderr
    if result.returncode not in (0, 1):  # 2: mypy itself failed (bad configuration, crash)
        sys.exit(f"mypy failed (exit {result.returncode}):\n{output}")
    errors = []
    for line in output.splitlines():
        match = ERROR_LINE.match(line)
        if match:
            errors.append(normalise(match["path"], match["code"], match["message"]))
        elif ": error:" in line:
            sys.exit(f"cannot read this mypy error line:\n{line}")
    if result.returncode == 1 and not errors:
        sys.exit(f"mypy failed without errors this script can read:\n{output}")
    return errors, output


def baseline_read() -> list[str]:
    if not BASELINE.exists():
        return []
    lines = BASELINE.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def baseline_write(entries: Counter[str]) -> None:
    BASELINE.write_text(HEADER + "".join(f"{e}\n" for e in sorted(entries.elements())), encoding="utf-8")


def _glob(pattern: str) -> re.Pattern[str]:
    """A mypy override pattern as a regex: ``a.*.b`` matches ``a.b`` and ``a.x.y.b`` (as mypy does)."""
    parts = pattern.split(".")
    expr = ".*" if parts[0] == "*" else re.escape(parts[0])
    for part in parts[1:]:
        expr += r"(\..*)?" if part == "*" else re.escape("." + part)
    return re.compile(expr + r"\Z")


def strict_patterns() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns: list[str] = []
    for override in config["tool"]["mypy"].get("overrides", []):
        if override.get("disallow_untyped_defs"):
            modules = override["module"]
            patterns += [modules] if isinstance(modules, str) else modules
    return patterns


def services_not_strict() -> list[str]:
    """Services modules of the apps that the strict override does not name."""
    globs = [_glob(p) for p in strict_patterns()]
    missing = []
    for path in sorted(ROOT.rglob("services*.py")):
        relative = path.relative_to(ROOT)
        if not SERVICES_FILE.fullmatch(path.name) or NOT_APP_CODE & set(relative.parts):
            continue
        module = ".".join(relative.with_suffix("").parts)
        if not any(g.match(module) for g in globs):
            missing.append(module)
    return missing


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--update", action="store_true", help="drop the baseline entries that are gone")
    parser.add_argument(
        "--accept-new", action="store_true", help="with --update: also record errors not in the baseline"
    )
    args = parser.parse_args()
    if args.accept_new and not args.update:
        parser.error("--accept-new only goes with --update")

    failed = False
    missing = services_not_strict()
    if missing:
        failed = True
        print("Services modules missing from the strict [[tool.mypy.overrides]] in pyproject.toml:")
        print("".join(f"  {m}\n" for m in missing), end="")

    errors, output = mypy_errors()
    current = Counter(errors)
    baseline = Counter(baseline_read())
    new = current - baseline
    gone = baseline - current

    if gone:
        print(f"{sum(gone.values())} baseline entries are fixed (drop them with --update):")
        print("".join(f"  {e}\n" for e in sorted(gone.elements())), end="")
    if new and not (args.update and args.accept_new):
        failed = True
        print(
            f"{sum(new.values())} mypy errors not in the baseline ({BASELINE.name}); fix them (a module that"
            " only moved keeps its errors under the new path: --update --accept-new, and say so in the commit):"
        )
        new_keys = set(new)
        for line in output.splitlines():
            match = ERROR_LINE.match(line)
            if match and normalise(match["path"], match["code"], match["message"]) in new_keys:
                print(f"  {line}")
    if args.update:
        if args.accept_new or not new:
            kept = current if args.accept_new else baseline - gone
            baseline_write(kept)
            print(f"{BASELINE.name}: {sum(kept.values())} entries (was {sum(baseline.values())})")
        else:
            print(f"{BASELINE.name} not updated: fix the new errors first (or --accept-new after a move)")
    print(
        f"mypy: {len(errors)} errors, {sum((current & baseline).values())} of them in the baseline "
        f"({sum(baseline.values())} entries), {sum(new.values())} new, {sum(gone.values())} fixed"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
