"""The project's settings, with STATIC_ROOT moved to a temp dir so the benchmark's
collectstatic never writes into the working tree."""

import os
from pathlib import Path

from survey.settings import *  # noqa: F403

STATIC_ROOT = Path(os.environ["BENCH_STATIC_ROOT"])
