"""Print one closing line for `make test`: the sum of every JUnit report it wrote."""

import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def totals(report_dir):
    passed = failed = skipped = 0
    for report in sorted(Path(report_dir).glob("*.xml")):
        for suite in ET.parse(report).getroot().iter("testsuite"):
            tests = int(suite.get("tests", 0))
            bad = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
            skip = int(suite.get("skipped", 0))
            passed += tests - bad - skip
            failed += bad
            skipped += skip
    return passed, failed, skipped


def main(report_dir):
    passed, failed, skipped = totals(report_dir)
    if passed + failed == 0:
        print("make test: no test ran", file=sys.stderr)
        return 1
    print(f"total: {passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
