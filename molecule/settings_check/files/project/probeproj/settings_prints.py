"""The clean settings, from a module that prints to stdout and stderr while it loads.

Projects print banners and warnings from their settings, through sys.stdout or
straight to file descriptor 1; some of it looks like JSON. None of it may reach,
or break, the module's result.
"""

import os
import sys

from . import settings_clean

print("probeproj: loading settings")
print('{"findings": [], "failed": true, "msg": "printed by the settings"}')
print("probeproj: DATABASE_PASSWORD is not set, using none", file=sys.stderr)
print("probeproj: réglages chargés ✓")
sys.stdout.write('{"stage": "done", "settings": {}}\n')
sys.stdout.flush()
# What a C extension or a child process writes goes to file descriptor 1 itself.
os.write(1, b'{"plays": [], "msg": "written to fd 1 by the settings"}\n')
os.write(2, b"probeproj: not UTF-8: \xff\xfe\xe9\n")

# `from .settings_clean import *`, spelt so that linters accept it.
globals().update((name, value) for name, value in vars(settings_clean).items() if name.isupper())
