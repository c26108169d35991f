"""`make bench`: time dicombind's XML and JSON against pydicom's to_json/from_json.

Usage: python bench/run.py [--repeat N] [--quick] [--write-readme README.md]
"""

import sys
from pathlib import Path


def main() -> int:
    # Run as a script, Python puts bench/ (not the repository root) on sys.path.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from bench.harness import main as run_bench

    return run_bench(sys.argv[1:])


if __name__ == "__main__":
    raise SystemExit(main())
