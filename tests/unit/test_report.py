"""The closing line of `make test` (tests/report.py) and its exit status."""

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "report.py"
SPEC = importlib.util.spec_from_file_location("report", SCRIPT)
report = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(report)


def junit(path, tests, failures=0, errors=0, skipped=0):
    path.write_text(
        f'<testsuites><testsuite name="s" tests="{tests}" failures="{failures}" '
        f'errors="{errors}" skipped="{skipped}"/></testsuites>'
    )


def test_adds_up_every_report(tmp_path, capsys):
    junit(tmp_path / "unit.xml", tests=10, skipped=1)
    junit(tmp_path / "molecule-smoke.xml", tests=14)
    assert report.main(tmp_path) == 0
    assert capsys.readouterr().out == "total: 23 passed, 0 failed, 1 skipped\n"


@pytest.mark.parametrize("failures, errors", [(1, 0), (0, 2)])
def test_a_failure_or_error_fails_the_run(tmp_path, capsys, failures, errors):
    junit(tmp_path / "unit.xml", tests=5, failures=failures, errors=errors)
    assert report.main(tmp_path) == 1
    assert f"{5 - failures - errors} passed, {failures + errors} failed" in capsys.readouterr().out


def test_no_test_at_all_fails_the_run(tmp_path):
    assert report.main(tmp_path) == 1
