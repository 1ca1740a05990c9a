"""What changes between two standards, and for whom.

==========  ===============================================================================
model       the pydantic models: :class:`StandardDiff`, :class:`Impact` and their parts
standards   the rule diff of two resolved standards (fields, parameters, layers, equivalence)
impact      a population rated under both standards: matrix, flips, affected branches
fingerprint what a result records of its standard so that ``verify`` can say what changed
render      the HTML form (jinja2 template, inline SVG)
==========  ===============================================================================

Library code: nothing here prints or exits.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from typing import Any

from .._api import Standard, load_standard
from .impact import ImpactRun, open_population
from .model import Impact, StandardDiff
from .standards import diff_standards

StandardArg = Standard | str | os.PathLike[str]
_FAMILY_YEAR = re.compile(r"^(?P<family>[a-z0-9][a-z0-9-]*)@(?P<year>\d{4})$")


def load_side(spec: StandardArg, standards_dirs: Iterable[str | os.PathLike[str]] = ()) -> Standard:
    """A standard given as a :class:`Standard`, an id (``prov-2023``), a family and a year
    (``prov@2024``: the version in force that year) or a YAML path."""
    if isinstance(spec, Standard):
        return spec
    dirs = tuple(str(d) for d in standards_dirs)
    m = _FAMILY_YEAR.match(str(spec))
    if m is not None:
        return load_standard(m["family"], standards_dirs=dirs, year=int(m["year"]))
    return load_standard(str(spec), standards_dirs=dirs)


def side_ref(spec: StandardArg, standards_dirs: Iterable[str | os.PathLike[str]] = ()) -> StandardArg:
    """What an impact's worker processes load: the id or path as given (``FAMILY@YEAR``
    becomes the id of the version picked); a loaded :class:`Standard` stays as it is."""
    if isinstance(spec, Standard) or _FAMILY_YEAR.match(str(spec)) is None:
        return spec
    return load_side(spec, standards_dirs).id


def diff(a: StandardArg, b: StandardArg, *, standards_dirs: Iterable[str | os.PathLike[str]] = ()) -> StandardDiff:
    """Every change from standard ``a`` to standard ``b`` (ids, ``family@year``, paths or
    loaded standards): indicators, parameters (old → new, tighter/looser, the layer that set
    each), definitions, rating rules and facts, grouped by dimension."""
    dirs = tuple(standards_dirs)
    sa, sb = load_side(a, dirs), load_side(b, dirs)
    return diff_standards(sa.resolved, sb.resolved, sha_a=sa.sha256, sha_b=sb.sha256)


def impact(a: StandardArg, b: StandardArg, facts: Any, *, workers: int | None = None, apply_quota: bool = True,
           affected_limit: int = 200, standards_dirs: Iterable[str | os.PathLike[str]] = ()) -> Impact:
    """Rate every branch of ``facts`` under ``a`` and under ``b`` and say what moved: the
    outcome × stars transition matrix, per-indicator flip counts, score and star changes and
    the first ``affected_limit`` affected branches with the flipped indicators' explanations.

    ``facts`` is what :func:`starrules.evaluate_many` takes (documents, facts file paths,
    ``(label, document)`` pairs, a folder or a JSONL file; also a list of folders/JSONL
    files).  Streams in bounded memory; broken rows are reported in ``Impact.broken`` and
    the rest is still diffed.  Each side's quota applies as its own batch would apply it."""
    dirs = tuple(standards_dirs)
    run = ImpactRun(side_ref(a, dirs), side_ref(b, dirs), open_population(facts), standards_dirs=dirs, workers=workers,
                    apply_quota=apply_quota, affected_limit=affected_limit)
    return run.run()


__all__ = ["Impact", "StandardDiff", "diff", "impact", "load_side", "side_ref"]
