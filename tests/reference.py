"""The standard's reference material, in ``shared/reference`` beside the project checkout
(CI clones the project with ``shared/`` next to it); ``DICOMBIND_REFERENCE`` overrides."""

from __future__ import annotations

import os
from pathlib import Path

REFERENCE = Path(
    os.environ.get(
        "DICOMBIND_REFERENCE", Path(__file__).resolve().parents[2] / "shared" / "reference"
    )
)
F4_EXAMPLE = REFERENCE / "ps318" / "ps318-F4-example.repaired.json"
DCM4CHE_SAMPLES = REFERENCE / "samples" / "dcm4che"
