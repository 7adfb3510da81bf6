"""JSON Schemas of the three input files, from the models that validate them.

An editor with YAML support (the yaml-language-server) reads the schema named on a file's first
line, `# yaml-language-server: $schema=...`, and completes and checks the fields while the
secretary types. The schemas come from pipeline/model.py, so a field `check` rejects the editor
underlines too.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from pipeline.loading import AGENDA, NOTES, ORGANISATION
from pipeline.model import Agenda, Notes, Organisation
from pipeline.storage import atomic_write

DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMAS: dict[str, tuple[type[BaseModel], str]] = {
    ORGANISATION: (Organisation, "Neuvotteluryhmän kokoonpano (organisation.yaml)"),
    AGENDA: (Agenda, "Kokouksen esityslista (agenda.yaml)"),
    NOTES: (Notes, "Kokouksen muistiinpanot (notes.yaml)"),
}


def schema_name(input_file: str) -> str:
    """`agenda.yaml` → `agenda.schema.json`."""
    return f"{Path(input_file).stem}.schema.json"


def json_schema(input_file: str) -> dict[str, Any]:
    """The JSON Schema of one input file (organisation.yaml, agenda.yaml or notes.yaml)."""
    model, title = SCHEMAS[input_file]
    schema = model.model_json_schema(mode="validation")
    return {"$schema": DIALECT, **schema, "title": title}


def write_schemas(folder: Path) -> list[Path]:
    """Write organisation.schema.json, agenda.schema.json and notes.schema.json into `folder`."""
    written = []
    for input_file in SCHEMAS:
        path = folder / schema_name(input_file)
        text = json.dumps(json_schema(input_file), ensure_ascii=False, indent=2) + "\n"
        atomic_write(path, text.encode("utf-8"))
        written.append(path)
    return written


def modeline(input_file: str, schema_folder: str) -> str:
    """The first line that names the file's schema for the editor."""
    return f"# yaml-language-server: $schema={schema_folder}/{schema_name(input_file)}\n"
