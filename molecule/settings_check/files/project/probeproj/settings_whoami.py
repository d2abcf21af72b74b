"""Settings that stop the import with who imports them: user, groups and directory."""

import os

from django.core.exceptions import ImproperlyConfigured

raise ImproperlyConfigured(
    f"uid={os.getuid()} gid={os.getgid()} groups={','.join(map(str, sorted(os.getgroups())))} cwd={os.getcwd()}"
)
