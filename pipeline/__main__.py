"""`python -m pipeline`: the `minutes` command."""

from pipeline.cli import run

run()
