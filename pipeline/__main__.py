"""`python -m pipeline`: the `minutes` command."""

from pipeline.cli import main

main(prog_name="minutes")
