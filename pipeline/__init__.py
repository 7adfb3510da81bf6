"""minutes: documents of the political groups' negotiation group, from YAML to DOCX and ODT."""

# The one place of the version: pyproject.toml reads it from here, `minutes --version` prints it.
__version__ = "0.1.0"
# The messages the pipeline sends: the invitation to the groups, the draft to the chair for
# review, and the approved minutes to the groups.
MESSAGE_KINDS = ("invitation", "review", "minutes")
