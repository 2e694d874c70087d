#!/usr/bin/env python3
"""Web check: schemathesis fuzzes every operation of schemas/openapi.yaml against the live server, with all its checks.

Run by infra/web-checks.sh (`make web-checks WEB_CHECKS=schemathesis`, and by make test with WEB_CHECKS_SHORT=1) with
CHANCERY_URL and CHANCERY_ADMIN_TOKEN set. Two runs of the schemathesis CLI (pinned in
scripts/requirements-web-checks.txt):

  1. every operation with the admin token (POST /v1/events appends the generated events that the gateway accepts:
     this server is a throwaway one);
  2. the public operations (x-chancery-access: public) without a token.

Both use a fixed seed, so a run is repeatable on the same data. Each must report 0 failures: no 5xx, every status
code, content type, header and body as documented, invalid input refused and valid input accepted (with the
exceptions scripts/webchecks/schemathesis.toml names: rules the document states in words). POST /v1/admin/faults is
left out: this server runs without --fault-injection, so it is not served. Short mode
(WEB_CHECKS_SHORT=1) bounds the examples per operation (SCHEMATHESIS_MAX_EXAMPLES, default 10 short, 100 otherwise)
and skips the coverage phase of POST /v1/events, so that it finishes in about 90 seconds. Reports (JUnit XML, NDJSON) go to $WEB_CHECKS_OUT/schemathesis/.

Exit status: 0 when both runs pass; 1 with schemathesis's own account of each failure otherwise; 2 when it cannot run.
"""
import os
import pathlib
import shutil
import subprocess
import sys
import time

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "schemas" / "openapi.yaml"
CONFIG = ROOT / "scripts" / "webchecks" / "schemathesis.toml"
SEED = 20261207
# Served only by a server started with --fault-injection (make chaos), which this one is not: here it is 404, and a
# fuzzer must never take the broker down.
EXCLUDED = ["injectBrokerFaults"]


def public_operation_ids(document):
    ids = []
    for path_item in document["paths"].values():
        for method, operation in path_item.items():
            if isinstance(operation, dict) and operation.get("x-chancery-access") == "public":
                ids.append(operation["operationId"])
    return sorted(ids)


# Short mode only: the coverage phase of POST /v1/events (boundary and negative values of every keyword of the
# envelope schema: 53 types, 8 type-and-stream pairs) costs about a minute of schemathesis's own time on 2 loaded cores;
# the long run keeps it. The examples and fuzzing phases still post events there.
SHORT_CONFIG = """
[[operations]]
include-operation-id = "appendEvents"
phases.coverage.enabled = false
"""


def config_file(out):
    if os.environ.get("WEB_CHECKS_SHORT") != "1":
        return CONFIG
    path = out / "schemathesis-short.toml"
    path.write_text(CONFIG.read_text() + SHORT_CONFIG)
    return path


def run(name, arguments, out):
    command = [
        sys.executable, "-m", "schemathesis.cli", "--config-file", str(config_file(out)), "run", str(SCHEMA),
        "--url", os.environ["CHANCERY_URL"],
        "--checks", "all",
        "--seed", str(SEED),
        # One worker: with several, Hypothesis's lambda descriptions (ast.parse) in threads hit CPython 3.11's
        # "AST constructor recursion depth mismatch" and end the run with a runtime error.
        "--workers", os.environ.get("SCHEMATHESIS_WORKERS", "1"),
        "--max-examples", str(max_examples()),
        "--request-timeout", "30",
        "--generation-database", "none",
        "--no-color",
        "--report", "junit,ndjson",
        "--report-dir", str(out / name),
        *[a for op in EXCLUDED for a in ("--exclude-operation-id", op)],
        *arguments,
    ]
    started = time.monotonic()
    print(f"schemathesis ({name}): {' '.join(c if 'Bearer' not in c else 'Authorization: Bearer …' for c in command[2:])}", flush=True)
    # In the artefacts folder: schemathesis keeps its crash cache (.schemathesis/) in the working directory.
    result = subprocess.run(command, cwd=out, text=True, capture_output=True)
    (out / f"{name}.log").write_text(result.stdout + result.stderr)
    print(f"schemathesis ({name}): exit {result.returncode} after {time.monotonic() - started:.0f} s", flush=True)
    if result.returncode != 0:
        print(result.stdout[-20000:])
        print(result.stderr[-5000:], file=sys.stderr)
    else:
        summary = [line for line in result.stdout.splitlines() if "passed" in line or "failed" in line or "Test cases" in line]
        print("\n".join(summary[-4:]))
    return result.returncode


def max_examples():
    if "SCHEMATHESIS_MAX_EXAMPLES" in os.environ:
        return int(os.environ["SCHEMATHESIS_MAX_EXAMPLES"])
    return 10 if os.environ.get("WEB_CHECKS_SHORT") == "1" else 100


def main():
    for name in ("CHANCERY_URL", "CHANCERY_ADMIN_TOKEN"):
        if not os.environ.get(name):
            print(f"schemathesis: {name} is not set (run it through infra/web-checks.sh)", file=sys.stderr)
            return 2
    try:
        import schemathesis  # noqa: F401
    except ImportError:
        print("schemathesis: not installed; run infra/install-deps.sh (scripts/requirements-web-checks.txt)", file=sys.stderr)
        return 2
    out = pathlib.Path(os.environ.get("WEB_CHECKS_OUT", ROOT / ".data" / "web-checks")).resolve() / "schemathesis"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    document = yaml.safe_load(SCHEMA.read_text())
    public = public_operation_ids(document)
    failed = []
    if run("admin", ["--header", f"Authorization: Bearer {os.environ['CHANCERY_ADMIN_TOKEN']}"], out) != 0:
        failed.append("with the admin token")
    if run("public", ["--include-operation-id-regex", "^(" + "|".join(public) + ")$"], out) != 0:
        failed.append("without a token (public operations)")
    if failed:
        print(f"schemathesis: failures {' and '.join(failed)}; reports in {out}", file=sys.stderr)
        return 1
    print(f"schemathesis: 0 failures ({len(public)} public operations also without a token); reports in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
