# Two commands for a newcomer: `make run` and `make test`. Both set up .venv when it is missing.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
GITOPS := $(VENV)/bin/gitops
STAMP := $(VENV)/.installed

.PHONY: install run test lint bench docs clean crd-schemas

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)

# The main job on apps/: synthesize generated/, validate it, then run the CI gate on it.
run: install
	$(GITOPS) synth
	$(GITOPS) validate
	$(GITOPS) check

# One worker per core; a file's tests stay on one worker (module fixtures are built once).
# Targeted runs (`.venv/bin/python -m pytest tests/test_x.py`) stay in one process.
test: lint
	$(PY) -m pytest -q -n auto --dist loadfile

# ruff (settings in pyproject.toml) on all Python; mypy on the package. Both are part of `make test`.
lint: install
	$(VENV)/bin/ruff check gitops tests benchmarks
	$(VENV)/bin/mypy

# Regenerate docs generated from the code and examples, and this repository's workflows from the
# `gitops init` templates (tests fail when any of them is stale).
docs: install
	$(PY) -m gitops.docs.workloads
	$(PY) -m gitops.docs.reference
	$(PY) -m gitops.catalog.docs
	$(PY) -m gitops.apiserver.docs
	$(PY) -m gitops.scaffold

# The compact schemas of the custom resources gitops emits, rebuilt from the official CRDs
# (gitops/crdschemas; tests/test_crd_schemas.py fails when they differ from what this writes).
CRDS ?= ../shared/crds
crd-schemas: install
	$(PY) -m gitops.crdschemas.build $(CRDS)

# The peers of the side-by-side benchmark: checkov in a virtual environment of its own (its pins
# would move this project's dependencies); kubeconform comes from ../shared/tools when present.
CHECKOV_VENV := benchmarks/out/checkov-venv
$(CHECKOV_VENV)/bin/checkov:
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/pip install --quiet --disable-pip-version-check checkov

# CORPUS=DIR: a folder of real-world manifests (default /work/corpus when present, else generated).
bench: install $(CHECKOV_VENV)/bin/checkov
	$(PY) benchmarks/compare.py $(CORPUS)
	$(PY) benchmarks/synth.py
	$(PY) benchmarks/pr_check.py

clean:
	rm -rf $(VENV) .gitops-cache .pytest_cache gitops.egg-info
