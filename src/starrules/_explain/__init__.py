"""Audit trail: explain trees, next star, verify, the HTML report.

One idea per module: ``session`` (re-evaluate and re-rate), ``tree`` (a traced expression
as a tree), ``explain`` (the derivation of a result), ``gaps`` (what must change, in the
facts' own terms), ``next_star`` (the smallest set of changes to the next level),
``verify`` (re-run a recorded result), ``report`` (HTML, jinja2 templates).
Library code: nothing here prints or exits.
"""

from .explain import Explanation, explain
from .next_star import NextStar, next_star
from .report import render_report, report_html
from .verify import VerifyReport, verify

__all__ = ["explain", "Explanation", "next_star", "NextStar", "verify", "VerifyReport", "report_html", "render_report"]
