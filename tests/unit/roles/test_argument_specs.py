"""The roles' argument specs against their defaults/main.yml.

A literal default of defaults/main.yml is the spec's `default`, equal in value and
type. A default computed by a template (facts, the inventory, the app model) is not
a value the spec can hold: ansible-doc and antsibull-docs would show the template
as the default of an int or a list, and the validation task would template it. The
spec leaves `default` out and its description says what the value is ("Default:
..."). No spec default anywhere, nested options included, is a template.

Descriptions name facts the way the roles read them, ansible_facts['memtotal_mb'],
never the injected variables (ansible_memtotal_mb) that ansible-core deprecates.
"""

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
ROLES = sorted(path.parent.parent.name for path in ROOT.glob("roles/*/meta/argument_specs.yml"))
INJECTED_FACT = re.compile(r"\bansible_(default_ipv[46]|all_ipv[46]_addresses|memtotal_mb|memfree_mb|processor\w*"
                           r"|distribution\w*|os_family|hostname|fqdn|nodename|architecture|kernel\w*|lsb)\b")


def load(path):
    with path.open(encoding="utf-8") as stream:
        return yaml.safe_load(stream)


def specs(role):
    return load(ROOT / "roles" / role / "meta" / "argument_specs.yml")["argument_specs"]


def defaults(role):
    return load(ROOT / "roles" / role / "defaults" / "main.yml") or {}


def templated(value):
    """Whether a value, or anything in it, is a Jinja template."""
    if isinstance(value, str):
        return "{{" in value or "{%" in value
    if isinstance(value, dict):
        return any(templated(key) or templated(item) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return any(templated(item) for item in value)
    return False


def options(spec_options, path=()):
    """(path, option) of every option, nested options included."""
    for name, option in (spec_options or {}).items():
        yield path + (name,), option
        yield from options(option.get("options"), path + (name,))


def description(option):
    text = option.get("description") or ""
    return " ".join(text) if isinstance(text, list) else text


@pytest.mark.parametrize("role", ROLES)
def test_no_spec_default_is_a_template(role):
    found = ["%s: %s" % (entry_point, ".".join(path))
             for entry_point, spec in specs(role).items()
             for path, option in options(spec.get("options"))
             if "default" in option and templated(option["default"])]
    assert found == [], ("roles/%s/meta/argument_specs.yml: a computed default goes into the description "
                         "('Default: ...'), not into default: %s" % (role, found))


@pytest.mark.parametrize("role", ROLES)
def test_every_variable_of_the_main_entry_point_is_in_the_defaults(role):
    main = specs(role)["main"].get("options") or {}
    values = defaults(role)
    assert sorted(set(main) - set(values)) == [], "roles/%s: spec options without a default in defaults/main.yml" % role
    assert sorted(set(values) - set(main)) == [], "roles/%s: defaults/main.yml variables the spec leaves out" % role


@pytest.mark.parametrize("role", ROLES)
def test_a_literal_default_is_the_spec_default(role):
    values = defaults(role)
    for entry_point, spec in specs(role).items():
        for name, option in (spec.get("options") or {}).items():
            if name not in values or templated(values[name]):
                continue
            where = "roles/%s entry point %s, %s" % (role, entry_point, name)
            assert "default" in option, "%s: the spec has no default, defaults/main.yml %r" % (where, values[name])
            assert option["default"] == values[name], "%s: the spec's default is %r, defaults/main.yml %r" % (
                where, option["default"], values[name])
            assert type(option["default"]) is type(values[name]), "%s: the spec's default is a %s, not a %s" % (
                where, type(option["default"]).__name__, type(values[name]).__name__)


@pytest.mark.parametrize("role", ROLES)
def test_a_computed_default_is_described(role):
    values = defaults(role)
    for name, option in (specs(role)["main"].get("options") or {}).items():
        if name in values and templated(values[name]):
            assert "default" not in option, "roles/%s: %s is computed, the spec has no default for it" % (role, name)
            assert "Default: " in description(option), (
                "roles/%s: the description of %s says what its value is when not set ('Default: ...')" % (role, name))


DOCS = sorted(
    [path.relative_to(ROOT) for path in ROOT.glob("roles/*/meta/argument_specs.yml")]
    + [path.relative_to(ROOT) for path in ROOT.glob("plugins/filter/*.yml")]
    + [path.relative_to(ROOT) for path in ROOT.glob("docs/roles/*.md")])


@pytest.mark.parametrize("path", DOCS, ids=str)
def test_documentation_names_facts_by_ansible_facts(path):
    text = (ROOT / path).read_text(encoding="utf-8")
    found = sorted(set(match.group(0) for match in INJECTED_FACT.finditer(text)))
    assert found == [], "%s names injected facts %s: write ansible_facts['...'] instead" % (path, found)
