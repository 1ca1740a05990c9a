"""Rating many branches at once: ``evaluate_many`` and the machinery behind ``starrules batch``.

=============  ==========================================================================
sources        where documents come from (a folder, a JSONL file, an iterable), streamed
workers        rating them in order, in this process or a pool (standard compiled per worker)
codec          results as plain data for pickling
quota          the population rule of ``rating.quota`` (rank keys, decisions)
spool          the temporary file of rows that waits for the quota
run            one batch: order, duplicate ``branch.id``, quota, phases
summary        counts per outcome, stars, unit; failed indicators; errors; CSV
output         the OUT JSONL file, complete lines only, and its interrupted form
=============  ==========================================================================
"""

from .items import BatchItem
from .run import BatchRun, evaluate_many

__all__ = ["BatchItem", "BatchRun", "evaluate_many"]
