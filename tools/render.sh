#!/usr/bin/env bash
# Renders both editions of the book. Called by `make report` once .venv exists.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"

if ! command -v quarto >/dev/null 2>&1; then
  echo "quarto not found on PATH; trying 'pip install quarto-cli' into .venv ..."
  .venv/bin/python -m pip install --quiet --disable-pip-version-check quarto-cli >/dev/null 2>&1 || true
fi
if ! command -v quarto >/dev/null 2>&1 || ! quarto --version >/dev/null 2>&1; then
  cat >&2 <<'MSG'

Quarto is needed to render the book and was not found. Install Quarto 1.6 or newer
from https://quarto.org/docs/get-started/ (a .deb, .rpm or tarball; no admin rights
are needed for the tarball: unpack it and put its bin/ folder on PATH), then run
`make report` again. Everything else works without Quarto: `make test` runs the
test suite and `.venv/bin/python -m analysis export --out DIR` writes every table
and Figure 1 as files.
MSG
  exit 1
fi

for profile in en zh; do
  echo "rendering the ${profile} edition ..."
  quarto render --profile "$profile"
done
