# Every target creates .venv with a Python 3.12+ interpreter if needed, installs, runs.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: demo test check bench venv install install-test browser clean dashboard

# Find a working Python >= 3.12: plain names first, then pyenv's versions (its shims fail
# unless a version is active), then fail with a clear message.
define find_python
for c in python3.13 python3.12 python3; do \
  if p=$$(command -v $$c) && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then echo $$p; exit 0; fi; \
done; \
for d in $$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[2-9]* 2>/dev/null | sort -rV); do \
  if [ -x $$d/bin/python3 ] && $$d/bin/python3 -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then echo $$d/bin/python3; exit 0; fi; \
done; \
echo "error: no Python 3.12+ found (tried python3.13, python3.12, python3 and pyenv versions)" >&2; exit 1
endef

$(PY):
	@PYBIN=$$($(find_python)) && echo "creating $(VENV) with $$PYBIN" && $$PYBIN -m venv $(VENV)
	@$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	@touch $@

$(TEST_STAMP): pyproject.toml $(STAMP)
	$(PY) -m pip install --quiet -e '.[test,bench]'
	@touch $@

venv install: $(STAMP)

install-test: $(TEST_STAMP) browser

# Browser tests drive Debian's chromium through Playwright; nothing downloads a browser.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

demo: $(STAMP)
	$(VENV)/bin/anomie dashboard

dashboard: demo

# The whole suite, as CI runs it: everything but the browser on both cores, then the
# browser tests on their own (one chromium and one dashboard server at a time).
test: install-test
	$(VENV)/bin/python -m pytest -n 2 -m "not e2e"
	$(VENV)/bin/python -m pytest -m e2e

# The quick tier for the edit-test loop: every test not marked slow (stylised facts, whole
# sweeps, Dask workers, separate processes, every parameter's control) and no browser test.
check: $(TEST_STAMP)
	$(VENV)/bin/python -m pytest -q -n 2 -m "not slow and not e2e"

bench: $(TEST_STAMP)
	$(VENV)/bin/python -m bench

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
