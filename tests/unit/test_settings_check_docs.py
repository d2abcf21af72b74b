"""docs/settings_check.md documents every finding id of the settings check with its level.

An id is documented by a heading whose section says `Level: <level>.`, or by a table row
`| <id> | <level> | ... |`; every heading and row that names an id must give its level
from CATALOGUE, and the page must name no id that CATALOGUE lacks.
"""

import re
from pathlib import Path

import pytest

from ansible_collections.djangostack.deploy.plugins.module_utils.django_settings import CATALOGUE

DOCS = Path(__file__).resolve().parents[2] / "docs" / "settings_check.md"
ID = r"djangostack\.[A-Z]\d{3}"


def sections():
    """(id, text) for each heading that names an id: the text up to the next heading."""
    found, current = [], None
    for line in DOCS.read_text(encoding="utf-8").splitlines():
        if re.match(r"^#{1,6} ", line):
            match = re.search(r"`?(%s)`?" % ID, line)
            current = [match.group(1), []] if match else None
            if current:
                found.append(current)
        elif current:
            current[1].append(line)
    return [(check_id, "\n".join(lines)) for check_id, lines in found]


def table_rows():
    """(id, level) for each table row whose first cell is an id."""
    rows = []
    for line in DOCS.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\|\s*`?(%s)`?\s*\|\s*`?(\w+)`?\s*\|" % ID, line)
        if match:
            rows.append((match.group(1), match.group(2)))
    return rows


@pytest.mark.parametrize("check_id", sorted(CATALOGUE))
def test_every_id_is_documented_with_its_level(check_id):
    level = CATALOGUE[check_id][0]
    headings = [text for found, text in sections() if found == check_id]
    rows = [row_level for found, row_level in table_rows() if found == check_id]
    assert headings or rows, "%s is neither a heading nor a table row of %s" % (check_id, DOCS)
    for text in headings:
        assert re.search(r"^Level: %s\.$" % level, text, re.M), "the section of %s does not say Level: %s." % (
            check_id, level)
    assert rows == [level] * len(rows), "a table row of %s gives another level than %s" % (check_id, level)


def test_the_docs_name_no_unknown_id():
    named = set(re.findall(ID, DOCS.read_text(encoding="utf-8")))
    assert named, "no id found in %s" % DOCS
    assert named - set(CATALOGUE) == set()


def test_each_id_has_one_section():
    headings = [check_id for check_id, _text in sections()]
    assert sorted(headings) == sorted(set(headings))
