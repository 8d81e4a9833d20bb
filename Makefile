# `make demo` and `make test` set everything up on a fresh machine.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SEED := seeds/ukraine_coalition_mt_spun.txt

.PHONY: setup demo test test-all test-ray lint typecheck eval bench clean model

$(BIN)/python:
	@command -v $(PY) >/dev/null 2>&1 || { echo "make: $(PY) not found; set PY=python3.11" >&2; exit 2; }
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q "torch==2.13.0"
	$(BIN)/pip install -q -e ".[dev,model]"
	$(BIN)/python -m compileall -q repair
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	@echo "== repair diff $(SEED)"
	@$(BIN)/repair diff --no-color $(SEED); rc=$$?; [ $$rc -le 1 ] || exit $$rc
	@echo
	@echo "== repair check $(SEED) (first lines)"
	@$(BIN)/repair check $(SEED) | head -n 15; true

test: setup
	$(BIN)/python -m pytest -q

test-all: setup
	$(BIN)/python -m pytest -q -m ""

# The Ray engine on a local Ray instance (installs the optional extra; CI runs this too).
test-ray: setup
	$(BIN)/pip install -q -e ".[ray]"
	$(BIN)/python -c "import ray.data"  # fail loudly rather than let the tests skip
	$(BIN)/python -m pytest -q -m slow tests/test_batch_ray.py

lint: setup
	$(BIN)/ruff check repair tests benchmarks

typecheck: setup
	$(BIN)/mypy repair

eval: setup
	$(BIN)/python benchmarks/eval_all.py

bench: setup
	$(BIN)/python benchmarks/bench.py
	$(BIN)/python benchmarks/bench_names.py
	$(BIN)/python benchmarks/bench_precommit.py
	$(BIN)/python benchmarks/bench_batch.py --docs 100

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
