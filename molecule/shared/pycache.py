# Copyright: (c) 2026, djangostack.deploy contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A compiler cache for what Python imports from zip files, on test hosts only.

Ansible sends each task's module with its module_utils as a zip (AnsiballZ), and
Python compiles source imported from a zip on every import: about 90 ms of CPU per
task on the test hosts, which share the controller's two cores. testhosts.py copies
this file into the hosts of Molecule scenarios (`up --compile-cache`), where a .pth
file calls install() when Python starts. It keeps the code compiled from each source under
the source's SHA-256 and the interpreter's bytecode tag, and gives it back (with the
file name of this import) the next time the same source is imported: the code that
runs is the code compiled from the same source. Only for root (the cache directory is
root's, mode 0700); any error falls back to compiling. `make demo` and `make
benchmark` hosts do not have it: they run as users' hosts do.
"""

import hashlib
import importlib.util
import marshal
import os
import sys
import zipimport

CACHE = os.environ.get("DJANGOSTACK_PYCACHE_DIR", "/var/cache/djangostack-pycache")


def with_filename(code, filename):
    """`code` and the code objects nested in it, with co_filename set to `filename`."""
    consts = tuple(with_filename(const, filename) if isinstance(const, type(code)) else const
                   for const in code.co_consts)
    return code.replace(co_filename=filename, co_consts=consts)


def cached_compiler(compile_source, cache=CACHE):
    """A stand-in for zipimport._compile_source(pathname, source) that keeps what it compiles."""
    tag = f"{importlib.util.MAGIC_NUMBER.hex()}-o{sys.flags.optimize}"

    def compile_cached(pathname, source):
        path = os.path.join(cache, f"{tag}-{hashlib.sha256(source).hexdigest()}")
        try:
            with open(path, "rb") as handle:
                return with_filename(marshal.loads(handle.read()), pathname)
        except (OSError, ValueError, EOFError, TypeError):
            pass
        code = compile_source(pathname, source)
        try:
            os.makedirs(cache, mode=0o700, exist_ok=True)
            partial = f"{path}.{os.getpid()}"
            with open(partial, "wb") as handle:
                handle.write(marshal.dumps(code))
            os.replace(partial, path)
        except OSError:
            pass
        return code

    compile_cached.original = compile_source
    return compile_cached


def install():
    """Put the cache in front of zipimport's compiler (root only; once)."""
    original = getattr(zipimport, "_compile_source", None)
    if original is None or os.geteuid() != 0 or hasattr(original, "original"):
        return False
    zipimport._compile_source = cached_compiler(original)  # pylint: disable=protected-access
    return True
