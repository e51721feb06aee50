# Two entry points for users: `make report` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: report test check derived clean

# The stamp is newer than requirements.txt and pyproject.toml once both are installed,
# so a second run only checks.
$(STAMP): requirements.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null
	@# `import analysis` from any folder (chapters/ kernels, scripts run elsewhere) and the
	@# .venv/bin/trialcheck command: the project itself, editable (its dependencies are above).
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --editable .
	@touch $(STAMP)

test: $(STAMP)
	$(PY) -m pytest

check: $(STAMP)
	$(PY) -m analysis data --check

# data/derived/ (the survival ensemble and the representative patient-level data)
# is committed; this rebuilds it from data/raw/survival_spec.toml (about 1.5 min).
derived: $(STAMP)
	$(PY) -m analysis reconstruct summary

report: $(STAMP)
	@$(PY) tools/render.py

clean:
	rm -rf _book _build _freeze .quarto
