"""Settings that read an environment variable nobody set."""

import os

DEBUG = False
SECRET_KEY = os.environ["PROBE_MISSING_VARIABLE"]
