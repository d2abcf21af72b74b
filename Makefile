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
SCENARIOS := $(sort $(notdir $(patsubst %/molecule.yml,%,$(wildcard molecule/*/molecule.yml))))
SCENARIO ?= $(SCENARIOS)
EXAMPLE_SERVER ?=
MOLECULE_JOBS ?= 1
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

.PHONY: sanity
sanity: setup
	@pip=$$(sed -n "s/.*pip='\([0-9.]*\)'.*/\1/p" \
		$(VENV)/lib/python*/site-packages/ansible_test/_internal/python_requirements.py); \
		mkdir -p $(HOME)/.ansible/test/cache; \
		cp tests/sanity/get_pip.py $(HOME)/.ansible/test/cache/get_pip_$${pip//./_}.py
	@# ansible-test needs an ansible_collections/NS/NAME tree outside any git checkout;
	@# one per run, so that two runs never share it.
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
		tree=$$tmp/ansible_collections/djangostack/deploy && mkdir -p $$tree && \
		rsync -a --exclude=/.git --exclude=/.venv --exclude=/.ansible --exclude=/.cache --exclude=/build \
			--exclude=__pycache__ --exclude=.pytest_cache ./ $$tree/ && \
		cd $$tree && ansible-test sanity --venv --color no --python \
			$$($(BIN)/python -c 'import sys; print("%d.%d" % sys.version_info[:2])')

.PHONY: unit
unit: setup
	pytest tests/unit --junit-xml=$(REPORTS)/unit.xml

# Scenarios are independent (each boots hosts of its own): tests/scenarios.py runs
# MOLECULE_JOBS of them at once, the longest first. One at a time by default: on
# two cores two at once took each about twice as long (the tests are CPU-bound).
.PHONY: molecule
molecule: setup
	@$(BIN)/python tests/scenarios.py --jobs $(MOLECULE_JOBS) --reports $(REPORTS) $(SCENARIO)

.PHONY: clean-reports
clean-reports:
	@rm -rf $(REPORTS)

.PHONY: test
test: clean-reports lint sanity unit molecule
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
