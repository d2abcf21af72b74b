"""The docsite pages (docs/docsite/rst, antsibull-docs) list every guide of docs/.

antsibull-docs renders extra docs from RST only; the guides are Markdown, so the
pages link to each one on GitHub. A guide added to docs/ must be listed there, and
a link must name a guide that exists. `make lint` checks the pages themselves
(antsibull-docs lint-collection-docs).
"""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
DOCSITE = ROOT / "docs" / "docsite"
BLOB = "https://github.com/djangostack/deploy/blob/main/"
LINK = re.compile(re.escape(BLOB) + r"([^>`\s]+)")


def pages():
    return {path.name: path.read_text(encoding="utf-8") for path in sorted((DOCSITE / "rst").glob("*.rst"))}


def linked():
    return sorted(set(match.group(1) for text in pages().values() for match in LINK.finditer(text)))


def test_every_guide_is_linked_from_the_docsite():
    guides = sorted(str(path.relative_to(ROOT)) for path in
                    list(ROOT.glob("docs/*.md")) + list(ROOT.glob("docs/roles/*.md")))
    assert guides, "no guide found in docs/"
    assert sorted(set(guides) - set(linked())) == [], "guides that docs/docsite/rst/*.rst do not link to"


def test_every_link_names_a_file_of_the_repository():
    assert linked(), "docs/docsite/rst/*.rst link to no guide"
    assert [path for path in linked() if not (ROOT / path).is_file()] == []


def test_every_role_reference_is_linked():
    roles = sorted(path.parent.parent.name for path in ROOT.glob("roles/*/meta/argument_specs.yml"))
    text = pages()["roles.rst"]
    assert [role for role in roles if ":ansplugin:`djangostack.deploy.%s#role`" % role not in text] == []


def test_every_page_is_in_the_index():
    with (DOCSITE / "extra-docs.yml").open(encoding="utf-8") as stream:
        index = yaml.safe_load(stream)
    refs = sorted(entry["ref"] for section in index["sections"] for entry in section["toctree"])
    assert refs == sorted(name[:-len(".rst")] for name in pages())
