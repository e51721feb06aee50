#!/usr/bin/env bash
# Renders both editions of the book, the appendix and the handouts.
# Called by `make report` once .venv exists.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
# Quarto runs each file's cells with that file's folder as working directory; the
# chapters in chapters/ import the project's `analysis` package from here.
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"

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

# Typst finds the CJK font through `font-paths: fonts` (_quarto.yml, _quarto-zh.yml):
# link the Noto Sans CJK SC file that mplfonts installed into .venv (fonts/ is git-ignored).
mkdir -p fonts
font="$(.venv/bin/python -c 'from analysis.fonts import cjk_font_path; print(cjk_font_path())')"
ln -sf "$font" "fonts/$(basename "$font")"

# freeze: auto re-executes a chapter only when the .qmd changes. The chapters read
# data/raw, so a change there must clear the frozen results: compare the data
# fingerprint with the one recorded at the last render.
stamp=_freeze/.data-fingerprint
fingerprint="$(.venv/bin/python -c 'from analysis.provenance import data_fingerprint; print(data_fingerprint())')"
if [ -d _freeze ] && [ "$(cat "$stamp" 2>/dev/null || true)" != "$fingerprint" ]; then
  echo "data/raw changed since the last render: clearing frozen results"
  rm -rf _freeze
fi

# handout.qmd and appendix.qmd are not in book.chapters, so `quarto render <file>`
# renders each as a lone document (Quarto gives a file outside the project's render
# list no project): the book's _quarto.yml and _quarto-<lang>.yml do not apply. Their
# front matter carries their format options; the edition's language and the title
# (from analysis/catalog.toml, JSON-quoted so YAML reads it as one string) come as -M.
catalog() {
  .venv/bin/python -c 'import json, sys
from analysis.i18n import t
print(json.dumps(t(sys.argv[1], sys.argv[2]), ensure_ascii=False))' "$1" "$2"
}

# A single non-chapter file renders beside its source (quarto-notes.md); move it into
# the edition's folder, and fail loudly if it landed nowhere we know.
place() {
  if [ -f "$1" ]; then mv -f "$1" "$2/$1"; fi
  test -f "$2/$1" || { echo "render.sh: $1 was not produced" >&2; exit 1; }
}

for profile in en zh; do
  echo "rendering the ${profile} edition ..."
  quarto render --profile "$profile"
  # One two-page journal-club handout per language (Typst PDF), beside the book.
  echo "rendering the ${profile} handout ..."
  edition=(-M "lang:${profile}")
  if [ "$profile" = zh ]; then edition+=(-M "region:CN"); fi
  quarto render handout.qmd --profile "$profile" --to typst "${edition[@]}" \
    -M "title:$(catalog handout.title "$profile")" --output "handout-${profile}.pdf"
  place "handout-${profile}.pdf" "_book/${profile}"
  # The self-contained single-file HTML appendix to attach to a review.
  echo "rendering the ${profile} appendix ..."
  quarto render appendix.qmd --profile "$profile" --to html "${edition[@]}" \
    -M "title:$(catalog appendix.title "$profile")" --output "appendix-${profile}.html"
  place "appendix-${profile}.html" "_book/${profile}"
done

mkdir -p _freeze
printf '%s\n' "$fingerprint" > "$stamp"
echo "done: _book/en/ and _book/zh/ (book, handout-<lang>.pdf, appendix-<lang>.html)"
