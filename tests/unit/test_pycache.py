"""The test hosts' compiler cache (molecule/shared/pycache.py): the same code, compiled once."""

import importlib.util
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "molecule" / "shared" / "pycache.py"
SPEC = importlib.util.spec_from_file_location("pycache", SCRIPT)
pycache = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(pycache)

SOURCE = b"def answer():\n    def inner():\n        return 41\n    return inner() + 1\n"


@pytest.fixture(name="counted")
def fixture_counted(tmp_path):
    """A cached compiler over tmp_path/cache and the file names it really compiled."""
    compiled = []

    def compile_source(pathname, source):
        compiled.append(pathname)
        return compile(source, pathname, "exec", dont_inherit=True)
    return pycache.cached_compiler(compile_source, cache=str(tmp_path / "cache")), compiled


def run(code):
    namespace = {}
    exec(code, namespace)  # pylint: disable=exec-used
    return namespace["answer"]


def test_the_same_source_is_compiled_once_and_named_after_each_import(counted, tmp_path):
    compile_cached, compiled = counted
    first = compile_cached("/tmp/a/ansible_modlib.zip/m.py", SOURCE)
    again = compile_cached("/tmp/b/ansible_modlib.zip/m.py", SOURCE)
    assert compiled == ["/tmp/a/ansible_modlib.zip/m.py"]
    assert run(first)() == run(again)() == 42
    # Tracebacks name the zip of this run, in nested functions too.
    answer = run(again)
    assert answer.__code__.co_filename == "/tmp/b/ansible_modlib.zip/m.py"
    inner = next(const for const in answer.__code__.co_consts if hasattr(const, "co_code"))
    assert inner.co_filename == "/tmp/b/ansible_modlib.zip/m.py"
    assert (tmp_path / "cache").stat().st_mode & 0o777 == 0o700


def test_another_source_is_compiled_and_a_broken_entry_is_compiled_again(counted, tmp_path):
    compile_cached, compiled = counted
    compile_cached("m.py", SOURCE)
    assert run(compile_cached("m.py", SOURCE.replace(b"41", b"1")))() == 2
    for entry in (tmp_path / "cache").iterdir():
        entry.write_bytes(b"not marshal data")
    assert run(compile_cached("m.py", SOURCE))() == 42
    assert len(compiled) == 3


@pytest.mark.skipif(os.geteuid() != 0, reason="the cache is root's only")
def test_an_import_from_a_zip_in_a_new_interpreter_uses_the_cache(tmp_path):
    archive = tmp_path / "modlib.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("m.py", SOURCE)
    program = ("import sys; sys.path.insert(0, sys.argv[1]); import pycache; installed = pycache.install(); "
               "sys.path.insert(0, sys.argv[2]); import m; print(installed, m.answer(), m.__file__)")
    env = dict(os.environ, DJANGOSTACK_PYCACHE_DIR=str(tmp_path / "cache"))
    outputs = [subprocess.run([sys.executable, "-c", program, str(SCRIPT.parent), str(archive)], env=env,
                              capture_output=True, text=True, check=True).stdout for _run in range(2)]
    assert outputs[0] == outputs[1] == f"True 42 {archive}{os.sep}m.py\n"
    assert len(list((tmp_path / "cache").iterdir())) == 1
