"""What the playbook tests give ansible-playbook, whichever ansible-core runs them."""

import importlib.util
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def ansible_env(**extra):
    """The environment of an ansible-playbook next to this interpreter.

    This collection comes from .venv/collections (a link to the checkout). The
    collections it depends on come from the `ansible` package of this interpreter's
    virtualenv, or, in a virtualenv of ansible-core alone (the oldest line), from the
    one of .venv.
    """
    paths = [ROOT / ".venv" / "collections"]
    if importlib.util.find_spec("ansible_collections.community") is None:
        paths += sorted((ROOT / ".venv" / "lib").glob("python3*/site-packages"))
    return dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.pathsep.join(str(path) for path in paths),
                ANSIBLE_NOCOLOR="1", **extra)


def ansible_playbook():
    return str(Path(sys.executable).parent / "ansible-playbook")
