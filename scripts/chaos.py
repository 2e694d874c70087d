#!/usr/bin/env python3
"""make chaos: load the reference scenario while the server is killed, then prove nothing was lost.

Driven by infra/chaos.sh, which starts a throwaway PostgreSQL and creates an admin token; this driver
(Python 3, standard library only) does the rest:

  1. gets the scenario as CloudEvents JSON Lines (CHAOS_EVENTS, else `chancery demo --output`, else by
     capturing what `chancery demo` sends to a stand-in door on loopback);
  2. starts `chancery server` (embedded broker) and sends the events in batches through POST /v1/events,
     recording every event answered 2xx; meanwhile it kills the server with SIGKILL at seeded random
     instants and restarts it, re-sending the batch in flight (ids are deterministic: a re-send is
     idempotent), and stops PostgreSQL once for a while (appends should answer 503 meanwhile);
  3. waits for the read models to catch up, checks that every acknowledged event is in audit.events
     exactly once, then replays the same log (audit.journal) into a fresh database with a second
     server and compares every read-model table (row count and content checksum);
  4. prints the table of figures and exits 1 when anything was lost, duplicated or differs.

Everything is bounded by timeouts; servers are killed on the way out (their pids are also written to
CHAOS_PID_FILE so that infra/chaos.sh's trap can kill them).
"""
import argparse
import collections
import http.client
import json
import os
import random
import re
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# --------------------------------------------------------------------------------------------------
# Configuration

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def env_int(name, default):
    v = os.environ.get(name, "")
    return int(v) if v.strip() else default


def env_float(name, default):
    v = os.environ.get(name, "")
    return float(v) if v.strip() else default


def parse_args():
    p = argparse.ArgumentParser(description="Chancery fault-injection run (see infra/chaos.sh).")
    p.add_argument("--short", action="store_true", default=os.environ.get("CHAOS_SHORT", "") not in ("", "0"),
                   help="short mode for make test: a prefix of the scenario, 3 kills, a 10 s PostgreSQL outage")
    a = p.parse_args()
    short = a.short
    c = argparse.Namespace()
    c.short = short
    c.bin = os.environ["CHANCERY_BIN"]
    c.pg_data = os.environ["CHAOS_PG_DATA"]
    c.pg_port = env_int("CHAOS_PG_PORT", 54361)
    c.db = os.environ.get("CHAOS_DB", "chancery")
    c.replay_db = os.environ.get("CHAOS_REPLAY_DB", "chancery_replay")
    c.token = os.environ["CHAOS_TOKEN"]
    c.work = os.environ["CHAOS_WORK"]
    c.pid_file = os.environ.get("CHAOS_PID_FILE", os.path.join(c.work, "pids"))
    c.http_port = env_int("CHAOS_HTTP_PORT", 18361)
    c.replay_http_port = env_int("CHAOS_REPLAY_HTTP_PORT", c.http_port + 1)
    c.seed = env_int("CHAOS_SEED", 20251231)
    c.kills = env_int("CHAOS_KILLS", 3 if short else 50)
    c.batch = env_int("CHAOS_BATCH", 500)
    c.limit = env_int("CHAOS_LIMIT", 8000 if short else 0)  # 0: the whole scenario
    c.pg_outage = env_float("CHAOS_PG_OUTAGE", 10.0 if short else 30.0)  # seconds; 0: none
    # Broker faults through POST /v1/admin/faults (the server runs with --fault-injection): request errors on Produce,
    # AddPartitionsToTxn, AddOffsetsToTxn, EndTxn and TxnOffsetCommit, and the embedded broker down this many seconds.
    c.broker_down = env_float("CHAOS_BROKER_DOWN", 5.0 if short else 30.0)  # seconds; 0: no broker faults
    c.kill_max_delay = env_float("CHAOS_KILL_MAX_DELAY", 2.0)  # a kill fires 0 … this many s after its batch starts
    c.catchup_timeout = env_float("CHAOS_CATCHUP_TIMEOUT", 60.0 if short else 900.0)
    c.stable_window = env_float("CHAOS_STABLE_WINDOW", 10.0 if short else 30.0)
    c.health_timeout = env_float("CHAOS_HEALTH_TIMEOUT", 120.0)
    c.events_file = os.environ.get("CHAOS_EVENTS", "")
    c.policy = os.environ.get("CHAOS_SUPERVISION_POLICY", os.path.join(ROOT, "examples/config/supervision-policy.json"))
    c.server_args = shlex.split(os.environ.get("CHAOS_SERVER_ARGS", ""))  # e.g. "--journal off" (a negative control)
    c.exclude_columns = [x.strip() for x in os.environ.get("CHAOS_EXCLUDE_COLUMNS", "").split(",") if x.strip()]
    return c


CFG = None
T0 = time.monotonic()
ALL_SERVERS = []


def log(msg):
    sys.stdout.write(f"[chaos {time.monotonic() - T0:7.1f}s] {msg}\n")
    sys.stdout.flush()


def db_url(name):
    return f"postgresql://postgres@127.0.0.1:{CFG.pg_port}/{name}"


# --------------------------------------------------------------------------------------------------
# PostgreSQL through psql

def psql(db, sql, stdin=None, timeout=300, check=True):
    r = subprocess.run(["psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-F", "\t", db_url(db), "-c", sql],
                       input=stdin, capture_output=True, text=True, timeout=timeout)
    if check and r.returncode != 0:
        raise RuntimeError(f"psql failed ({r.returncode}): {r.stderr.strip()[:500]}\n  SQL: {sql[:300]}")
    return r.stdout


def psql_value(db, sql, default=None):
    try:
        out = psql(db, sql, timeout=60).strip()
        return out if out != "" else default
    except (RuntimeError, subprocess.TimeoutExpired):
        return default


def pg_ctl(action):
    args = ["bash", os.path.join(ROOT, "infra/postgres/pg-local.sh"), action, CFG.pg_data]
    if action == "start":
        args.append(str(CFG.pg_port))
    r = subprocess.run(args, capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        raise RuntimeError(f"pg-local.sh {action} failed: {r.stderr.strip()[-500:]}")


# --------------------------------------------------------------------------------------------------
# HTTP

def http_request(port, method, path, body=None, headers=None, timeout=60.0):
    """Returns (status, body bytes); raises OSError / http.client.HTTPException on connection trouble."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        data = resp.read()
        return resp.status, data
    finally:
        conn.close()


def health_ok(port):
    try:
        status, _ = http_request(port, "GET", "/health", timeout=5)
        return status == 200
    except (OSError, http.client.HTTPException):
        return False


# --------------------------------------------------------------------------------------------------
# The server under test

class Server:
    """One `chancery server` on the embedded broker; restarted after every kill."""

    def __init__(self, name, db, port, extra_args=()):
        self.name, self.db, self.port = name, db, port
        self.extra_args = list(extra_args)
        self.proc = None
        self.incarnation = 0
        self.started_at = None
        self.lock = threading.Lock()
        self.log_path = os.path.join(CFG.work, f"{name}-server.log")
        self.unexpected_exits = 0
        ALL_SERVERS.append(self)

    def start(self):
        with self.lock:
            self.incarnation += 1
            logf = open(self.log_path, "ab")
            logf.write(f"\n===== {self.name} incarnation {self.incarnation} =====\n".encode())
            logf.flush()
            args = [CFG.bin, "server", "--database-url", db_url(self.db), "--http-port", str(self.port)]
            if CFG.policy and os.path.exists(CFG.policy):
                args += ["--supervision-policy", CFG.policy]
            args += CFG.server_args + self.extra_args
            if CFG.broker_down > 0:
                args.append("--fault-injection")
            self.proc = subprocess.Popen(args, stdout=logf, stderr=logf, stdin=subprocess.DEVNULL, start_new_session=True)
            logf.close()
            self.started_at = time.monotonic()
            with open(CFG.pid_file, "a") as f:
                f.write(f"{self.proc.pid}\n")
            return self.incarnation

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def kill(self, incarnation=None):
        """SIGKILL the running process (only if still the given incarnation). Returns True if it killed."""
        with self.lock:
            if self.proc is None or (incarnation is not None and incarnation != self.incarnation):
                return False
            if self.proc.poll() is not None:
                return False
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=30)
            return True

    def stop(self, grace=30.0):
        """SIGINT, then SIGKILL after `grace` seconds."""
        if not self.alive():
            return
        try:
            os.kill(self.proc.pid, signal.SIGINT)
            self.proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            log(f"{self.name} server did not stop within {grace:.0f} s of SIGINT; killing it")
            self.kill()
        except ProcessLookupError:
            pass

    def wait_health(self, timeout=None):
        """Waits for /health 200 of this incarnation; returns seconds since start, or None."""
        deadline = time.monotonic() + (timeout or CFG.health_timeout)
        while time.monotonic() < deadline:
            if not self.alive():
                return None
            if health_ok(self.port):
                return time.monotonic() - self.started_at
            time.sleep(0.1)
        return None

    def tail(self, n=15):
        try:
            with open(self.log_path, "rb") as f:
                lines = f.read().decode("utf-8", "replace").splitlines()
            return "\n".join("    " + l[:300] for l in lines[-n:])
        except OSError:
            return "    (no log)"

    def ensure_up(self, stats, deadline):
        """Restarts the server until /health answers (PostgreSQL may be down for a while)."""
        while time.monotonic() < deadline:
            if not self.alive():
                self.start()
            secs = self.wait_health(timeout=min(CFG.health_timeout, max(1.0, deadline - time.monotonic())))
            if secs is not None:
                return secs
            if not self.alive():
                self.unexpected_exits += 1
                log(f"{self.name} server exited by itself (rc {self.proc.returncode}); restarting. Log tail:\n{self.tail(6)}")
                time.sleep(1.0)
        raise RuntimeError(f"{self.name} server did not become healthy in time; log tail:\n{self.tail()}")


# --------------------------------------------------------------------------------------------------
# The events

def load_events():
    path = CFG.events_file
    if not path:
        path = os.path.join(CFG.work, "scenario.jsonl")
        r = subprocess.run([CFG.bin, "demo", "--output", path], capture_output=True, text=True, timeout=600)
        if r.returncode == 0 and os.path.exists(path) and os.path.getsize(path) > 0:
            log(f"scenario written by `chancery demo --output`")
        else:
            log("this chancery has no `demo --output`: capturing what `chancery demo` sends to a stand-in door")
            capture_demo(path)
    events = []
    with open(path, "rb") as f:
        for line in f:
            line = line.strip()
            if line:
                events.append(line)
    if CFG.limit and CFG.limit < len(events):
        events = events[:CFG.limit]
    keyed = []
    for raw in events:
        e = json.loads(raw)
        keyed.append((e["source"], e["id"], e["subject"], raw))
    log(f"{len(keyed)} events from {path}" + (f" (the first {CFG.limit})" if CFG.limit else ""))
    return keyed


def capture_demo(path):
    """Runs `chancery demo` against a stand-in for POST /v1/events that records each batch and answers 201."""
    received = []
    heads = collections.defaultdict(int)
    lock = threading.Lock()

    class Door(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def do_POST(self):
            n = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(n)
            batch = json.loads(body)
            if isinstance(batch, dict):
                batch = [batch]
            out = []
            with lock:
                for e in batch:
                    received.append(json.dumps(e, separators=(",", ":"), ensure_ascii=False))
                    heads[e["subject"]] += 1
                    out.append({"id": e["id"], "subject": e["subject"], "topic": "capture", "partition": 0,
                                "offset": len(received) - 1, "sequence": heads[e["subject"]], "hash": ""})
            data = json.dumps({"events": out}).encode()
            self.send_response(201)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    srv = ThreadingHTTPServer(("127.0.0.1", 0), Door)
    port = srv.server_address[1]
    th = threading.Thread(target=srv.serve_forever, daemon=True)
    th.start()
    # The demo waits for the read models afterwards: point it at a database with no server so it fails
    # (or is stopped) once everything has been sent.
    proc = subprocess.Popen([CFG.bin, "demo", "--url", f"http://127.0.0.1:{port}", "--no-summary",
                             "--database-url", db_url("postgres"), "--batch-size", "1000", "--token", "capture"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    total = None
    deadline = time.monotonic() + 600
    try:
        for line in proc.stdout:
            m = re.search(r"reference scenario: (\d+) events", line)
            if m:
                total = int(m.group(1))
            if line.startswith("appended ") or "waiting for the projector" in line:
                break
            if time.monotonic() > deadline:
                raise RuntimeError("capturing the demo took too long")
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=30)
        srv.shutdown()
    if total is None or len(received) != total:
        raise RuntimeError(f"captured {len(received)} events, the demo announced {total}")
    with open(path, "w", encoding="utf-8") as f:
        for line in received:
            f.write(line + "\n")


# --------------------------------------------------------------------------------------------------
# The load with faults

class Stats:
    def __init__(self):
        self.acked = {}  # (source, id) -> (subject, sequence)
        self.heads = {}  # subject -> highest answered sequence
        self.status_counts = collections.Counter()
        self.conn_errors = 0
        self.rejected = collections.Counter()  # problem type -> count
        self.rejected_examples = []
        self.kills = []  # dicts: batch, delay, at
        self.health_after_restart = []  # seconds from restart to /health 200
        self.pg_outage = None  # dict
        self.outage_active = False
        self.outage_counts = collections.Counter()
        self.broker_fault = None  # dict
        self.broker_active = False
        self.broker_counts = collections.Counter()


def post_batch(port, batch, timeout=120.0):
    body = b"[" + b",".join(raw for (_, _, _, raw) in batch) + b"]"
    headers = {"Content-Type": "application/cloudevents-batch+json", "Authorization": f"Bearer {CFG.token}"}
    return http_request(port, "POST", "/v1/events", body=body, headers=headers, timeout=timeout)


def record_ack(stats, batch, body):
    answer = json.loads(body)
    entries = answer.get("events", [])
    if len(entries) != len(batch):
        raise RuntimeError(f"the answer lists {len(entries)} events for a batch of {len(batch)}")
    for (source, eid, subject, _), entry in zip(batch, entries):
        if entry.get("id") != eid:
            raise RuntimeError(f"answer out of order: {entry.get('id')} for {eid}")
        seq = int(entry.get("sequence", 0))
        stats.acked[(source, eid)] = (subject, seq)
        if seq > stats.heads.get(subject, 0):
            stats.heads[subject] = seq


def problem_code(body):
    try:
        t = json.loads(body).get("type", "")
        return t.rsplit("/", 1)[-1] or "unknown"
    except (ValueError, AttributeError):
        return "unparsed"


class Load:
    def __init__(self, events, server, stats, deadline):
        self.events, self.server, self.stats, self.deadline = events, server, stats, deadline
        self.rng = random.Random(CFG.seed)
        nb = (len(events) + CFG.batch - 1) // CFG.batch
        self.nb = nb
        # The kill plan: batch index at whose start a kill is armed, and its delay. Seeded. The last kill
        # comes right after the last batch was answered, while the consumers are still behind; recovery to
        # "caught up" is measured from its restart.
        during = max(0, CFG.kills - 1)
        if during <= nb:
            idx = sorted(self.rng.sample(range(nb), during))
        else:
            idx = sorted(self.rng.randrange(nb) for _ in range(during))
        if CFG.kills > 0:
            idx.append(nb)
        self.plan = collections.deque((i, round(self.rng.uniform(0.0, CFG.kill_max_delay), 3)) for i in idx)
        # The PostgreSQL outage starts at a batch in the middle third (not the first, so the server has warmed up).
        self.outage_batch = self.rng.randrange(nb // 3, max(nb // 3 + 1, 2 * nb // 3)) if CFG.pg_outage > 0 else None
        # The broker faults start at a batch of the last third (after the PostgreSQL outage).
        self.broker_batch = (self.rng.randrange(2 * nb // 3, max(2 * nb // 3 + 1, nb)) if CFG.broker_down > 0 else None)
        if self.broker_batch is not None and self.broker_batch == self.outage_batch:
            self.broker_batch = min(nb - 1, self.broker_batch + 1)
        self.timer = None
        self.timer_fired = threading.Event()
        log(f"plan (seed {CFG.seed}): {len(events)} events in {nb} batches of {CFG.batch}; "
            f"{CFG.kills} kills at (batch, delay s): {list(self.plan)}; "
            + (f"PostgreSQL stopped for {CFG.pg_outage:.0f} s at batch {self.outage_batch}" if self.outage_batch is not None else "no PostgreSQL outage"))

    # -- faults

    def arm_kills(self, batch_index):
        if self.timer is not None or self.stats.outage_active or self.stats.broker_active or not self.plan:
            return
        if self.plan[0][0] > batch_index:
            return
        i, delay = self.plan.popleft()
        inc = self.server.incarnation
        fired = self.timer_fired
        fired.clear()

        def fire():
            if self.stats.outage_active or self.stats.broker_active:
                # Never kill while PostgreSQL or the broker is down: put the kill back for a later batch.
                self.plan.appendleft((i, delay))
                fired.set()
                return
            if self.server.kill(inc):
                self.stats.kills.append({"batch": i, "armed_at_batch": batch_index, "delay": delay,
                                         "at": round(time.monotonic() - T0, 1)})
            else:
                self.plan.appendleft((i, delay))  # the process had already gone: try again later
            fired.set()

        self.timer = threading.Timer(delay, fire)
        self.timer.daemon = True
        self.timer.start()

    def settle_timer(self, wait=False):
        """Forgets a timer that fired; with wait, waits for a pending one to fire first."""
        if self.timer is None:
            return
        if wait:
            self.timer_fired.wait(timeout=CFG.kill_max_delay + 5)
        if self.timer_fired.is_set():
            self.timer.join(timeout=5)
            self.timer = None

    def start_outage(self):
        st = self.stats
        log(f"stopping PostgreSQL for {CFG.pg_outage:.0f} s (pg_ctl stop -m fast)")
        st.outage_active = True
        t = time.monotonic()
        pg_ctl("stop")
        st.pg_outage = {"stopped_at": t, "seconds": CFG.pg_outage}

        def restart():
            try:
                pg_ctl("start")
                st.pg_outage["started_at"] = time.monotonic()
                log("PostgreSQL started again")
            except Exception as e:  # noqa: BLE001 - reported, the main loop then fails on its deadline
                st.pg_outage["error"] = str(e)
                log(f"PostgreSQL did not start again: {e}")
            finally:
                st.outage_active = False

        th = threading.Timer(max(0.0, CFG.pg_outage - (time.monotonic() - t)), restart)
        th.daemon = True
        th.start()
        self.outage_thread = th

    def start_broker_faults(self):
        """POST /v1/admin/faults: request errors on every request type of a transaction, then the broker down."""
        st = self.stats
        errors = [{"apiKey": k, "errors": e} for k, e in
                  [(0, [19, 19, 7]), (24, [15, 16]), (25, [15, 16]), (26, [15, 16, 51]), (28, [15, 16])]]
        body = json.dumps({"requestErrors": errors, "brokerDownSeconds": int(CFG.broker_down)}).encode()
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {CFG.token}"}
        status, answer = http_request(self.server.port, "POST", "/v1/admin/faults", body=body, headers=headers, timeout=30)
        if status != 202:
            raise RuntimeError(f"POST /v1/admin/faults answered {status}: {answer[:300]!r}")
        log(f"broker faults injected: request errors on Produce, AddPartitionsToTxn, AddOffsetsToTxn, EndTxn, TxnOffsetCommit; "
            f"broker down for {CFG.broker_down:.0f} s")
        st.broker_active = True
        st.broker_fault = {"seconds": CFG.broker_down, "at": time.monotonic()}

        def done():
            st.broker_active = False
            st.broker_fault["ended_at"] = time.monotonic()

        th = threading.Timer(CFG.broker_down + 2.0, done)
        th.daemon = True
        th.start()
        self.broker_thread = th

    # -- sending

    def send(self, batch, batch_index):
        """Sends one batch until it is answered (2xx, or refused and then sent event by event)."""
        st = self.stats
        attempts = 0
        unexpected = 0
        while True:
            if time.monotonic() > self.deadline:
                raise RuntimeError(f"the load did not finish in time (batch {batch_index})")
            self.settle_timer()
            in_outage = st.outage_active
            in_broker = st.broker_active
            if not self.server.alive():
                self.restart_after_kill()
                continue
            try:
                status, body = post_batch(self.server.port, batch)
            except (OSError, http.client.HTTPException) as e:
                st.conn_errors += 1
                if in_outage:
                    st.outage_counts["connection error"] += 1
                if not self.server.alive():
                    self.restart_after_kill()
                else:
                    attempts += 1
                    if attempts % 10 == 0:
                        log(f"batch {batch_index}: {attempts} connection errors with the server up ({e!r})")
                    time.sleep(0.5)
                continue
            st.status_counts[status] += 1
            if in_outage or st.outage_active:
                st.outage_counts[status] += 1
            if in_broker or st.broker_active:
                st.broker_counts[status] += 1
            if status in (200, 201):
                record_ack(st, batch, body)
                return
            if status == 503:
                time.sleep(0.5)
                continue
            if 400 <= status < 500 and len(batch) > 1:
                # All or nothing: find the refused events one by one, as `chancery demo` does.
                for ev in batch:
                    self.send_one(ev, batch_index)
                return
            if 400 <= status < 500:
                code = problem_code(body)
                st.rejected[code] += 1
                if len(st.rejected_examples) < 10:
                    st.rejected_examples.append(f"{batch[0][1]}: {status} {body[:300].decode('utf-8', 'replace')}")
                return
            unexpected += 1
            if unexpected == 1 or unexpected % 10 == 0:
                log(f"batch {batch_index}: unexpected {status} ({unexpected}× for this batch): {body[:300]!r}; retrying")
            time.sleep(1.0)

    def send_one(self, ev, batch_index):
        self.send([ev], batch_index)

    def restart_after_kill(self):
        """Restarts the server (it was killed, or died) and waits for /health; records the time."""
        self.settle_timer(wait=True)
        killed_by_us = bool(self.stats.kills) and self.server.proc is not None and self.server.proc.returncode == -signal.SIGKILL
        if not killed_by_us and self.server.proc is not None and self.server.proc.returncode is not None:
            self.server.unexpected_exits += 1
            log(f"server exited by itself (rc {self.server.proc.returncode}); log tail:\n{self.server.tail(8)}")
        self.server.start()
        secs = self.server.ensure_up(self.stats, self.deadline)
        if killed_by_us and not self.stats.outage_active:
            self.stats.health_after_restart.append(secs)
        log(f"kill {len(self.stats.kills)}: restarted, /health ok after {secs:.1f} s; acknowledged so far {len(self.stats.acked)}")

    def run(self):
        st = self.stats
        B = CFG.batch
        self.last_progress = time.monotonic()
        for bi in range(self.nb):
            batch = self.events[bi * B:(bi + 1) * B]
            if bi == self.outage_batch:
                self.settle_timer(wait=True)
                if not self.server.alive():
                    self.restart_after_kill()
                self.start_outage()
            if bi == self.broker_batch:
                self.settle_timer(wait=True)
                if not self.server.alive():
                    self.restart_after_kill()
                self.start_broker_faults()
            self.arm_kills(bi)
            self.send(batch, bi)
            if time.monotonic() - self.last_progress > 15 or bi == self.nb - 1:
                self.last_progress = time.monotonic()
                log(f"sent {min((bi + 1) * B, len(self.events))}/{len(self.events)}; acknowledged {len(st.acked)}; "
                    f"kills {len(st.kills)}; statuses {dict(st.status_counts)}")
        # Kills still planned (a short scenario, or kills deferred by the outage): fire them now, during catch-up.
        while self.plan or self.timer is not None:
            if time.monotonic() > self.deadline:
                raise RuntimeError("kills left when the deadline passed")
            if self.timer is None:
                if st.outage_active:
                    time.sleep(0.5)
                    continue
                self.arm_kills(self.nb)
            self.settle_timer(wait=True)
            if not self.server.alive():
                self.restart_after_kill()
        if getattr(self, "outage_thread", None) is not None:
            self.outage_thread.join(timeout=CFG.pg_outage + 120)
        if getattr(self, "broker_thread", None) is not None:
            self.broker_thread.join(timeout=CFG.broker_down + 60)
        if not self.server.alive():
            self.restart_after_kill()


# --------------------------------------------------------------------------------------------------
# Catching up

def catchup_probe(db):
    """A tuple that changes while the consumers make progress."""
    sql = ("SELECT (SELECT count(*) FROM audit.events), (SELECT coalesce(sum(sequence),0) FROM approval.stream_heads), "
           "(SELECT count(*) FROM projection.stream_positions), (SELECT count(*) FROM supervision.alerts)")
    v = psql_value(db, sql)
    return tuple(v.split("\t")) if v else None


def heads_reached(db, heads, work_name):
    """Like chancery demo's CatchUp: every answered head projected, every watched stream supervised, every card projected."""
    if not heads:
        return True
    path = os.path.join(CFG.work, f"heads-{work_name}.tsv")
    with open(path, "w") as f:
        for s, q in heads.items():
            f.write(f"{s}\t{q}\n")
    sql = f"""
CREATE TEMP TABLE h (stream text, sequence bigint);
\\copy h FROM '{path}'
SELECT (SELECT count(*) FROM h) - (SELECT count(*) FROM h JOIN approval.stream_heads s ON s.stream = h.stream AND s.sequence >= h.sequence),
       (SELECT (SELECT count(red_alert_id) + count(yellow_alert_id) + coalesce(sum(cardinality(step_alert_ids)), 0) FROM supervision.case_clocks)
             + (SELECT count(red_alert_id) + count(yellow_alert_id) FROM supervision.reply_clocks)
             - (SELECT count(*) FROM supervision.alerts WHERE alert_type IN ('DeadlineBreached', 'DeadlineWarningRaised')));
"""
    r = subprocess.run(["psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-F", "\t", db_url(db)],
                       input=sql, capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        return False
    line = r.stdout.strip().splitlines()[-1] if r.stdout.strip() else ""
    try:
        missing, cards = (int(x) for x in line.split("\t"))
    except ValueError:
        return False
    return missing == 0 and cards <= 0


def wait_caught_up(db, heads, name, target_events=None):
    """Waits until the answered heads are projected (and, for a replay, audit.events holds target_events);
    gives up when nothing has moved for the stable window. Returns (seconds, how)."""
    t = time.monotonic()
    deadline = t + CFG.catchup_timeout
    last, last_change = None, time.monotonic()
    while time.monotonic() < deadline:
        probe = catchup_probe(db)
        if probe != last:
            last, last_change = probe, time.monotonic()
        count_ok = target_events is None or (probe is not None and int(probe[0]) >= target_events)
        if count_ok and heads_reached(db, heads, name):
            # One more look a moment later so alerts raised by the last events are in.
            time.sleep(1.0)
            if catchup_probe(db) == probe:
                return time.monotonic() - t, "caught up"
            continue
        if time.monotonic() - last_change > CFG.stable_window and probe is not None:
            return time.monotonic() - t, f"stalled (nothing moved for {CFG.stable_window:.0f} s)"
        time.sleep(1.0)
    return time.monotonic() - t, f"timed out after {CFG.catchup_timeout:.0f} s"


# --------------------------------------------------------------------------------------------------
# Checks

def check_events(stats):
    """Lost: acknowledged but not in audit.events. Duplicated: the same source+id more than once, or the
    same event content under two positions of a stream."""
    path = os.path.join(CFG.work, "acked.tsv")
    with open(path, "w") as f:
        for (source, eid) in stats.acked:
            f.write(f"{source}\t{eid}\n")
    sql = f"""
CREATE TEMP TABLE acked (source text, id text);
\\copy acked FROM '{path}'
SELECT 'lost', count(*) FROM acked a WHERE NOT EXISTS (SELECT 1 FROM audit.events e WHERE e.source = a.source AND e.id = a.id);
SELECT 'duplicated_ids', coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM audit.events GROUP BY source, id HAVING count(*) > 1) d;
SELECT 'duplicated_content', coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM audit.events GROUP BY subject, content_digest HAVING count(*) > 1) d;
SELECT 'gaps', count(*) FROM (SELECT subject FROM audit.events GROUP BY subject HAVING max(sequence) <> count(*)) g;
SELECT 'chain_breaks', count(*) FROM (SELECT prevhash, lag(hash) OVER (PARTITION BY subject ORDER BY sequence) AS prev, sequence FROM audit.events) c
  WHERE c.sequence > 1 AND c.prev IS NOT NULL AND c.prevhash <> c.prev;
SELECT 'events', count(*) FROM audit.events;
SELECT 'unacked_in_log', count(*) FROM audit.events e WHERE NOT EXISTS (SELECT 1 FROM acked a WHERE a.source = e.source AND a.id = e.id);
SELECT 'lost_sample', a.source || ' ' || a.id FROM acked a WHERE NOT EXISTS (SELECT 1 FROM audit.events e WHERE e.source = a.source AND e.id = a.id) LIMIT 5;
"""
    r = subprocess.run(["psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-F", "\t", db_url(CFG.db)],
                       input=sql, capture_output=True, text=True, timeout=600)
    if r.returncode != 0:
        raise RuntimeError(f"checking audit.events failed: {r.stderr[:500]}")
    out = collections.defaultdict(list)
    for line in r.stdout.splitlines():
        if "\t" in line:
            k, v = line.split("\t", 1)
            out[k].append(v)
    res = {k: int(out[k][0]) for k in ("lost", "duplicated_ids", "duplicated_content", "gaps", "chain_breaks", "events", "unacked_in_log")}
    res["lost_sample"] = out.get("lost_sample", [])
    return res


def table_has(db, schema, table):
    return psql_value(db, f"SELECT 1 FROM information_schema.tables WHERE table_schema = '{schema}' AND table_name = '{table}'") == "1"


SKIP_SCHEMAS = ("pg_catalog", "information_schema", "projection", "auth", "pg_toast")
# Operational tables, not derived from the log: the journal itself, refusals, retries, and the signed checkpoints
# (made every N events or T seconds of wall time, so their sizes differ between two runs; the tree they sign is compared).
SKIP_TABLES = {"audit.journal", "audit.quarantine", "audit.deadletter_retries", "audit.checkpoints", "audit.checkpoint_keys"}
# Columns that are not derived from the log: database time (now()) and the position in one broker's log.
VOLATILE_COLUMNS = {"audit.events.offset", "approval.stream_heads.updated_at"}


def read_model_tables(db):
    out = psql(db, "SELECT table_schema || '.' || table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' "
                   f"AND table_schema NOT IN ({', '.join(repr(s) for s in SKIP_SCHEMAS)}) AND table_schema NOT LIKE 'pg_temp%' "
                   "ORDER BY 1")
    return [t for t in out.split() if t not in SKIP_TABLES and not t.startswith("public.")]


def table_columns(db, qualified):
    schema, table = qualified.split(".", 1)
    out = psql(db, "SELECT column_name, coalesce(column_default, '') FROM information_schema.columns "
                   f"WHERE table_schema = '{schema}' AND table_name = '{table}' ORDER BY ordinal_position")
    cols, skipped = [], []
    for line in out.splitlines():
        name, default = (line.split("\t") + [""])[:2]
        full = f"{qualified}.{name}"
        if full in VOLATILE_COLUMNS or full in CFG.exclude_columns or "now()" in default or "clock_timestamp" in default:
            skipped.append(name)
        else:
            cols.append(name)
    return cols, skipped


def row_digests_sql(qualified, cols):
    exprs = ", ".join(f'x."{c}"' for c in cols)
    return f"SELECT md5(ROW({exprs})::text) AS d FROM {qualified} x"


def table_checksum(db, qualified, cols):
    sql = f"SELECT count(*), md5(coalesce(string_agg(d, '' ORDER BY d), '')) FROM ({row_digests_sql(qualified, cols)}) r"
    out = psql(db, sql, timeout=600).strip()
    n, digest = out.split("\t")
    return int(n), digest


def row_digest_set(db, qualified, cols):
    return collections.Counter(psql(db, row_digests_sql(qualified, cols), timeout=600).split())


def compare(db_a, db_b):
    tables = read_model_tables(db_a)
    tables_b = set(read_model_tables(db_b))
    results = []
    for t in tables:
        cols, skipped = table_columns(db_a, t)
        if t not in tables_b:
            results.append({"table": t, "rows_a": None, "rows_b": None, "same": False, "note": "missing in the replay"})
            continue
        cols_b, _ = table_columns(db_b, t)
        if cols_b != cols:
            results.append({"table": t, "same": False, "note": "columns differ", "rows_a": None, "rows_b": None})
            continue
        na, da = table_checksum(db_a, t, cols)
        nb, dbb = table_checksum(db_b, t, cols)
        r = {"table": t, "rows_a": na, "rows_b": nb, "same": (na, da) == (nb, dbb), "skipped": skipped, "note": ""}
        if not r["same"]:
            a, b = row_digest_set(db_a, t, cols), row_digest_set(db_b, t, cols)
            r["note"] = f"{sum((a - b).values())} rows only in the chaos run, {sum((b - a).values())} only in the replay"
        results.append(r)
    return results


# --------------------------------------------------------------------------------------------------
# The replay

def replay(events, stats):
    """Replays the chaos run's log into a fresh database with a second server. Returns (how, server times)."""
    psql("postgres", f'DROP DATABASE IF EXISTS "{CFG.replay_db}"')
    psql("postgres", f'CREATE DATABASE "{CFG.replay_db}"')
    r = subprocess.run([CFG.bin, "migrate", "--database-url", db_url(CFG.replay_db)], capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        raise RuntimeError(f"chancery migrate failed: {r.stderr[-500:]}")
    # The replay reconstructs the log it is given and appends nothing of its own: its checkpoints are not published as
    # CheckpointSigned events (they would be events the chaos run's log does not hold).
    server = Server("replay", CFG.replay_db, CFG.replay_http_port, extra_args=["--checkpoint-region", "none"])
    target = int(psql_value(CFG.db, "SELECT count(*) FROM audit.events", "0"))
    journal_rows = int(psql_value(CFG.db, "SELECT count(*) FROM audit.journal", "0")) if table_has(CFG.db, "audit", "journal") else 0
    if journal_rows > 0:
        how = "audit.journal copied with pg_dump --data-only into a fresh database, replayed by a second server"
        dump = subprocess.Popen(["pg_dump", "--data-only", "-t", "audit.journal", db_url(CFG.db)], stdout=subprocess.PIPE)
        load = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", db_url(CFG.replay_db)], stdin=dump.stdout,
                              capture_output=True, text=True, timeout=900)
        dump.stdout.close()
        if dump.wait(timeout=900) != 0 or load.returncode != 0:
            raise RuntimeError(f"copying audit.journal failed: {load.stderr[-500:]}")
        log(f"audit.journal copied: {psql_value(CFG.replay_db, 'SELECT count(*) FROM audit.journal')} rows")
        t = time.monotonic()
        server.start()
        secs = server.ensure_up(stats, time.monotonic() + 600)
        log(f"replay server healthy after {secs:.1f} s; waiting for {target} events in audit.events")
        took, state = wait_caught_up(CFG.replay_db, stats.heads, "replay", target_events=target)
    else:
        # No journal in this binary: the best stand-in for "the same log" is to send, in the scenario's order,
        # exactly the events the chaos run's audit.events holds, to a clean server with no faults.
        how = ("no audit.journal (or an empty one): the events of the chaos run's audit.events re-sent in order "
               "to a clean server (no faults)")
        ids = set()
        for line in psql(CFG.db, "SELECT source || E'\\t' || id FROM audit.events").splitlines():
            s, i = line.split("\t", 1)
            ids.add((s, i))
        subset = [e for e in events if (e[0], e[1]) in ids]
        log(f"replay: sending {len(subset)} events to a clean server")
        t = time.monotonic()
        server.start()
        secs = server.ensure_up(stats, time.monotonic() + 600)
        rstats = Stats()
        load = Load.__new__(Load)
        load.events, load.server, load.stats, load.deadline = subset, server, rstats, time.monotonic() + 1800
        load.timer, load.timer_fired, load.plan = None, threading.Event(), collections.deque()
        for bi in range(0, len(subset), CFG.batch):
            load.send(subset[bi:bi + CFG.batch], bi // CFG.batch)
        took, state = wait_caught_up(CFG.replay_db, rstats.heads, "replay", target_events=len(rstats.acked))
    log(f"replay {state} in {took:.1f} s")
    server.stop()
    return how, state, time.monotonic() - t


# --------------------------------------------------------------------------------------------------
# Report

def fmt_secs(xs):
    if not xs:
        return "n/a"
    if len(xs) == 1:
        return f"{xs[0]:.1f} s"
    return f"median {statistics.median(xs):.1f} s, max {max(xs):.1f} s (n={len(xs)})"


def print_table(rows):
    w = max(len(k) for k, _ in rows)
    v = max(len(str(x)) for _, x in rows)
    print()
    print(f"| {'measure'.ljust(w)} | {'value'.ljust(v)} |")
    print(f"| {'-' * w} | {'-' * v} |")
    for k, x in rows:
        print(f"| {k.ljust(w)} | {str(x).ljust(v)} |")
    print()


def main():
    global CFG
    CFG = parse_args()
    deadline = time.monotonic() + env_float("CHAOS_LOAD_TIMEOUT", 150.0 if CFG.short else 3600.0)
    log(f"mode {'short' if CFG.short else 'full'}; binary {CFG.bin}; PostgreSQL 127.0.0.1:{CFG.pg_port}; "
        f"HTTP 127.0.0.1:{CFG.http_port}; seed {CFG.seed}")
    events = load_events()
    stats = Stats()
    server = Server("chaos", CFG.db, CFG.http_port)
    rc = 1
    try:
        server.start()
        secs = server.ensure_up(stats, time.monotonic() + 300)
        log(f"server healthy after {secs:.1f} s")
        t_load = time.monotonic()
        Load(events, server, stats, deadline).run()
        load_secs = time.monotonic() - t_load
        log(f"load done in {load_secs:.0f} s: {len(stats.acked)} acknowledged, {len(stats.kills)} kills; waiting for the read models")
        # Recovery to caught up, measured once more cleanly: kill after the load, restart, wait.
        last_restart = server.started_at
        caught_secs, state = wait_caught_up(CFG.db, stats.heads, "chaos")
        since_restart = time.monotonic() - last_restart
        log(f"read models {state} ({caught_secs:.1f} s after the load; {since_restart:.1f} s after the last restart)")
        server.stop()
        checks = check_events(stats)
        log(f"audit.events: {checks}")
        how, rstate, rsecs = replay(events, stats)
        diffs = compare(CFG.db, CFG.replay_db)
        differing = [d for d in diffs if not d["same"]]
        for d in diffs:
            mark = "same" if d["same"] else "DIFFERS"
            extra = f"; {d['note']}" if d.get("note") else ""
            skipped = f" (without {', '.join(d['skipped'])})" if d.get("skipped") else ""
            log(f"  {d['table']}{skipped}: {d['rows_a']} / {d['rows_b']} rows: {mark}{extra}")

        outage = stats.pg_outage
        outage_warning = None
        if outage:
            oc = stats.outage_counts
            answers = ", ".join(f"{k} {v}×" for k, v in sorted(oc.items(), key=lambda kv: str(kv[0])))
            outage_txt = f"1 × {outage['seconds']:.0f} s; appends answered: {answers or 'none sent'}"
            unclear = {k: v for k, v in oc.items() if k not in (503, 200, 201)}
            if unclear:
                outage_warning = (f"while PostgreSQL was down, appends were answered {unclear} instead of 503 "
                                  "(retried by the harness; nothing acknowledged)")
        else:
            outage_txt = "none"
        if stats.broker_fault:
            bc = stats.broker_counts
            answers = ", ".join(f"{k} {v}×" for k, v in sorted(bc.items(), key=lambda kv: str(kv[0])))
            broker_txt = (f"request errors on Produce, AddPartitionsToTxn, AddOffsetsToTxn, EndTxn, TxnOffsetCommit; down "
                          f"{stats.broker_fault['seconds']:.0f} s; appends answered: {answers or 'none sent'}")
        else:
            broker_txt = "none"
        rows = [
            ("faults: SIGKILL of the server at random instants", f"{len(stats.kills)}"),
            ("faults: PostgreSQL stopped during the load", outage_txt),
            ("faults: broker (embedded, POST /v1/admin/faults)", broker_txt),
            ("server exits not caused by the harness", f"{server.unexpected_exits}"),
            ("events sent (scenario)", f"{len(events)}"),
            ("events acknowledged (2xx)", f"{len(stats.acked)}"),
            ("events refused (4xx), by problem", ", ".join(f"{k} {v}" for k, v in stats.rejected.most_common()) or "0"),
            ("lost (acknowledged, not in audit.events)", f"{checks['lost']}"),
            ("duplicated (same source+id or same content twice)", f"{checks['duplicated_ids'] + checks['duplicated_content']}"),
            ("streams with sequence gaps / hash-chain breaks", f"{checks['gaps']} / {checks['chain_breaks']}"),
            ("read-model tables differing from the replay", f"{len(differing)} of {len(diffs)}" + (f": {', '.join(d['table'] for d in differing)}" if differing else "")),
            ("recovery: restart → /health 200", fmt_secs(stats.health_after_restart)),
            ("recovery: last restart → read models caught up", f"{since_restart:.1f} s ({state})"),
            ("load duration", f"{load_secs:.0f} s"),
            ("replay", f"{rstate} in {rsecs:.0f} s"),
        ]
        log(f"replay method: {how}")
        if checks["lost_sample"]:
            log("lost, e.g.: " + "; ".join(checks["lost_sample"]))
        for ex in stats.rejected_examples[:5]:
            log(f"refused, e.g. {ex}")
        print_table(rows)
        if outage_warning:
            print(f"chaos: warning: {outage_warning}")
        bad = checks["lost"] or checks["duplicated_ids"] or checks["duplicated_content"] or differing
        if bad:
            print("chaos: FAILED (lost, duplicated or differing is not 0)")
            rc = 1
        else:
            print("chaos: passed")
            rc = 0
    finally:
        for s in ALL_SERVERS:
            if s.alive():
                s.kill()
    return rc


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(143))
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
