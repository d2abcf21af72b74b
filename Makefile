# djangostack.deploy — one entry point for development and tests.
#
#   make demo                    the example project on a local test host, over HTTPS
#                                (EXAMPLE_SERVER=mod_wsgi: under Apache and mod_wsgi)
#   make demo-down               remove the demo host
#   make benchmark               playbook durations against the raw work, and memory
#   make test                    everything CI runs: lint, sanity, unit, every scenario
#   make test SCENARIO=site      the same checks, but only one Molecule scenario
#   make test MOLECULE_JOBS=2    two scenarios at once (default: one at a time)
#   make molecule SCENARIO=site  one scenario alone (no lint/sanity/unit)
#   make lint | sanity | unit    one stage
#   make build                   the collection tarball, installed once to prove it
#   make clean-hosts             stop every test host and remove what it left
#
# Needs root (test hosts are systemd-nspawn containers in network namespaces).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := $(CURDIR)/.venv
BIN := $(VENV)/bin
COLLECTIONS := $(VENV)/collections
SELF_LINK := $(COLLECTIONS)/ansible_collections/djangostack/deploy
BUILD := $(CURDIR)/build
REPORTS := $(BUILD)/reports
# Every Molecule scenario, and example_repo: examples/molecule run as a user runs it
# (tests/example_repo.py), on the newest ansible-core.
SCENARIOS := $(sort $(notdir $(patsubst %/molecule.yml,%,$(wildcard molecule/*/molecule.yml))) example_repo)
SCENARIO ?= $(SCENARIOS)
EXAMPLE_SERVER ?=
MOLECULE_JOBS ?= 1
# The oldest ansible-core meta/runtime.yml claims and the newest release line, each in
# a virtualenv of its own: sanity and unit tests run on both, and the example infra
# repository's Molecule run (tests/example_repo.py) on the newest. The newest needs
# Python 3.12 or newer on the controller: the newest python3.1x on PATH or of pyenv.
CORE_OLDEST := $(CURDIR)/.cache/ansible-core-oldest
CORE_NEWEST := $(CURDIR)/.cache/ansible-core-newest
PYTHON_NEWEST ?= $(shell for v in 3.14 3.13 3.12; do \
	for p in $$(command -v python$$v) $$(ls -d $(HOME)/.pyenv/versions/$$v.*/bin/python3 2>/dev/null | sort -rV); do \
	"$$p" -c '' 2>/dev/null && { echo "$$p"; exit 0; }; done; done)
APT_PACKAGES := debootstrap systemd-container iptables iproute2 openssh-client rsync \
	python3-venv ca-certificates debian-archive-keyring git shellcheck curl

export ANSIBLE_COLLECTIONS_PATH := $(COLLECTIONS)
export ANSIBLE_FORCE_COLOR ?= false
export MOLECULE_GLOB := molecule/*/molecule.yml
export PY_COLORS ?= 0
export PATH := $(BIN):$(PATH)

.PHONY: help
help:
	@sed -n '2,16s/^# \{0,1\}//p' $(firstword $(MAKEFILE_LIST))

# ---------------------------------------------------------------- setup

.PHONY: system-deps
system-deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null \
		| grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing from Debian: $$missing"; \
		apt-get update -qq; \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(BIN)/.installed: requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

.PHONY: venv
venv: $(BIN)/.installed

# A virtualenv of one ansible-core line: $(1) its directory, $(2) its requirements,
# $(3) the Python it runs on.
define core_venv
$(1)/.installed: $(2)
	@test -n "$(3)" || { echo "ansible-core's newest line needs Python 3.12 or newer:" \
		"none found on PATH or in pyenv; give one with PYTHON_NEWEST=/path/to/python3" >&2; exit 1; }
	$(3) -m venv --clear $(1)
	$(1)/bin/pip install --quiet --upgrade pip
	$(1)/bin/pip install --quiet -r $(2)
	touch $(1)/.installed
endef
$(eval $(call core_venv,$(CORE_OLDEST),tests/requirements-oldest.txt,$(PYTHON)))
$(eval $(call core_venv,$(CORE_NEWEST),tests/requirements-newest.txt,$(PYTHON_NEWEST)))

.PHONY: venv-cores
venv-cores: $(CORE_OLDEST)/.installed $(CORE_NEWEST)/.installed

.PHONY: collections
collections: venv
	ansible-galaxy collection install -r requirements.yml -p $(COLLECTIONS)
	@mkdir -p $(dir $(SELF_LINK))
	@ln -sfn $(CURDIR) $(SELF_LINK)

.PHONY: setup
setup: system-deps venv collections

# ---------------------------------------------------------------- checks

.PHONY: lint
lint: setup
	yamllint --strict .
	ansible-lint
	antsibull-changelog lint
	antsibull-docs lint-collection-docs --plugin-docs --check-extra-docs-refs \
		--validate-collection-refs dependent --disallow-unknown-collection-refs $(CURDIR)

# ansible-test sanity on the oldest and on the newest ansible-core, both at once (each
# is mostly one process: together they take about as long as one); each line of
# output is prefixed with its ansible-core line.
.PHONY: sanity
sanity: setup venv-cores
	@status=0; \
	( set -o pipefail; tests/sanity/run.sh $(CORE_OLDEST) 2>&1 | sed -u 's/^/[sanity oldest] /' ) & oldest=$$!; \
	( set -o pipefail; tests/sanity/run.sh $(CORE_NEWEST) 2>&1 | sed -u 's/^/[sanity newest] /' ) & newest=$$!; \
	wait $$oldest || status=1; wait $$newest || status=1; exit $$status

# Every unit test with the tooling's ansible-core (the one Molecule runs), and those
# of the plugins, roles and playbooks on the oldest and on the newest, all at once.
UNIT_CORE_TESTS := tests/unit/plugins tests/unit/playbooks tests/unit/roles/test_argument_specs.py
.PHONY: unit
unit: setup venv-cores
	@mkdir -p $(REPORTS); status=0; \
	( set -o pipefail; pytest -q tests/unit --junit-xml=$(REPORTS)/unit.xml 2>&1 | sed -u 's/^/[unit] /' ) & main=$$!; \
	( set -o pipefail; $(CORE_OLDEST)/bin/python -m pytest -q $(UNIT_CORE_TESTS) \
		--junit-xml=$(REPORTS)/unit-oldest.xml 2>&1 | sed -u 's/^/[unit oldest] /' ) & oldest=$$!; \
	( set -o pipefail; $(CORE_NEWEST)/bin/python -m pytest -q $(UNIT_CORE_TESTS) \
		--junit-xml=$(REPORTS)/unit-newest.xml 2>&1 | sed -u 's/^/[unit newest] /' ) & newest=$$!; \
	wait $$main || status=1; wait $$oldest || status=1; wait $$newest || status=1; exit $$status

# Scenarios are independent (each boots hosts of its own): tests/scenarios.py runs
# MOLECULE_JOBS of them at once, the longest first. One at a time by default: on
# two cores two at once took each about twice as long (the tests are CPU-bound).
.PHONY: molecule
molecule: setup $(if $(filter example_repo,$(SCENARIO)),$(CORE_NEWEST)/.installed)
	@EXAMPLE_REPO_VENV=$(CORE_NEWEST) $(BIN)/python tests/scenarios.py --jobs $(MOLECULE_JOBS) --reports $(REPORTS) $(SCENARIO)

.PHONY: clean-reports
clean-reports:
	@rm -rf $(REPORTS)

# The three virtualenvs are made at once (downloads and unpacking overlap), then
# each stage in turn.
.PHONY: test
test: clean-reports system-deps
	@$(MAKE) --no-print-directory -j3 venv $(CORE_OLDEST)/.installed $(CORE_NEWEST)/.installed
	@$(MAKE) --no-print-directory lint sanity unit molecule
	@$(BIN)/python tests/report.py $(REPORTS)

# ---------------------------------------------------------------- demo

.PHONY: demo
demo: setup
	EXAMPLE_SERVER=$(EXAMPLE_SERVER) $(BIN)/python tools/demo.py

.PHONY: demo-down
demo-down:
	$(PYTHON) molecule/shared/testhosts.py down --scenario demo

# The playbooks' durations against the raw apt + venv + pip work on identical fresh hosts.
.PHONY: benchmark
benchmark: setup
	EXAMPLE_SERVER=$(EXAMPLE_SERVER) $(BIN)/python tools/benchmark.py

# ---------------------------------------------------------------- artefacts

.PHONY: build
build: setup
	@mkdir -p $(BUILD)
	ansible-galaxy collection build --force --output-path $(BUILD)
	$(BIN)/python tools/check_tarball.py $(BUILD)/djangostack-deploy-$$(sed -n 's/^version: //p' galaxy.yml).tar.gz
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
		ANSIBLE_COLLECTIONS_PATH="$$tmp" ansible-galaxy collection install --offline --no-deps -p "$$tmp" \
			$(BUILD)/djangostack-deploy-$$(sed -n 's/^version: //p' galaxy.yml).tar.gz && \
		test -f "$$tmp/ansible_collections/djangostack/deploy/MANIFEST.json" && \
		echo "Installed the tarball into a temporary collections path: OK"

.PHONY: clean-hosts
clean-hosts:
	$(PYTHON) molecule/shared/testhosts.py down --all

.PHONY: clean
clean: clean-hosts
	rm -rf $(BUILD) .pytest_cache
