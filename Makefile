# lxenu: build, test and explore the book.
#   make book        create .venv, install, execute every notebook, build the HTML book
#   make test        unit tests, nbval over notebooks/, and the book build (warnings are errors)
#   make notebooks   re-execute the notebooks and save their outputs in place (what nbval compares)
#   make lab         open the notebooks in JupyterLab
#   make check-book  open the built pages in headless Chromium with the network off
#   make benchmark   print the timings of the analyses

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CONSTRAINTS := requirements/constraints.txt
BUILD  := _build
NOTEBOOKS := $(sort $(wildcard notebooks/*.ipynb))

.PHONY: help install book test unit nbval book-html notebooks lab check-book benchmark lock clean

help:
	@sed -n '2,8p' Makefile

$(STAMP): pyproject.toml $(CONSTRAINTS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c $(CONSTRAINTS) -e ".[test,book,check]"
	touch $(STAMP)

install: $(STAMP)

book: $(STAMP) book-html
	@echo "The book is at $(CURDIR)/$(BUILD)/html/index.html"

book-html: $(STAMP)
	$(BIN)/jupyter-book build . --all --builder html -W --keep-going

test: unit nbval book-html

unit: $(STAMP)
	$(BIN)/python -m pytest -q tests

nbval: $(STAMP)
	$(BIN)/python -m pytest -q --nbval notebooks -p no:cacheprovider

notebooks: $(STAMP)
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	    --ExecutePreprocessor.timeout=600 --ExecutePreprocessor.record_timing=False $(NOTEBOOKS)
	$(BIN)/python scripts/clean_notebooks.py $(NOTEBOOKS)

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks

check-book: $(STAMP)
	test -f $(BUILD)/html/index.html || $(MAKE) book-html
	$(BIN)/python scripts/check_book.py $(BUILD)/html --screenshots $(BUILD)/screenshots

benchmark: $(STAMP)
	$(BIN)/python benchmarks/bench_analyses.py

lock: $(STAMP)
	{ sed -n '1,2p' $(CONSTRAINTS); $(BIN)/python -m pip freeze --exclude-editable | grep -vi '^lxenu'; } > $(CONSTRAINTS).new
	mv $(CONSTRAINTS).new $(CONSTRAINTS)

clean:
	rm -rf $(BUILD) .pytest_cache
