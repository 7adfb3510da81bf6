"""The wheel carries the default templates: the build copies templates/ into pipeline/templates/.

templates/ stays where a developer edits them (and where tools/make_templates.py writes them);
every file in it except Python files is shipped, mail texts included. The configuration is in
pyproject.toml; this file only adds the copying step to setuptools' build.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

TEMPLATES = Path(__file__).resolve().parent / "templates"


class BuildWithTemplates(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads templates/ where it is
        target = Path(self.build_lib) / "pipeline" / "templates"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(
            TEMPLATES, target, ignore=shutil.ignore_patterns("*.py", "__pycache__", ".*")
        )


setup(cmdclass={"build_py": BuildWithTemplates})
