"""minutes: documents of the political groups' negotiation group, from YAML to DOCX and ODT."""

__version__ = "0.1.0"
