import sys
from pathlib import Path

# The shared test helpers (corpus.py, dataset_compare.py) live beside the tests.
sys.path.insert(0, str(Path(__file__).parent))
