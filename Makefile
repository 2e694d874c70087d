# Chancery — the two commands of the README, and a few helpers.
SHELL := /bin/bash
PG_PORT ?= 54329
HTTP_PORT ?= 8080

.PHONY: run test chaos web-checks screenshots deps build bench clean pg-start pg-stop calendars

## make run: install what is missing, start PostgreSQL, build, run the server on the embedded broker,
## load the reference scenario and the Burlington permits, print the figures, stay in the foreground.
run: deps
	PG_PORT=$(PG_PORT) HTTP_PORT=$(HTTP_PORT) bash infra/run.sh

## make test: the same set-up, a throwaway PostgreSQL, swift test, cleanup.
test: deps
	bash infra/test.sh

## make chaos: the reference scenario through the HTTP door while the server is killed with SIGKILL at random
## instants (50) and PostgreSQL is stopped for 30 s; then 0 lost, 0 duplicated, every read model equal to a
## clean replay of the log. A throwaway PostgreSQL on port 54361. `make chaos CHAOS_ARGS=--short`: 3 kills.
chaos: deps
	bash infra/chaos.sh $(CHAOS_ARGS)

## make web-checks: one server with the reference scenario and the Burlington permits loaded, then every check of
## scripts/webchecks/ (API fuzzing, headless Chromium). `make web-checks WEB_CHECKS=schemathesis` runs one.
web-checks: deps
	bash infra/web-checks.sh $(WEB_CHECKS)

## make screenshots: the web checks with SCREENSHOTS=1: each check that honours it saves PNGs into
## .data/web-checks/screenshots/ (the dashboard: one per page; the portal: every public page, desktop and phone widths;
## reports: the annual report and the circular). `make screenshots WEB_CHECKS=dashboard` runs one check.
screenshots: deps
	SCREENSHOTS=1 bash infra/web-checks.sh $(WEB_CHECKS)

## make bench: the same set-up, a throwaway PostgreSQL, the benchmarks of Benchmarks/ in release mode, cleanup.
## Pass options to package-benchmark with BENCH_ARGS, e.g. make bench BENCH_ARGS="--filter 'Domain.*'".
bench: deps
	bash infra/bench.sh $(BENCH_ARGS)

deps:
	bash infra/install-deps.sh

build: deps
	swift build

pg-start:
	bash infra/postgres/pg-local.sh start $(CURDIR)/.data/pg $(PG_PORT)

pg-stop:
	bash infra/postgres/pg-local.sh stop $(CURDIR)/.data/pg

## Regenerate the working-day calendars from their PyPI sources.
calendars:
	python3 -m pip install -q -r scripts/requirements-calendars.txt && python3 scripts/generate-calendars.py

clean:
	rm -rf .build .data Benchmarks/.build
