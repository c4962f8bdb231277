#!/usr/bin/env python3
"""Tests of the benchmark's own logic (bench/compare.py, bench/benchlib.py) that decides what a
results table says: the steal figures, the first run after start and the PostgreSQL pinning.
Run by ctest (bench_scripts)."""
import contextlib
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import types
import unittest
from unittest import mock

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "bench"))
import benchlib as bl  # noqa: E402
import compare  # noqa: E402

STAT = """cpu  10 0 10 100 0 0 0 {total} 0 0
cpu0 5 0 5 50 0 0 0 {cpu0} 0 0
cpu1 5 0 5 50 0 0 0 {cpu1} 0 0
intr 1
"""


def write_stat(path, cpu0, cpu1):
    with open(path, "w") as f:
        f.write(STAT.format(total=cpu0 + cpu1, cpu0=cpu0, cpu1=cpu1))


@contextlib.contextmanager
def local_http_server():
    """A real HTTP server on a free loopback port for wrk to load; yields its base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             http.server.SimpleHTTPRequestHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class StealTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.stat = os.path.join(self.dir.name, "stat")
        self.tck = os.sysconf("SC_CLK_TCK")

    def tearDown(self):
        self.dir.cleanup()

    def test_reports_the_named_cpus_stolen_ticks_as_a_share_of_the_elapsed_time(self):
        write_stat(self.stat, cpu0=1000, cpu1=7)
        with mock.patch.object(bl.time, "monotonic", side_effect=[100.0, 102.0]):
            steal = bl.Steal(0, stat=self.stat)
            # Half a second of two stolen on cpu0; cpu1's and the total's lines are not read.
            write_stat(self.stat, cpu0=1000 + self.tck // 2, cpu1=7 + 10 * self.tck)
            self.assertAlmostEqual(steal.pct(), 25.0, delta=100.0 / self.tck)

    def test_reports_zero_when_nothing_was_stolen(self):
        write_stat(self.stat, cpu0=40, cpu1=40)
        with mock.patch.object(bl.time, "monotonic", side_effect=[5.0, 6.0]):
            steal = bl.Steal(1, stat=self.stat)
            self.assertEqual(steal.pct(), 0.0)

    def test_reads_the_real_proc_stat(self):
        steal = bl.Steal(0)
        time.sleep(0.05)
        self.assertGreaterEqual(steal.pct(), 0.0)
        self.assertLessEqual(steal.pct(), 100.0)


class WrkStealTest(unittest.TestCase):
    def test_a_wrk_run_reports_steal_only_for_the_cpu_it_is_asked_about(self):
        if not shutil.which("wrk"):
            self.skipTest("wrk is not installed")
        with local_http_server() as base:
            with_steal = bl.wrk(base + "/", "1s", 1, steal_cpu=0)
            self.assertGreater(with_steal["requests"], 0)
            self.assertGreaterEqual(with_steal["steal_pct"], 0.0)
            self.assertLessEqual(with_steal["steal_pct"], 100.0)
            self.assertNotIn("steal_pct", bl.wrk(base + "/", "1s", 1))


class FirstRunTest(unittest.TestCase):
    def test_keeps_the_first_run_after_start_apart_from_the_medians_under_the_servers_name(self):
        if not shutil.which("wrk"):
            self.skipTest("wrk is not installed")
        bench = compare.Bench(types.SimpleNamespace(duration="1s"))
        try:
            with local_http_server() as base:
                bench.first_run(types.SimpleNamespace(name="peer", base=base), "/")
            first = bench.facts["cc_first_run"]["peer"]
            self.assertGreater(first["rps"], 0)
            self.assertEqual(first["errors"], 0)
            self.assertEqual(set(first), {"rps", "p50_ms", "p99_ms", "errors", "steal_pct"})
            self.assertEqual(bench.rows, [])  # not a point: the medians never see it
        finally:
            shutil.rmtree(bench.work, ignore_errors=True)


class StealSummaryTest(unittest.TestCase):
    @staticmethod
    def bench(rows, alternate=(), run=None):
        facts = {} if run is None else {"steal_pct_run": run}
        return types.SimpleNamespace(rows=list(rows), alternate_rows=list(alternate), facts=facts)

    def test_names_each_point_with_five_percent_or_more_once(self):
        rows = [{"scenario": "discovery", "server": "idm", "conns": 16, "steal_pct": 4.9},
                {"scenario": "client_credentials ES256", "server": "peer", "conns": 16,
                 "steal_pct": 12.0}]
        alternate = [{"scenario": "client_credentials ES256", "server": "peer", "conns": 16,
                      "steal_pct": 5.0}]
        text = compare.steal_summary(self.bench(rows, alternate, run=3.25))
        self.assertIn("3.2 % over the run", text)
        self.assertIn("during 1 point(s): client_credentials ES256 (peer, c=16).", text)
        self.assertNotIn("discovery", text)

    def test_names_at_most_six_points_and_counts_the_rest(self):
        rows = [{"scenario": f"point {i}", "server": "idm", "conns": 16, "steal_pct": 30.0}
                for i in range(9)]
        text = compare.steal_summary(self.bench(rows, run=20.0))
        self.assertIn("during 9 point(s): point 0 (idm, c=16)", text)
        self.assertIn("point 5 (idm, c=16) and 3 more", text)
        self.assertNotIn("point 6", text)

    def test_says_when_the_run_was_not_measured_and_names_no_point_without_steal(self):
        text = compare.steal_summary(self.bench([{"scenario": "jwks", "server": "idm",
                                                  "conns": 16}]))
        self.assertIn("not measured", text)
        self.assertNotIn("point(s)", text)


class PinPostgresTest(unittest.TestCase):
    def test_pins_the_postmaster_and_its_children_to_the_server_cpu(self):
        if compare.SERVER_CPU not in os.sched_getaffinity(0) or len(os.sched_getaffinity(0)) < 2:
            self.skipTest("needs the server CPU and another one")
        # A stand-in postmaster with one forked child, both free to run anywhere.
        parent = subprocess.Popen(["bash", "-c", "sleep 30 & wait"])
        try:
            for _ in range(100):
                children = subprocess.run(["pgrep", "-P", str(parent.pid)], capture_output=True,
                                          text=True).stdout.split()
                if children:
                    break
                time.sleep(0.02)
            self.assertTrue(children)
            with tempfile.TemporaryDirectory() as pg_dir:
                os.mkdir(os.path.join(pg_dir, "data"))
                with open(os.path.join(pg_dir, "data", "postmaster.pid"), "w") as f:
                    f.write(f"{parent.pid}\n/var/lib/postgresql/data\n")
                self.assertTrue(compare.pin_postgres(pg_dir))
            for pid in [parent.pid] + [int(c) for c in children]:
                self.assertEqual(os.sched_getaffinity(pid), {compare.SERVER_CPU}, pid)
        finally:
            subprocess.run(["pkill", "-P", str(parent.pid)])
            parent.kill()
            parent.wait()


if __name__ == "__main__":
    unittest.main()
