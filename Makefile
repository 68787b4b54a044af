# Two entry points that work on a fresh machine: `make samples` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
GRADE := $(VENV)/bin/grade

.PHONY: samples test mutants install engine browser image lint clean

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

engine:
	bash scripts/ensure-engine.sh

browser:
	-bash scripts/ensure-browser.sh

image: install engine
	$(GRADE) sandbox build

## Grade every bundled reference solution, starter and sample submission in real containers.
samples: image
	$(GRADE) exercises validate

## The full mutation run of every bundled exercise (minutes; cached per mutant): rewrites each
## hidden/mutation-record.toml and fails if an exercise's kill rate is under 85 %.
mutants: image
	@status=0; for toml in exercises/*/exercise.toml; do \
		id=$$(basename $$(dirname $$toml)); \
		$(GRADE) exercises mutate $$id --jobs 2 --record --min-kill-rate 85 || status=1; \
	done; exit $$status

## The whole test suite, Docker tests included.
test: image browser
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

clean:
	-$(GRADE) sandbox clean
