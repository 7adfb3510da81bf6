"""A fast start: what `minutes check` and `--help` leave unimported, and the fast YAML parser
reading the same lines as the Python one. (Speed itself is measured in benchmarks/bench.py.)"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml
from conftest import MEETING, ROOT

from pipeline.loading import _compose

ENGINES = (
    "docxtpl",
    "docx",
    "jinja2",
    "lxml",
    "markdown_it",
    "odf",
    "cryptography",
    "icalendar",
    "babel",
    "pipeline.context_types",
)


def imported_by(project: Path, *args: str) -> list[str]:
    """The heavy libraries a command imports, run in a fresh interpreter."""
    code = (
        "import sys, json\n"
        "from click.testing import CliRunner\n"
        "from pipeline.cli import main\n"
        f"result = CliRunner().invoke(main, {list(args)!r})\n"
        "assert result.exit_code == 0, result.output\n"
        f"print(json.dumps(sorted(m for m in {ENGINES!r} if m in sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=project, capture_output=True, text=True, check=True
    )
    return list(json.loads(done.stdout))


def test_check_imports_no_rendering_engine(project: Path) -> None:
    """Verify `minutes check` runs without importing docxtpl, Jinja, lxml, Markdown, odfpy,
    cryptography, icalendar, Babel's calendar data or the render context's types: they are
    imported where documents are made."""
    assert imported_by(project, "check", MEETING) == []


def test_help_imports_nothing_heavy(project: Path) -> None:
    """Verify `minutes --help` imports none of them, nor pydantic or YAML."""
    code = (
        "import sys; from click.testing import CliRunner; from pipeline.cli import main\n"
        "assert CliRunner().invoke(main, ['--help']).exit_code == 0\n"
        "print(sorted(m for m in ('pydantic', 'yaml', 'lxml', 'babel') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def lines(node: yaml.Node) -> list[tuple[str, int, int]]:
    found = [(type(node).__name__, node.start_mark.line, node.start_mark.column)]
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            found += lines(key) + lines(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            found += lines(item)
    return found


def test_fast_parser_reads_the_same_nodes_and_lines() -> None:
    """Verify the YAML reader uses libyaml's parser when installed, and that it gives the same
    nodes, values, styles and lines as the Python parser for every example file."""
    assert getattr(yaml, "__with_libyaml__", False)
    for path in sorted((ROOT / "inputs").rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        (fast,) = _compose(text)
        (slow,) = yaml.compose_all(text, Loader=yaml.SafeLoader)
        assert lines(fast) == lines(slow), path
        assert yaml.serialize(fast) == yaml.serialize(slow), path
