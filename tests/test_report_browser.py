"""The HTML report opened in headless Chromium: the chart and the tables render.

Chromium is Debian's package; .ci/run installs it when it is missing. Outside CI, a
machine without it skips this module (under CI=true a missing browser is a failure).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest

import partner_tiers as pt
from partner_tiers._cli import demo_book

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

if CHROMIUM is None:
    if os.environ.get("CI") == "true":
        pytest.fail("chromium is required under CI (.ci/run installs it)", pytrace=False)
    pytest.skip("chromium is not installed on this machine", allow_module_level=True)

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    profile = tmp_path / "profile"
    return subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    book = demo_book()
    page = pt.report_html(book, pt.load_program("hubspot-2025"), as_of=dt.date(2025, 9, 30))
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(page, encoding="utf-8")
    return path


def test_report_dom_has_chart_lines_and_tables(report_file: Path, tmp_path: Path) -> None:
    done = _chromium(tmp_path, "--dump-dom", report_file.as_uri())
    dom = done.stdout
    assert done.returncode == 0, done.stderr[-2000:]
    # The browser parsed the inline SVG: one line per track and the reach lines.
    assert dom.count('class="track"') == 3
    assert dom.count('class="reach"') == 3
    for section in ("progress", "tier", "alerts", "clients", "points", "explanation"):
        assert f'id="{section}"' in dom
    assert "Fabrikam GmbH" in dom
    assert "<table>" in dom


def test_report_dom_has_the_team_with_mailto_links(report_file: Path, tmp_path: Path) -> None:
    done = _chromium(tmp_path, "--dump-dom", report_file.as_uri())
    dom = done.stdout
    assert done.returncode == 0, done.stderr[-2000:]
    assert 'id="team"' in dom
    assert 'href="mailto:priya.raman@vendor.example.com"' in dom
    assert 'href="mailto:jonas.berg@vendor.example.com"' in dom
    assert 'href="https://crm.example.com/companies/1001"' in dom


def test_report_screenshot_shows_the_chart_in_colour(report_file: Path, tmp_path: Path) -> None:
    image_module = pytest.importorskip("matplotlib.image")
    shot = tmp_path / "shot.png"
    done = _chromium(
        tmp_path, f"--screenshot={shot}", "--window-size=1000,800", report_file.as_uri()
    )
    assert shot.exists(), done.stderr[-2000:]
    pixels = image_module.imread(str(shot))
    # The first track's colour (#1f77b4) is drawn somewhere in the screenshot.
    red, green, blue = pixels[..., 0], pixels[..., 1], pixels[..., 2]
    blue_line = (
        (abs(red - 0x1F / 255) < 0.08)
        & (abs(green - 0x77 / 255) < 0.08)
        & (abs(blue - 0xB4 / 255) < 0.08)
    )
    assert int(blue_line.sum()) > 50


def test_report_dom_has_the_sold_breakdown_and_the_projection(
    report_file: Path, tmp_path: Path
) -> None:
    """Issue 18, items 5 and 6: the chart draws sold (of which sourced and assisted)
    beside the tracks, and the page projects the points three months ahead."""
    done = _chromium(tmp_path, "--dump-dom", report_file.as_uri())
    dom = done.stdout
    assert done.returncode == 0, done.stderr[-2000:]
    assert dom.count('class="figure"') == 2
    assert 'data-figure="sold"' in dom
    assert 'data-figure="assisted"' in dom
    assert ">sourced (of sold)</text>" in dom
    assert 'id="projection"' in dom
    # 2025-09-30 + 3 months: d-2 (12.00 sourced) expires on 2025-10-01; total 54.69 then.
    assert "Projection to 2025-12-30" in dom
    assert "<td>54.69</td>" in dom
    assert 'id="team"' in dom


def test_report_dom_has_the_plan(report_file: Path, tmp_path: Path) -> None:
    # The plan (issue 16): to keep Gold, and to reach Platinum by the review of
    # 2026-01-01 with one partner-sourced deal that what_if confirms.
    done = _chromium(tmp_path, "--dump-dom", report_file.as_uri())
    dom = done.stdout
    assert done.returncode == 0, done.stderr[-2000:]
    assert 'id="plan"' in dom
    assert "To reach platinum at the review on 2026-01-01" in dom
    assert "2,056.10 USD" in dom or "2056.10 USD" in dom
