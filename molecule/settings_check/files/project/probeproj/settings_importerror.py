"""Settings that import a module that is not there (a local_settings never deployed)."""

import probeproj_local_settings

DEBUG = probeproj_local_settings.DEBUG
