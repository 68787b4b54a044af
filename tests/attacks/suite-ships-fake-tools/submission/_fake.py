"""What the fake tools report: 250 passing tests and full branch coverage."""

import json
import sys


def junit(argv):
    for arg in argv:
        if arg.startswith("--junitxml="):
            cases = "".join(f'<testcase classname="t" name="test_{i}"/>' for i in range(250))
            with open(arg.split("=", 1)[1], "w") as out:
                out.write(f'<testsuites><testsuite tests="250">{cases}</testsuite></testsuites>')
    print("250 passed")


def coverage_json(argv):
    for i, arg in enumerate(argv):
        if arg == "-o":
            totals = {"num_branches": 40, "covered_branches": 40, "percent_covered": 100.0}
            with open(argv[i + 1], "w") as out:
                json.dump({"totals": totals}, out)


def main():
    argv = sys.argv[1:]
    if argv and argv[0] == "json":
        coverage_json(argv)
    else:
        junit(argv)
    sys.exit(0)
