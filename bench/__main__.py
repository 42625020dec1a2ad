"""``make bench``: every benchmark, each in its own process, one after another.

Each module prints its own figures as ratios against a baseline it measures in the
same run. ``BENCH_ONLY=analyze,store`` runs a subset.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Order follows the data flow: capture/normalise → extract → store → show.
MODULES = [
    "normalize", "analyze", "activities", "techniques", "store", "search_pg", "watch", "web", "workbench", "engines",
]  # fmt: skip


def main() -> int:
    only = {m for m in os.environ.get("BENCH_ONLY", "").split(",") if m}
    failed = 0
    for name in MODULES:
        script = HERE / f"{name}.py"
        if not script.exists() or (only and name not in only):
            continue
        print(f"\n=== {name} ===", flush=True)
        failed += subprocess.run([sys.executable, str(script)], check=False).returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
