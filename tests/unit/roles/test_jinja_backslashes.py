"""A backslash in a Jinja string literal stays as it is written (ansible-core 2.19 does not
unescape it): '\\\\.' in a plain or folded YAML scalar is a regular expression that wants a
backslash, and silently matches nothing. Write one backslash there ('\\.'), and '\\g<1>'
for a group in a replacement. In a double-quoted YAML scalar YAML itself unescapes."""

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
FILES = sorted(p for d in ("roles", "playbooks") for p in (ROOT / d).rglob("*.yml"))


def doubled_backslashes(path):
    found = []
    with path.open() as stream:
        for event in yaml.parse(stream):
            if isinstance(event, yaml.ScalarEvent) and event.style != '"' and "{{" in event.value \
                    and "\\\\" in event.value:
                found.append("%s:%d" % (path.relative_to(ROOT), event.start_mark.line + 1))
    return found


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_jinja_in_plain_and_folded_scalars_has_no_doubled_backslash(path):
    assert doubled_backslashes(path) == []
