"""Run the baseline test of a corpus on a Dask cluster, resumably.

The trials are cut into batches of consecutive trials; each batch is one Dask task
(:func:`analysis.corpus.baseline.variable_table`), and its result is written to
``OUT/parts/part-<first trial's index>.csv`` as soon as it arrives. A rerun into the same
folder reads the parts, skips the trials they hold and submits the rest. Because every
trial draws from its own stream (seed and trial id), the P values do not depend on the
batches, the number of workers or the order the results arrive in; the final files are
assembled from the parts in the input's order, so a rerun writes the same bytes.

The cluster is the caller's: a ``distributed.Client`` on a ``LocalCluster`` or on an existing
scheduler, the same code path for both (:func:`local_client`, :func:`remote_client`).
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..atomic import write_text
from ..errors import InputError
from . import DEFAULT_TIES
from .baseline import VARIABLE_COLUMNS, trial_table, variable_table
from .reader import CorpusTable

__all__ = ["BaselineRun", "run_baseline", "local_client", "remote_client", "DEFAULT_BATCH"]

DEFAULT_BATCH = 20
_RUN_FILE = "run.json"
_PARTS = "parts"


@dataclass(frozen=True)
class BaselineRun:
    """A finished run: its settings, every variable's and trial's result, and how many
    trials were computed now (the rest were read from an earlier run's parts)."""

    settings: dict
    variables: pd.DataFrame
    trials: pd.DataFrame
    computed: int
    resumed: int

    def to_frame(self) -> pd.DataFrame:
        return self.trials.copy()


def local_client(workers: int, *, processes: bool = True):
    """A ``distributed.Client`` on a new ``LocalCluster`` of ``workers`` single-threaded
    workers (processes by default: NumPy's random generators hold the GIL)."""
    import logging

    from distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=processes,
                           dashboard_address=":0", silence_logs=logging.CRITICAL)
    return Client(cluster)


def remote_client(address: str):
    """A ``distributed.Client`` on an existing scheduler (``tcp://host:8786``); its workers
    must be able to import this package."""
    from distributed import Client

    try:
        return Client(address, timeout="10s")
    except (OSError, TimeoutError) as err:
        raise InputError(f"no Dask scheduler answers ({err})", file=f"--scheduler {address}") from None


def _settings(table: CorpusTable, *, draws: int, seed: int, ties: str) -> dict:
    return {"source_sha256": table.sha256, "draws": int(draws), "seed": int(seed), "ties": ties}


def _check_out(out: Path, settings: dict) -> None:
    run_file = out / _RUN_FILE
    if run_file.exists():
        try:
            before = json.loads(run_file.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            before = None
        if before != settings:
            diff = ", ".join(f"{k} {before.get(k)!r} -> {v!r}" for k, v in settings.items()
                             if before is None or before.get(k) != v) if before else "unreadable"
            raise InputError(f"holds a run with other settings ({diff}); use another --out "
                             f"folder or empty this one", file=out)
    elif (out / _PARTS).exists() and any((out / _PARTS).iterdir()):
        raise InputError(f"has {_PARTS}/ but no {_RUN_FILE}; use another --out folder or "
                         f"empty this one", file=out)
    write_text(run_file, json.dumps(settings, indent=1, sort_keys=True) + "\n")


def _read_parts(out: Path) -> pd.DataFrame:
    parts = sorted((out / _PARTS).glob("part-*.csv")) if (out / _PARTS).exists() else []
    frames = [pd.read_csv(p, dtype={"study": str, "trial": str, "variable": str, "note": str},
                          keep_default_na=False, na_values={"f": [""], "p_f": [""], "p": [""]},
                          float_precision="round_trip")
              for p in parts]
    if not frames:
        return pd.DataFrame(columns=list(VARIABLE_COLUMNS))
    return pd.concat(frames, ignore_index=True)


def _to_csv(frame: pd.DataFrame) -> str:
    buf = io.StringIO()
    frame.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue()


def run_baseline(table: CorpusTable, out, *, client, draws: int, seed: int,
                 ties: str = DEFAULT_TIES, batch: int = DEFAULT_BATCH,
                 progress=None) -> BaselineRun:
    """Test every trial of ``table`` on ``client``'s cluster; results kept in ``out``.

    Parameters
    ----------
    table : CorpusTable
        The corpus (:func:`analysis.corpus.reader.read_table`).
    out : path
        The output folder: ``run.json`` (the settings) and ``parts/`` (one CSV per finished
        batch) are written here; the caller writes the final files.
    client : distributed.Client
        The cluster to compute on.
    draws, seed, ties
        Monte Carlo draws per variable, the seed, the tie rule
        (:func:`analysis.stats.rounded_anova.rounded_anova_batch`; default the mid-P,
        Carlisle's: :func:`analysis.corpus.baseline.variable_table`).
    batch : int
        Trials per task.
    progress : tqdm-like, optional
        Advanced by the number of trials of each batch as it finishes.

    Raises
    ------
    InputError
        ``out`` holds a run with other settings (another input, seed, draws or tie rule).
    """
    from distributed import as_completed

    out = Path(out)
    settings = _settings(table, draws=draws, seed=seed, ties=ties)
    _check_out(out, settings)
    rows = table.rows
    keys = list(dict.fromkeys(zip(rows["study"], rows["trial"])))
    index = {key: i for i, key in enumerate(keys)}
    done = _read_parts(out)
    done_keys = set(zip(done["study"], done["trial"]))
    pending = [key for key in keys if key not in done_keys]
    if progress is not None:
        progress.total = len(keys)
        progress.update(len(keys) - len(pending))
        progress.refresh()
    row_trial = [index[k] for k in zip(rows["study"], rows["trial"])]
    positions = pd.Series(range(len(rows))).groupby(row_trial, sort=False).indices
    futures = {}
    for start in range(0, len(pending), batch):
        chunk = pending[start:start + batch]
        part = rows.iloc[sorted(p for key in chunk for p in positions[index[key]])]
        future = client.submit(variable_table, part, draws=draws, seed=seed, ties=ties,
                               pure=False)
        futures[future] = (index[chunk[0]], len(chunk))
    for future in as_completed(list(futures)):
        first, count = futures.pop(future)
        result = future.result()
        write_text(out / _PARTS / f"part-{first:06d}.csv", _to_csv(result))
        if progress is not None:
            progress.update(count)
    variables = _read_parts(out)
    variables = variables[[key in index for key in zip(variables["study"], variables["trial"])]]
    order = pd.Series([index[k] for k in zip(variables["study"], variables["trial"])],
                      index=variables.index)
    variables = (variables.assign(_order=order).sort_values("_order", kind="stable")
                 .drop(columns="_order").reset_index(drop=True))
    for col in ("means_rounded", "sds_rounded", "ses_rounded", "df_between", "df_within",
                "draws", "greater", "equal"):
        variables[col] = pd.to_numeric(variables[col]).astype("Int64")
    for col in ("f", "p_f", "p"):
        variables[col] = pd.to_numeric(variables[col])
    variables["note"] = variables["note"].fillna("")
    variables = variables[list(VARIABLE_COLUMNS)]
    return BaselineRun(settings=settings, variables=variables, trials=trial_table(variables),
                       computed=len(pending), resumed=len(keys) - len(pending))
