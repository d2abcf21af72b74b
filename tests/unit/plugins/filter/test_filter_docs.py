"""Every filter of plugins/filter/*.py is documented by plugins/filter/<name>.yml.

ansible-doc reads a filter of a file with several filters from the YAML file named
after the filter beside it (DOCUMENTATION, EXAMPLES, RETURN). Each filter that the
FilterModule of a file of plugins/filter registers must have one, each such file
must name a registered filter, and its `positional` and `options` must be the parameters of
the Python function the filter wraps, in order, the first (the piped value)
named `_input`: required when the function gives it no default, else with the
function's default (a default of None is left out).
"""

import importlib
import inspect
from pathlib import Path

import pytest
import yaml

FILTER_DIR = Path(__file__).resolve().parents[4] / "plugins" / "filter"
PLUGIN_FILES = sorted(path.stem for path in FILTER_DIR.glob("*.py") if path.stem != "__init__")


def all_filters():
    """{name: function} of the FilterModule of every file of plugins/filter; a name registered twice is an error."""
    found = {}
    for stem in PLUGIN_FILES:
        module = importlib.import_module("ansible_collections.djangostack.deploy.plugins.filter.%s" % stem)
        for name, func in module.FilterModule().filters().items():
            assert name not in found, "filter %s is registered by %s.py and by another file" % (name, stem)
            found[name] = func
    return found


FILTERS = all_filters()
SIDECARS = sorted(path.stem for path in FILTER_DIR.glob("*.y*ml"))
TOP_KEYS = {"DOCUMENTATION", "EXAMPLES", "RETURN"}
TYPES = {"str", "int", "bool", "list", "dict", "path", "raw", "float"}


def wrapped(name):
    """The function the filter `name` runs (FilterModule wraps each one to turn its errors into filter errors)."""
    run = FILTERS[name]
    func = inspect.getclosurevars(run).nonlocals.get("func", run)
    return inspect.unwrap(func)


def parameters(name):
    """[(name, default)] of the filter's function, the first one named _input; default is `empty` when none."""
    params = list(inspect.signature(wrapped(name)).parameters.values())
    assert params, "%s takes no argument: a filter needs at least the piped value" % name
    for param in params:
        assert param.kind == param.POSITIONAL_OR_KEYWORD, "%s: %s is not a plain parameter" % (name, param.name)
    return [("_input", params[0].default)] + [(param.name, param.default) for param in params[1:]]


def sidecar(name):
    path = FILTER_DIR / ("%s.yml" % name)
    assert path.is_file(), "filter %s has no documentation %s" % (name, path)
    with path.open(encoding="utf-8") as stream:
        return yaml.safe_load(stream)


def plain(value):
    """A Python default as YAML writes it (a tuple is a list)."""
    return list(value) if isinstance(value, tuple) else value


@pytest.mark.parametrize("name", sorted(FILTERS))
def test_every_filter_has_a_sidecar(name):
    assert (FILTER_DIR / ("%s.yml" % name)).is_file(), "filter %s has no plugins/filter/%s.yml" % (name, name)


def test_every_sidecar_names_a_filter():
    assert SIDECARS, "no sidecar found in %s" % FILTER_DIR
    assert sorted(set(SIDECARS) - set(FILTERS)) == [], "documentation of filters that no FilterModule registers"
    assert not list(FILTER_DIR.glob("*.yaml")), "ansible-doc reads <name>.yml: rename the .yaml files"


@pytest.mark.parametrize("name", sorted(FILTERS))
def test_sidecar_layout(name):
    docs = sidecar(name)
    assert isinstance(docs, dict) and set(docs) == TOP_KEYS, "%s.yml must have exactly %s" % (name, sorted(TOP_KEYS))
    doc = docs["DOCUMENTATION"]
    assert doc.get("name") == name, "%s.yml: DOCUMENTATION.name is %r" % (name, doc.get("name"))
    for key in ("version_added", "short_description", "description", "positional", "options", "author"):
        assert doc.get(key), "%s.yml: DOCUMENTATION.%s is missing" % (name, key)
    assert isinstance(doc["description"], list) and all(isinstance(line, str) for line in doc["description"])
    assert isinstance(docs["EXAMPLES"], str) and docs["EXAMPLES"].strip(), "%s.yml: EXAMPLES must be text" % name
    assert yaml.safe_load(docs["EXAMPLES"]) is not None, "%s.yml: EXAMPLES is not YAML" % name
    value = (docs["RETURN"] or {}).get("_value")
    assert isinstance(value, dict) and value.get("description") and value.get("type") in TYPES, \
        "%s.yml: RETURN._value needs a description and a type" % name


@pytest.mark.parametrize("name", sorted(FILTERS))
def test_positional_and_options_are_the_parameters(name):
    doc = sidecar(name)["DOCUMENTATION"]
    params = parameters(name)
    names = [param for param, _default in params]
    positional = [part.strip() for part in str(doc.get("positional", "")).split(",")]
    assert positional == names, "%s.yml: positional is %s, the function takes %s" % (name, positional, names)
    options = doc.get("options") or {}
    assert sorted(options) == sorted(names), "%s.yml: options are %s, the function takes %s" % (
        name, sorted(options), names)
    for param, default in params:
        option = options[param]
        assert option.get("description"), "%s.yml: option %s has no description" % (name, param)
        assert option.get("type") in TYPES, "%s.yml: option %s has type %r" % (name, param, option.get("type"))
        if default is inspect.Parameter.empty:
            assert option.get("required") is True, "%s.yml: option %s must be required: true" % (name, param)
            assert "default" not in option, "%s.yml: option %s has no default in Python" % (name, param)
        else:
            assert not option.get("required"), "%s.yml: option %s has a default, it is not required" % (name, param)
            if default is None:
                assert option.get("default") is None, "%s.yml: option %s defaults to None" % (name, param)
            else:
                message = "%s.yml: option %s has default %r, the function %r" % (
                    name, param, option.get("default"), default)
                assert "default" in option, message
                assert option["default"] == plain(default), message
                assert type(option["default"]) is type(plain(default)), message
