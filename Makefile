# lxenu: build, test and explore the book.
#   make book        create .venv, install, build the HTML book from the notebooks' stored outputs
#   make test        unit tests, nbval (re-executes every notebook, compares), the book build (-W)
#   make notebooks   re-execute the notebooks and save their outputs in place (what nbval compares)
#   make lab         open the notebooks in JupyterLab
#   make check-book  open the built pages in headless Chromium with the network off
#   make benchmark   print the timings of the analyses
#   make lint        ruff check and ruff format --check
#   make mutation    mutation testing of the physics modules (slow; prints the kill rate)
# In an activated conda environment (environment.yml) use it instead of .venv: make test VENV=$$CONDA_PREFIX

PYTHON ?= python3
# inside the activated conda environment of environment.yml (named lxenu) the targets use it
ifeq ($(CONDA_DEFAULT_ENV),lxenu)
VENV   ?= $(CONDA_PREFIX)
endif
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.lxenu-installed
DEV_STAMP := $(VENV)/.lxenu-dev-installed
# the pinned set (requirements/constraints.txt) needs Python 3.11: stop at once, in one line, if it is older
CHECK_PYTHON := $(if $(wildcard $(BIN)/python),$(BIN)/python,$(PYTHON))
ifneq ($(shell $(CHECK_PYTHON) -c 'import sys; print(int(sys.version_info >= (3, 11)))' 2>/dev/null),1)
$(error Python 3.11 or newer is needed; $(CHECK_PYTHON) is older or missing (set PYTHON=python3.11))
endif
CONSTRAINTS := requirements/constraints.txt
BUILD  := _build
NOTEBOOKS := $(sort $(wildcard notebooks/*.ipynb))
ifeq ($(VENV),.venv)
MAKE_ENV := test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
else
MAKE_ENV := test -x $(BIN)/python || { echo "VENV=$(VENV) has no bin/python: activate the conda environment first"; exit 1; }
endif

.PHONY: help install book test unit nbval book-html notebooks lab check-book benchmark lint mutation lock clean

help:
	@sed -n '2,11p' Makefile

$(STAMP): pyproject.toml $(CONSTRAINTS)
	@$(MAKE_ENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c $(CONSTRAINTS) -e ".[test,book,check]"
	touch $(STAMP)

install: $(STAMP)

book: $(STAMP) book-html
	@echo "The book is at $(CURDIR)/$(BUILD)/html/index.html"

book-html: $(STAMP)
	$(BIN)/jupyter-book build . --all --builder html -W --keep-going --quiet

test: unit nbval book-html

# both cores: test files (and notebooks, whose cells share a kernel) stay whole on one worker
unit: $(STAMP)
	$(BIN)/python -m pytest -q -n 2 --dist loadfile tests

nbval: $(STAMP)
	$(BIN)/python -m pytest -q -n 2 --dist loadfile --nbval notebooks -p no:cacheprovider

notebooks: $(STAMP)
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	    --ExecutePreprocessor.timeout=600 --ExecutePreprocessor.record_timing=False $(NOTEBOOKS)
	$(BIN)/python scripts/clean_notebooks.py $(NOTEBOOKS)

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks $(if $(filter 0,$(shell id -u)),--allow-root)

check-book: $(STAMP)
	test -f $(BUILD)/html/index.html || $(MAKE) book-html
	$(BIN)/python scripts/check_book.py $(BUILD)/html --screenshots $(BUILD)/screenshots
	$(BIN)/python scripts/check_explorer.py $(BUILD)/html/notebooks/09_landscape.html

benchmark: $(STAMP)
	$(BIN)/python benchmarks/bench_analyses.py
	$(BIN)/python benchmarks/bench_full_information.py
	$(BIN)/python benchmarks/bench_statistics.py --quick
	$(BIN)/python benchmarks/bench_landscape.py

$(DEV_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c $(CONSTRAINTS) -e ".[dev]"
	touch $(DEV_STAMP)

lint: $(DEV_STAMP)
	$(BIN)/python -m ruff check .
	$(BIN)/python -m ruff format --check .

# mutants of the physics modules ([tool.mutmut] in pyproject.toml) against the unit tests; slow (hours
# on 2 cores), so not part of `make test`. Prints the kill rate at the end.
mutation: $(DEV_STAMP)
	rm -rf mutants
	$(BIN)/mutmut run --max-children 2 || true
	mkdir -p $(BUILD) && $(BIN)/mutmut results --all true > $(BUILD)/mutation-results.txt
	$(BIN)/python scripts/mutation_score.py $(BUILD)/mutation-results.txt

lock: $(STAMP)
	{ sed -n '1,2p' $(CONSTRAINTS); $(BIN)/python -m pip freeze --exclude-editable | grep -vi '^lxenu'; } > $(CONSTRAINTS).new
	mv $(CONSTRAINTS).new $(CONSTRAINTS)

clean:
	rm -rf $(BUILD) .pytest_cache
