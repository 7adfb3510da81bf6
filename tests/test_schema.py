"""The JSON Schemas of the input files: written by `minutes schema`, named by `minutes new`."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from conftest import ROOT, Run

INPUTS = ROOT / "inputs"
EXAMPLES = [
    ("organisation.schema.json", INPUTS / "organisation.yaml"),
    *(("agenda.schema.json", p) for p in sorted(INPUTS.glob("*/agenda.yaml"))),
    *(("notes.schema.json", p) for p in sorted(INPUTS.glob("*/notes.yaml"))),
]


class Yaml12Loader(yaml.SafeLoader):
    """YAML as an editor's language server reads it (YAML 1.2 core schema): only true/false
    are booleans and only digits are numbers; a bare date or 17:03 is text."""


Yaml12Loader.yaml_implicit_resolvers = {}
for tag, pattern, first in (
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        "tag:yaml.org,2002:float",
        r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$",
        "-+.0123456789",
    ),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
):
    Yaml12Loader.add_implicit_resolver(tag, re.compile(pattern), list(first))


def as_editor_sees(path: Path) -> Any:
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=Yaml12Loader)
    return json.loads(json.dumps(data))  # JSON's keys are text: item 3 is "3"


@pytest.fixture
def schemas(tmp_path: Path, run: Run) -> dict[str, Any]:
    result = run("schema", str(tmp_path / "schemas"))
    assert result.exit_code == 0, result.output
    return {
        p.name: json.loads(p.read_text(encoding="utf-8"))
        for p in (tmp_path / "schemas").glob("*.json")
    }


def validator(schema: dict[str, Any]) -> jsonschema.protocols.Validator:
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


@pytest.mark.parametrize(("name", "example"), EXAMPLES, ids=lambda v: str(v)[-30:])
def test_schemas_accept_the_example_inputs(
    schemas: dict[str, Any], name: str, example: Path
) -> None:
    """Verify every example input file is valid against its written schema."""
    errors = [e.message for e in validator(schemas[name]).iter_errors(as_editor_sees(example))]
    assert errors == []


@pytest.mark.parametrize(
    ("name", "example", "change"),
    [
        ("organisation.schema.json", "organisation.yaml", ("secretary", "emial", "x@example.fi")),
        ("agenda.schema.json", "2026-12-07/agenda.yaml", (None, "plase", "Kaupungintalo")),
        ("notes.schema.json", "2026-12-07/notes.yaml", ("items.3", "agred", ["Linjaus."])),
        ("agenda.schema.json", "2026-12-07/agenda.yaml", (None, "start", "25:00")),
        ("agenda.schema.json", "2026-12-07/agenda.yaml", (None, "date", "7.12.2026")),
        ("notes.schema.json", "2026-12-07/notes.yaml", ("items", "kolme", {"discussion": "x"})),
    ],
)
def test_schemas_reject_what_check_rejects(
    schemas: dict[str, Any], run: Run, project: Path, name: str, example: str, change: tuple
) -> None:
    """Verify a misspelt field, a wrong time, a date in the wrong form and an item key that is
    not a number fail the schema, and fail `minutes check` just the same."""
    where, key, value = change
    data = as_editor_sees(INPUTS / example)
    target = data
    for part in where.split(".") if where else ():
        target = target[part]
    target[key] = value
    assert list(validator(schemas[name]).iter_errors(data)), "the schema accepted it"
    path = project / "inputs" / example
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert run("check", "2026-12-07").exit_code == 1


def test_new_names_the_schema_on_the_first_line(project: Path, run: Run) -> None:
    """Verify the agenda written by `new` names its schema on line 1, that the schema is there,
    and that the new agenda is valid against it."""
    assert run("new", "2027-01-18").exit_code == 0
    agenda = project / "inputs" / "2027-01-18" / "agenda.yaml"
    first = agenda.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../schemas/agenda.schema.json"
    schema_file = (agenda.parent / first.split("$schema=")[1]).resolve()
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    assert list(validator(schema).iter_errors(as_editor_sees(agenda))) == []
    assert run("check", "2027-01-18").exit_code == 0


def test_every_field_has_finnish_help(schemas: dict[str, Any]) -> None:
    """Verify every field of the three schemas has a description for the editor to show, in
    Finnish (not pydantic's English title)."""

    def fields(node: Any) -> list[tuple[str, Any]]:
        found = []
        if isinstance(node, dict):
            found += list(node.get("properties", {}).items())
            for value in node.values():
                found += fields(value)
        elif isinstance(node, list):
            for value in node:
                found += fields(value)
        return found

    for name, schema in schemas.items():
        for field, spec in fields(schema):
            assert spec.get("description"), (name, field)
            assert "title" not in spec, (name, field)
    agenda = schemas["agenda.schema.json"]
    assert "VVVV-KK-PP" in agenda["properties"]["date"]["description"]
