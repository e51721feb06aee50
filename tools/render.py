"""Render both editions of the book, their appendices and handouts (`make report`).

    .venv/bin/python tools/render.py [--lang en|zh ...] [--force]

Each edition is rendered in a build tree of its own, ``_build/<lang>/``: a copy of the
render inputs (:data:`INPUTS`) with its own ``_freeze/``. Why not one ``_freeze/``:
Quarto keys frozen results by file and format, not by profile, so with one freeze
folder an edition rendered after the other reuses the other's cell outputs (tables in
the wrong language). Per-edition trees keep what ``freeze: auto`` is good at -- editing
one chapter's prose re-executes only that chapter -- and let the two editions render in
parallel, one per core. What freeze cannot see (the ``analysis`` package, the data, the
configs, the Quarto version) is covered by a fingerprint: when it changes, the edition's
frozen results are cleared. The book is rendered to HTML first and then to Typst from
the HTML pass's frozen results (:func:`typst_results`), so each chapter executes once.

Every output (book, ``appendix-<lang>.html``, ``handout-<lang>.pdf``) has a fingerprint
of its inputs; an output whose fingerprint is unchanged is not rendered again, so a
second run with nothing changed only hashes the inputs. The finished edition replaces
``_book/<lang>/`` in one rename: a failed render leaves the previous edition in place.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.appendix import (HANDOUT_INPUTS, INPUTS as APPENDIX_INPUTS, PORT_RACE,  # noqa: E402
                               render_appendix, render_handout)
from analysis.errors import InputError  # noqa: E402
from analysis.fonts import cjk_font_path  # noqa: E402  (needs the project on sys.path)
from analysis.provenance import fingerprint  # noqa: E402

EDITIONS = ("en", "zh")

# What each output is made from, relative to the project root. COMMON changes clear the
# frozen cell results; a chapter's own change is left to freeze: auto.
COMMON = ("analysis", "data/raw", "data/derived", "_quarto.yml", "_quarto-en.yml",
          "_quarto-zh.yml", "requirements.txt")
OWN = {
    "book": ("index.qmd", "chapters", "references.bib", "csl", "tools/edition-switch.html",
             "tools/book.scss", "tools/cjk-line-breaks.lua"),
    "appendix": APPENDIX_INPUTS,
    "handout": HANDOUT_INPUTS,
}
INPUTS = tuple(dict.fromkeys(COMMON + sum(OWN.values(), ())))

INSTALL_QUARTO = """\
Quarto is needed to render the book and was not found on PATH. Install Quarto 1.6 or
newer from https://quarto.org/docs/get-started/ (a .deb, .rpm or tarball; no admin
rights are needed for the tarball: unpack it and put its bin/ folder on PATH), then run
`make report` again. Everything else works without Quarto: `make test` runs the test
suite and `.venv/bin/python -m analysis export --out DIR` writes every table and
Figure 1 as files."""



class RenderError(Exception):
    """A step failed; the message says which and where its log is."""


def check_data() -> None:
    """`python -m analysis data --check` before anything is rendered (its own messages
    name the bad file, row and column); skipped when nothing is to be rendered."""
    done = subprocess.run([sys.executable, "-m", "analysis", "data", "--check"], cwd=ROOT,
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise RenderError((done.stdout + done.stderr).strip()
                          + "\nthe digitized data do not pass `python -m analysis data --check`; "
                            "nothing was rendered")
    print(done.stdout.strip().splitlines()[-1], flush=True)


def output_names(lang: str) -> dict[str, str]:
    """The file each target leaves in ``_book/<lang>/`` (the book: its PDF)."""
    return {"book": f"reanalysis-{lang}.pdf", "appendix": f"appendix-{lang}.html",
            "handout": f"handout-{lang}.pdf"}


def quarto_version() -> str:
    quarto = shutil.which("quarto")
    if quarto is None:
        raise RenderError(INSTALL_QUARTO)
    done = subprocess.run([quarto, "--version"], capture_output=True, text=True)
    if done.returncode != 0:
        raise RenderError(f"`quarto --version` failed:\n{done.stderr.strip()}\n\n{INSTALL_QUARTO}")
    return done.stdout.strip()


def fingerprints(version: str) -> dict[str, str]:
    """The fingerprint of the frozen results and of each target's inputs."""
    common = fingerprint(COMMON, root=ROOT, extra=f"quarto {version}")
    out = {"freeze": common}
    for target, own in OWN.items():
        out[target] = fingerprint(own, root=ROOT, extra=common)
    return out


def _sync(src_root: Path, dest_root: Path, paths) -> None:
    """Make ``dest_root`` hold the same files under ``paths`` as ``src_root``.

    Unchanged files are not rewritten, so Quarto's freeze sees only real edits.
    """
    wanted = set()
    for rel in paths:
        src = src_root / rel
        files = [src] if src.is_file() else (
            [p for p in src.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
            if src.is_dir() else [])
        for path in files:
            rel_path = path.relative_to(src_root)
            wanted.add(rel_path)
            dest = dest_root / rel_path
            if dest.is_file() and dest.read_bytes() == path.read_bytes():
                continue
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, dest)
    for rel in paths:
        dest = dest_root / rel
        if dest.is_dir():
            for path in dest.rglob("*"):
                if path.is_file() and "__pycache__" not in path.parts \
                        and path.relative_to(dest_root) not in wanted:
                    path.unlink()


# Quarto's own markup in an executed cell that only HTML gets: the cell's id, for notebook links.
_HTML_CELL_ID = re.compile(r"^(:{3,} \{)#cell-\S+ (\.cell\b)", re.M)


def typst_results(freeze: Path) -> None:
    """Freeze each chapter's HTML execution results as its Typst results too.

    Quarto freezes results per file and format (``execute-results/html.json``, ``typ.json``)
    and would execute every chapter again for Typst. The chapters' cells print Markdown
    only, the same for both formats: the two results differ in Quarto's bookkeeping alone
    (the HTML cell ids, the figure folder, empty includes), which is what is rewritten
    here. A chapter whose results hold figures or includes is left to execute for Typst.
    An unchanged file is not rewritten, so freeze mtimes still show what was re-executed.
    """
    for html in freeze.rglob("execute-results/html.json"):
        doc = html.parent.parent
        frozen = json.loads(html.read_text(encoding="utf-8"))
        result = frozen["result"]
        if (doc / "figure-html").exists() or result.get("includes"):
            continue
        stem = doc.name
        result = dict(result, markdown=_HTML_CELL_ID.sub(r"\1\2", result["markdown"]),
                      supporting=[f"{stem}_files/figure-typst"])
        result.pop("includes", None)
        text = json.dumps(dict(frozen, result=result), ensure_ascii=False, indent=2)
        typ = html.with_name("typ.json")
        if not typ.is_file() or typ.read_text(encoding="utf-8") != text:
            typ.write_text(text, encoding="utf-8")


class Edition:
    """One edition's build tree, its stamps, and the steps that render it."""

    def __init__(self, lang: str, prints: dict[str, str]):
        self.lang = lang
        self.prints = prints
        self.tree = ROOT / "_build" / lang
        self.stamp_file = self.tree / "stamps.json"
        self.published = ROOT / "_book" / lang
        self.log = self.tree / "render.log"

    def stamps(self) -> dict[str, str]:
        try:
            return json.loads(self.stamp_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def stale(self, targets=tuple(OWN), *, force: bool = False) -> list[str]:
        """Those of ``targets`` whose inputs changed or whose output is missing."""
        stamps = self.stamps()
        names = output_names(self.lang)
        return [target for target in targets
                if force or stamps.get(target) != self.prints[target]
                or not (self.published / names[target]).is_file()]

    def say(self, message: str) -> None:
        print(f"[{self.lang}] {message}", flush=True)

    def run(self, *args: str) -> None:
        # The kernels import this tree's copy of `analysis` and run this venv's Python.
        env = dict(os.environ, PYTHONPATH=str(self.tree), QUARTO_PYTHON=sys.executable,
                   PYTHONDONTWRITEBYTECODE="1")
        for attempt in (1, 2):
            with self.log.open("a", encoding="utf-8") as log:
                start = log.tell()
                log.write(f"\n$ quarto {' '.join(args)}\n")
                log.flush()
                done = subprocess.run(["quarto", *args], cwd=self.tree, env=env,
                                      stdout=log, stderr=subprocess.STDOUT)
            if done.returncode == 0:
                return
            output = self.log.read_bytes()[start:].decode("utf-8", "replace")
            # Frozen chapters are kept: a retry re-executes only what had not finished.
            if attempt == 1 and PORT_RACE in output:
                self.say("a Jupyter kernel lost a port race on start; trying again")
                continue
            tail = output.splitlines()[-30:]
            raise RenderError(f"[{self.lang}] `quarto {' '.join(args)}` failed "
                              f"(exit {done.returncode}); the end of {self.log}:\n"
                              + "\n".join(tail))

    def prepare(self) -> None:
        self.tree.mkdir(parents=True, exist_ok=True)
        _sync(ROOT, self.tree, INPUTS)
        fonts = self.tree / "fonts"
        fonts.mkdir(exist_ok=True)
        font = cjk_font_path()
        link = fonts / font.name
        if not link.is_symlink() or link.resolve() != font.resolve():
            link.unlink(missing_ok=True)
            link.symlink_to(font)
        stamps = self.stamps()
        if stamps.get("freeze") != self.prints["freeze"]:
            shutil.rmtree(self.tree / "_freeze", ignore_errors=True)
            # the code, data or configs changed: nothing rendered so far still holds
            self._write_stamps({"freeze": self.prints["freeze"]})
        self.log.write_text("", encoding="utf-8")

    def _write_stamps(self, stamps: dict[str, str]) -> None:
        tmp = self.stamp_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(stamps, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        tmp.replace(self.stamp_file)

    def render(self, targets: list[str]) -> float:
        start = time.monotonic()
        self.prepare()
        out = self.tree / "out"
        out.mkdir(exist_ok=True)
        for target in targets:
            step = time.monotonic()
            self.say(f"rendering the {target} ...")
            name = output_names(self.lang)[target]
            if target == "book":
                # Quarto executes a chapter once per format; the typst pass reuses the html
                # pass's results instead (typst_results), which halves the kernels.
                self.run("render", "--profile", self.lang, "--to", "html")
                typst_results(self.tree / "_freeze")
                # its own output folder: a render of one format replaces the other's site_libs/
                self.run("render", "--profile", self.lang, "--to", "typst", "--output-dir", "_pdf")
            else:  # the same path as `python -m analysis appendix` and `report`
                render = render_appendix if target == "appendix" else render_handout
                with self.log.open("a", encoding="utf-8") as log:
                    try:
                        render(out / name, lang=self.lang, log=log)
                    except InputError as err:
                        raise RenderError(f"[{self.lang}] {err}; see {self.log}") from None
            stamps = self.stamps()
            stamps[target] = self.prints[target]
            self._write_stamps(stamps)
            self.say(f"{target} done in {time.monotonic() - step:.0f} s")
        self.publish()
        return time.monotonic() - start

    def publish(self) -> None:
        """Book, appendix and handout into ``_book/<lang>/`` with one rename."""
        book = self.tree / "_book" / self.lang
        names = output_names(self.lang)
        files = {"book": self.tree / "_pdf" / names["book"],
                 **{x: self.tree / "out" / names[x] for x in ("appendix", "handout")}}
        missing = [n for n in (book / "index.html", *files.values()) if not n.is_file()]
        if missing:
            raise RenderError(f"[{self.lang}] expected output not produced: "
                              + ", ".join(str(p.relative_to(ROOT)) for p in missing))
        staging = self.published.with_name(f".{self.lang}.new")
        shutil.rmtree(staging, ignore_errors=True)
        shutil.copytree(book, staging)
        for target, path in files.items():
            shutil.copyfile(path, staging / names[target])
        old = self.published.with_name(f".{self.lang}.old")
        shutil.rmtree(old, ignore_errors=True)
        if self.published.exists():
            self.published.rename(old)
        staging.rename(self.published)
        shutil.rmtree(old, ignore_errors=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lang", action="append", choices=EDITIONS,
                        help="render this edition only (repeatable; default: both)")
    parser.add_argument("--only", action="append", choices=tuple(OWN),
                        help="render this output only (repeatable; default: all three)")
    parser.add_argument("--force", action="store_true",
                        help="render every output again even if its inputs are unchanged "
                             "(frozen cell results are still reused)")
    args = parser.parse_args(argv)
    langs = tuple(dict.fromkeys(args.lang or EDITIONS))
    try:
        prints = fingerprints(quarto_version())
        editions = [Edition(lang, prints) for lang in langs]
        todo = {e.lang: e.stale(args.only or tuple(OWN), force=args.force) for e in editions}
        if not any(todo.values()):
            print("report up to date: " + ", ".join(f"_book/{lang}/" for lang in langs)
                  + " (no input changed since the last render)")
            return 0
        check_data()
        for e in editions:
            e.say("up to date" if not todo[e.lang] else "to render: " + ", ".join(todo[e.lang]))
        start = time.monotonic()
        # One edition per core: a render is mostly one busy process at a time.
        with ThreadPoolExecutor(max_workers=len(editions)) as pool:
            jobs = [pool.submit(e.render, todo[e.lang]) for e in editions if todo[e.lang]]
            for job in jobs:
                job.result()
    except RenderError as err:
        print(err, file=sys.stderr)
        return 1
    print(f"done in {time.monotonic() - start:.0f} s: "
          + ", ".join(f"_book/{lang}/" for lang in langs)
          + " (book HTML and reanalysis-<lang>.pdf, appendix-<lang>.html, handout-<lang>.pdf)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
