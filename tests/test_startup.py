"""Every command starts without the heavy libraries only some need (docs/workbench.md, "Start-up"):
pandas (export), SciPy (through datasketch: near-duplicate hashing when writing), spaCy and torch
(analysis), uvicorn and FastAPI (serve) are imported where they are used, not by the CLI's start."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("pandas", "scipy", "datasketch", "spacy", "torch", "uvicorn", "fastapi")


def test_the_cli_starts_without_heavy_libraries() -> None:
    code = (
        "import sys\nimport statemedia.cli.commands\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "[]"
