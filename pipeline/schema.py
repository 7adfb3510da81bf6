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


# What the editor shows when the secretary points at a field: Finnish, by model and field (a
# field name alone where it means the same everywhere).
HELP: dict[str, str] = {
    "municipality": "Kunnan nimi, kuten se painetaan asiakirjoihin (Äänekosken kaupunki)",
    "logo": "Kunnan logo tai vaakuna: PNG- tai SVG-tiedosto organisation.yaml-tiedoston vieressä",
    "body": "Neuvotteluryhmän nimi, kuten se painetaan asiakirjoihin",
    "appointed_by": "Ryhmän asettaja (Kaupunginhallitus)",
    "language": "Asiakirjojen kieli: fi",
    "chair": "Puheenjohtaja, joka hyväksyy pöytäkirjat",
    "vice_chair": "Varapuheenjohtaja (valinnainen)",
    "secretary": "Sihteeri, joka laatii asiakirjat",
    "name": "Nimi",
    "email": "Sähköpostiosoite",
    "phone": "Puhelinnumero lainausmerkeissä",
    "group": "Henkilön oma valtuustoryhmä (ryhmän tunnus, esim. kesk)",
    "public_key": "Puheenjohtajan julkinen avain komennosta minutes keygen",
    "groups": "Valtuustoryhmät painojärjestyksessä",
    "Group.id": "Ryhmän lyhyt tunnus pienin kirjaimin (sdp, kesk), jota muut tiedostot käyttävät",
    "Group.name": "Ryhmän koko nimi (Sosialidemokraattinen valtuustoryhmä)",
    "short": "Ryhmän lyhenne (SDP)",
    "members": "Ryhmän edustajat neuvotteluryhmässä",
    "substitute": "true, jos henkilö on varajäsen",
    "distribution": "Osoitteet, joihin ryhmän pöytäkirja ja saate lähetetään",
    "formats": "Liitteiden muodot: docx, odt, pdf",
    "mail": "Sähköpostin lähettäjä ja palvelin",
    "sender": 'Lähettäjä, esim. "Teppo Testaaja <teppo.testaaja@example.fi>"',
    "smtp": "Lähtevän postin palvelin (tarvitaan vasta todelliseen lähettämiseen)",
    "wording": "Vakiotekstien korvaajat",
    "record": "Mitä muistiinpanoasiakirjaa kutsutaan: pöytäkirja tai muistio",
    "disclaimer": "Korvaa vakiotekstin: pöytäkirja ei ole virallinen eikä sisällä päätöksiä",
    "confidentiality": "Korvaa luottamuksellisuusmerkinnän vakiotekstin",
    "number": "Kokouksen numero muodossa numero/vuosi (5/2026)",
    "date": "Kokouksen päivämäärä muodossa VVVV-KK-PP (2026-12-07)",
    "start": 'Alkamisaika lainausmerkeissä ("17:00")',
    "end": 'Suunniteltu päättymisaika lainausmerkeissä ("19:00")',
    "place": "Kokouspaikka",
    "remote": "Etäyhteyden osoite",
    "invited_on": "Kokouskutsun päivämäärä (VVVV-KK-PP)",
    "previous": "Edellisen kokouksen kansio, jos ei edellinen päivämäärän mukaan",
    "Agenda.items": "Esityslistan asiat järjestyksessä; ne numeroidaan 1, 2, 3 …",
    "AgendaItem.title": "Asian otsikko",
    "presenter": "Asian alustaja (kaupunginjohtaja Ville Virkamies)",
    "background": "Tausta: kappaleita ja - -alkuisia luetteloita",
    "attachments": "Asian liitteet: otsikko, tai otsikko ja tiedosto (file)",
    "Attachment": "Liite: otsikko, tai otsikko ja tiedosto (file), joka lähtee kokouskutsun mukana",
    "Attachment.title": "Liitteen otsikko",
    "file": "Liitetiedosto kokouskansion sisällä",
    "confidential": "true, jos asia on luottamuksellinen",
    "opened": 'Kello, jolloin puheenjohtaja avasi kokouksen ("17:03")',
    "closed": 'Kello, jolloin puheenjohtaja päätti kokouksen ("18:52")',
    "attendance": "Läsnä ja poissa olleet sekä kutsutut asiantuntijat",
    "present": "Läsnä olleet: nimi kokoonpanosta, tai nimi ja kenen tilalla (substitute_for)",
    "substitute_for": "Varsinainen jäsen, jonka tilalla varajäsen oli",
    "absent": "Poissa olleet jäsenet",
    "guests": "Asiantuntijat ja muut kutsutut: nimi, tehtävä ja asiat, joissa kuultiin",
    "Guest.title": "Tehtävänimike (kaupunginjohtaja)",
    "Guest.items": "Asioiden numerot, joissa henkilö oli kuultavana",
    "Notes.items": "Muistiinpanot asioittain esityslistan numeron mukaan (3:)",
    "ItemNotes.title": "Asian otsikko (valinnainen; tarkistetaan esityslistaa vasten)",
    "discussion": "Keskustelu lyhyesti: kappaleita ja - -alkuisia luetteloita",
    "agreed": "Yhdessä linjatut näkemykset",
    "dissent": "Eriävät kannat ryhmittäin",
    "Dissent.groups": "Ryhmien tunnukset, joiden kanta on eriävä",
    "position": "Eriävä kanta",
    "follow_up": "Jatkovalmistelun kohdat: tehtävä, vastuu ja määräaika",
    "task": "Tehtävä",
    "owner": "Vastuutaho",
    "due": "Määräaika (VVVV-KK-PP)",
    "statement": "Yhteinen kannanotto",
    "text": "Kannanoton teksti",
    "public": "true vain, jos kaikki ryhmät sopivat julkaisemisesta",
    "intended_wording": "Lainaus (vähintään kolme sanaa) lauseesta, jonka sanamuoto on "
    "tarkoituksellinen",
    "Person.title": "Tehtävänimike (kaupunginvaltuuston puheenjohtaja)",
    "host": "Palvelimen nimi (smtp.example.fi)",
    "port": "Portti (587)",
    "security": "Salaus: starttls, ssl tai none (none vain tälle koneelle)",
    "username": "Käyttäjätunnus palvelimelle",
    "password_env": "Ympäristömuuttuja, josta salasana luetaan (MINUTES_SMTP_PASSWORD)",
    "cafile": "Palvelimen oman varmenteen CA-tiedosto (valinnainen)",
    "follow_up_done": "Aiempien kokousten jatkovalmistelun kohdat, jotka on tehty (5/2026-3.1)",
}


def _explain(node: Any, model: str = "") -> None:
    """Give every field its Finnish help, by `Model.field` or by the field's name."""
    if isinstance(node, dict):
        for name, field in node.get("properties", {}).items():
            text = HELP.get(f"{model}.{name}") or HELP.get(name)
            if text and isinstance(field, dict):
                field["description"] = text
                field.pop("title", None)
        for key, value in node.items():
            if key == "$defs":
                for name, definition in value.items():
                    # A model's own description is its docstring, in English: the Finnish
                    # help by its name, or none.
                    if name in HELP:
                        definition["description"] = HELP[name]
                    else:
                        definition.pop("description", None)
                    _explain(definition, name)
            elif key != "properties":
                _explain(value, model)
        for field in node.get("properties", {}).values():
            _explain(field, model)
    elif isinstance(node, list):
        for value in node:
            _explain(value, model)


def schema_name(input_file: str) -> str:
    """`agenda.yaml` → `agenda.schema.json`."""
    return f"{Path(input_file).stem}.schema.json"


def json_schema(input_file: str) -> dict[str, Any]:
    """The JSON Schema of one input file (organisation.yaml, agenda.yaml or notes.yaml)."""
    model, title = SCHEMAS[input_file]
    schema = model.model_json_schema(mode="validation")
    _explain(schema, model.__name__)
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
