"""Constraint-based reconstruction of patient-level survival data from printed numbers.

``spec`` reads what a report prints (``data/raw/survival_spec.toml``); ``prior``
draws smooth per-arm hazards and a censoring model; ``constraints`` turns every
printed number into an interval; ``sampler`` draws a seeded ensemble of data sets
that meet them all; ``summarize`` gives the bands of what is not printed;
``pipeline`` writes and loads ``data/derived/``. ``fast`` and ``cox`` are the lean
statistics of the inner loop.
"""

from .constraints import Constraints, InfeasibleSpec
from .pipeline import build, load_or_build, write_outputs
from .sampler import sample_ensemble
from .spec import Definitions, Spec, load_spec
from .summarize import EnsembleSummary, summarize

__all__ = ["Constraints", "InfeasibleSpec", "build", "load_or_build", "write_outputs",
           "sample_ensemble", "Definitions", "Spec", "load_spec", "EnsembleSummary",
           "summarize"]
