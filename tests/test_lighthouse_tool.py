"""tools/lighthouse.py reads Lighthouse's report as Lighthouse 12 writes it (a measurement, never run
by `make test`: here only its reading of a report, in that shape)."""

from __future__ import annotations

import json
import subprocess

import pytest
from lighthouse import CATEGORIES, LIGHTHOUSE, METRICS, failing, scores, table


def report(performance: float, tbt_score: float) -> dict:
    audits = {audit: {"id": audit, "score": 1, "numericValue": 1000.0} for audit in METRICS}
    audits["total-blocking-time"].update(score=tbt_score, numericValue=310.0, displayValue="310 ms")
    audits["layout-shift-elements"] = {"id": "layout-shift-elements", "score": 0}  # weight 0: not counted
    refs = [{"id": audit, "weight": 0 if audit == "layout-shift-elements" else 10} for audit in audits]
    categories = {name: {"score": 1.0, "auditRefs": refs if name == "performance" else []} for name in CATEGORIES}
    categories["performance"]["score"] = performance
    return {"lighthouseVersion": "12.2.3", "categories": categories, "audits": audits}


def test_scores_metrics_and_what_loses_points() -> None:
    r = json.loads(json.dumps(report(0.93, 0.78)))
    figures = scores(r)
    assert figures["performance"] == 0.93 and figures["seo"] == 1.0
    assert figures["TBT"] == 310.0 and set(METRICS.values()) <= set(figures)
    assert failing(r) == ["total-blocking-time (0.78): 310 ms"]
    assert "| `/` | 0.93 | 1.00 | 1.00 | 1.00 | 1000 | 1000 | 310 | 1000.000 | 1000 |" in table({"/": figures})


def test_a_failed_run_is_reported_not_scored() -> None:
    with pytest.raises(RuntimeError, match="NO_FCP"):
        scores({"runtimeError": {"code": "NO_FCP", "message": "NO_FCP: the page did not paint"}})


def test_the_pinned_lighthouse_is_installed() -> None:
    result = subprocess.run(["node", str(LIGHTHOUSE), "--version"], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "12.2.3", result.stderr
