#!/usr/bin/env python3
"""idm beside node-oidc-provider and the bare-stack ceilings, per core (issue: benchmarks side by
side with a certified peer). bench/compare.sh builds everything and runs this; bench/README.md
says how to reproduce each figure.

Every server runs pinned to CPU 0 (taskset), wrk and this script to CPU 1, so numbers read "per
core"; so does the PostgreSQL cluster of the admin scenarios on PostgreSQL, beside idm
(--pg-dir). Each throughput point is the median of --reps wrk runs of --duration; beside it
p50/p99 latency, errors (socket errors + non-2xx), the server's CPU seconds during the run, and
the share of the server CPU's time the hypervisor gave to others (steal, /proc/stat).

Servers: idm (SQLite; admin scenarios also on PostgreSQL with --pg), the peer (bench/peer:
node-oidc-provider), the ceiling (bench/ceiling: bare cpp-httplib + OpenSSL signing the same
ES256 JWT, and a server of precomputed bytes for discovery/JWKS) and the Argon2id ceiling.

Writes bench/results/<stamp>.md and .json and prints the Markdown.
"""
import argparse
import datetime
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib as bl  # noqa: E402

ROOT = os.path.dirname(bl.HERE)
SERVER_CPU, LOAD_CPU = 0, 1
SECRET = "bench-client-secret-0123456789-abcdefghijkl"
CLK_TCK = os.sysconf("SC_CLK_TCK")


# haproxy in front of idm (docs/design/022-connections.md): one thread (the pair shares one core),
# client connections multiplexed onto `upstream` server-side keep-alive connections; requests
# beyond that wait in haproxy's queue instead of holding an idm thread per idle client. haproxy
# reserves two descriptors per connection (client and server side) and refuses to start when the
# hard RLIMIT_NOFILE (20,000 on the reference machine, not raisable in its container) is below
# that; `no strict-limits` lets it run, since only 16 server-side connections ever exist.
HAPROXY_CFG = """global
    maxconn 10200
    ulimit-n 20000
    no strict-limits
    nbthread 1
defaults
    mode http
    option http-keep-alive
    option forwardfor
    http-reuse always
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    timeout queue 60s
    timeout http-keep-alive 60s
frontend clients
    bind 127.0.0.1:{port}
    maxconn 10200
    default_backend idm
backend idm
    server idm 127.0.0.1:{idm_port} maxconn {upstream}
"""


def free_port():
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Server:
    """A server process pinned to SERVER_CPU, with its start-up time, CPU time and memory."""

    def __init__(self, name, cmd, env, port, ready_path, log_dir, cwd=None):
        self.name, self.port = name, port
        self.base = f"http://127.0.0.1:{port}"
        self.log = open(os.path.join(log_dir, f"{name}.log"), "ab")
        start = time.perf_counter()
        self.proc = subprocess.Popen(["taskset", "-c", str(SERVER_CPU)] + cmd, cwd=cwd,
                                     env={**os.environ, **env}, stdout=self.log,
                                     stderr=subprocess.STDOUT, preexec_fn=bl.raise_nofile)
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{name} exited at start; see {self.log.name}")
            try:
                status, _, _ = bl.Conn(self.base).send("GET", ready_path)
                if status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.002)
        self.ready_ms = (time.perf_counter() - start) * 1000
        time.sleep(1)
        self.idle_rss_kib = self.status("VmRSS")

    def status(self, field):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
        return 0

    def cpu_seconds(self):
        with open(f"/proc/{self.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime + stime

    def stop(self):
        self.peak_rss_kib = self.status("VmHWM")
        self.proc.send_signal(signal.SIGCONT)  # in case interleaved() left it stopped
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


class Bench:
    def __init__(self, args):
        self.args = args
        self.work = tempfile.mkdtemp(prefix="idm-compare.")
        os.chmod(self.work, 0o755)
        self.rows = []       # throughput rows: scenario, server, conns, numbers
        self.facts = {}      # single numbers: start-up, RSS, login, argon2, soak
        self.servers = []
        self.conn_rows = []  # connection-heavy points (idm-bench-fairness)
        self.alternate_rows = []  # headline points measured rep by rep (interleaved())

    # -- servers -------------------------------------------------------------------------------
    def start_idm(self, name, db_url=None, data=None, bootstrap=True):
        data = data or os.path.join(self.work, name)
        os.makedirs(data, exist_ok=True)
        port = free_port()
        env = {"IDM_DATA_DIR": data, "IDM_LISTEN": f"127.0.0.1:{port}", "IDM_LOG_LEVEL": "warn",
               "IDM_TRUSTED_PROXIES": "127.0.0.1",
               "IDM_KEK": self.kek}
        if db_url:
            env["IDM_DB"] = db_url
        if bootstrap:
            env.update({"IDM_BOOTSTRAP_ADMIN_PASSWORD": "bench admin password",
                        "IDM_BOOTSTRAP_ADMIN_CLIENT_ID": "bench",
                        "IDM_BOOTSTRAP_ADMIN_CLIENT_SECRET": SECRET})
        s = Server(name, [self.args.idm, "serve"], env, port, "/health/ready", self.work)
        self.servers.append(s)
        return s

    def start_peer(self):
        port = free_port()
        s = Server("peer", ["node", "provider.mjs"], {"PORT": str(port), "BENCH_SECRET": SECRET},
                   port, "/.well-known/openid-configuration", self.work,
                   cwd=os.path.join(bl.HERE, "peer"))
        self.servers.append(s)
        return s

    def start_ceiling(self, body_file):
        port = free_port()
        s = Server("ceiling", [self.args.ceiling, "serve", "--port", str(port), "--threads",
                               str(self.args.ceiling_threads), "--body-file", body_file],
                   {"CEILING_SECRET": SECRET}, port, "/hello", self.work)
        self.servers.append(s)
        return s

    def start_haproxy(self, idm):
        """haproxy in front of idm (docs/design/022): many client connections multiplexed onto at
        most --proxy-upstream keep-alive connections to idm. Pinned to the server's CPU, so the
        pair is measured on one core."""
        port = free_port()
        cfg = os.path.join(self.work, "haproxy.cfg")
        with open(cfg, "w") as f:
            f.write(HAPROXY_CFG.format(port=port, idm_port=idm.port,
                                       upstream=self.args.proxy_upstream))
        s = Server("haproxy", ["haproxy", "-db", "-f", cfg], {}, port, "/health/ready", self.work)
        self.servers.append(s)
        return s

    def connections(self, label, server, path, conns, body, auth, rate=0):
        """The connection-heavy point: idm-bench-fairness (per-connection answered counts);
        rate 0 = every connection a closed loop, else that many requests/s offered in total."""
        out = subprocess.run(
            ["taskset", "-c", str(LOAD_CPU), self.args.fairness, "--url", server.base + path,
             "--connections", str(conns), "--duration", str(self.args.conn_seconds),
             "--ramp", "3", "--rate", str(rate), "--method", "POST", "--body", body,
             "--header", "Authorization: " + auth],
            capture_output=True, text=True, check=True, preexec_fn=bl.raise_nofile)
        r = json.loads(out.stdout)
        r.update({"label": label, "server": server.name, "rate": rate})
        self.conn_rows.append(r)
        pc = r["per_connection"]
        print(f"  connections {label:<22} c={conns:<6} rate={rate or 'closed':<7} "
              f"{r['rps']:>9,.0f} rps  p99 "
              f"{r['p99_ms']:.1f} ms  max {r['max_ms']:.0f} ms  errors "
              f"{r['non2xx'] + r['connect_errors'] + r['io_errors']}  starved {pc['starved']}  "
              f"per-connection min/median/max {pc['min']:.0f}/{pc['median']:.0f}/{pc['max']:.0f}",
              flush=True)
        return r

    def stop(self, server):
        server.stop()
        self.servers.remove(server)

    # -- measuring -----------------------------------------------------------------------------
    def point(self, scenario, server, path, conns=16, **wrk_args):
        """Median of reps wrk runs against server; records and returns the row."""
        runs = []
        fresh_env = wrk_args.pop("fresh_env", None)
        for _ in range(self.args.reps):
            if fresh_env:  # state a run uses up (refresh-token chains) is made anew for each run
                wrk_args["env"] = fresh_env()
            before = server.cpu_seconds()
            r = bl.wrk(server.base + path, self.args.duration, conns, cpu=LOAD_CPU,
                       steal_cpu=SERVER_CPU, **wrk_args)
            r["cpu_s"] = server.cpu_seconds() - before
            runs.append(r)
        runs.sort(key=lambda r: r["rps"])
        row = dict(runs[len(runs) // 2])
        row.update({"scenario": scenario, "server": server.name, "conns": conns,
                    "reps": len(runs), "rps_all": [r["rps"] for r in runs],
                    "errors": sum(r["errors"] for r in runs),
                    "steal_pct": max(r["steal_pct"] for r in runs)})
        self.rows.append(row)
        print(f"  {scenario:<28} {server.name:<12} c={conns:<6} {row['rps']:>10,.0f} rps  "
              f"p99 {row['p99_ms'] or 0:.2f} ms  errors {row['errors']}", flush=True)
        return row

    def first_run(self, server, path, **wrk_args):
        """One wrk run of client credentials ES256 as the first load a fresh server sees, kept
        apart from the medians: Node.js compiles the peer's hot code while it serves (its first
        5 s read 1,400-1,600 requests/s on the reference VM, its later runs 1,700-2,700), so
        this is the figure a single run on a just-started peer gives."""
        r = bl.wrk(server.base + path, self.args.duration, 16, cpu=LOAD_CPU,
                   steal_cpu=SERVER_CPU, **wrk_args)
        self.facts.setdefault("cc_first_run", {})[server.name] = {
            k: r[k] for k in ("rps", "p50_ms", "p99_ms", "errors", "steal_pct")}
        print(f"  client_credentials ES256, first run after start  {server.name:<6} "
              f"{r['rps']:>10,.0f} rps", flush=True)

    def logins(self, fn, count, server=None):
        """count sequential logins: wall time per round trip as the client sees it and, with
        server, the server's CPU time per login."""
        times = []
        before = server.cpu_seconds() if server else 0
        handled_before = handling_seconds(server) if server else 0
        if isinstance(fn, NativeLogins):
            times = fn.batch(count)
        else:
            for _ in range(count):
                start = time.perf_counter()
                fn()
                times.append((time.perf_counter() - start) * 1000)
        times.sort()
        out = {"mean_ms": statistics.mean(times), "p50_ms": times[len(times) // 2],
               "p99_ms": times[min(len(times) - 1, int(len(times) * 0.99))], "count": count,
               "times_ms": times}
        if server:
            out["server_cpu_ms"] = (server.cpu_seconds() - before) * 1000 / count
            # The four requests' handling time as idm's own metrics see it (request read to
            # response written): the round trip without the client's side of it.
            out["server_handling_ms"] = (handling_seconds(server) - handled_before) * 1000 / count
        return out

    def argon2_alone(self, count):
        """Mean ms of one Argon2id verification at idm's default parameters, alone, on the
        server's CPU (the login's ceiling), over count hashes."""
        out = subprocess.run(["taskset", "-c", str(SERVER_CPU), self.args.ceiling, "argon2",
                              "--memory-kib", "19456", "--iterations", "2", "--parallelism", "1",
                              "--count", str(count)], capture_output=True, text=True,
                             check=True)
        return float(out.stdout.strip())

    def logins_against_hash(self, fn, server):
        """--logins logins and as many hashes alone, in --reps alternating blocks (hashes, then
        logins): this VM's speed drifts by up to 40 % between minutes, and one block of hashes
        timed before all the logins once read 49 ms against logins of 41 ms. Returns the hash's
        mean, the logins (logins()'s numbers over every block) and the median of the blocks'
        hash ÷ login ratios, for the round trip and for idm's own handling time."""
        blocks = max(1, self.args.reps)
        per = max(1, self.args.logins // blocks)
        hashes, runs, stolen = [], [], []
        for _ in range(blocks):
            steal = bl.Steal(SERVER_CPU)
            hashes.append(self.argon2_alone(per))
            runs.append(self.logins(fn, per, server))
            stolen.append(steal.pct())
        times = sorted(t for r in runs for t in r["times_ms"])
        n = len(times)
        login = {"mean_ms": statistics.mean(times), "p50_ms": times[n // 2],
                 "p99_ms": times[min(n - 1, int(n * 0.99))], "count": n, "times_ms": times,
                 "server_cpu_ms": statistics.mean(r["server_cpu_ms"] for r in runs),
                 "server_handling_ms": statistics.mean(r["server_handling_ms"] for r in runs)}
        ratio = statistics.median(h / r["mean_ms"] for h, r in zip(hashes, runs))
        handled = statistics.median(h / r["server_handling_ms"] for h, r in zip(hashes, runs))
        return {"hash_ms": statistics.mean(hashes), "hash_blocks_ms": hashes, "login": login,
                "blocks": blocks, "ratio": ratio, "handling_ratio": handled,
                "steal_pct_blocks": stolen}

    # -- idm provisioning ----------------------------------------------------------------------
    def provision_idm(self, idm):
        token = bl.admin_token(idm.base, "bench", SECRET)
        c = bl.Conn(idm.base)
        creds = {}
        for realm, alg in (("bench", "ES256"), ("bench-rs", "RS256"), ("bench-ed", "EdDSA")):
            bl.admin(c, token, "POST", "/realms",
                     {"name": realm, "settings": {"default_signing_alg": alg}})
            svc = bl.admin(c, token, "POST", f"/realms/{realm}/clients",
                           {"client_id": "svc", "grant_types": ["client_credentials"]})
            creds[alg] = bl.basic("svc", svc["client_secret"])
            # The first use of a realm's keys loads them: start-up cost, not throughput.
            bl.Conn(idm.base).json("POST", f"/realms/{realm}/protocol/openid-connect/token",
                                   {"grant_type": "client_credentials"},
                                   {"Authorization": creds[alg]})
        bl.admin(c, token, "POST", "/realms/bench/users",
                 {"username": "alice", "password": bl.PASSWORD, "email": "alice@bench.test"})
        web = bl.admin(c, token, "POST", "/realms/bench/clients",
                       {"client_id": "web", "redirect_uris": [bl.REDIRECT],
                        "grant_types": ["authorization_code", "refresh_token"],
                        "scopes": ["openid", "profile", "email"], "consent_required": False})
        creds["web"] = bl.basic("web", web["client_secret"])
        creds["admin_token"] = token
        return creds

    # -- scenarios -----------------------------------------------------------------------------
    def run(self):
        a = self.args
        self.kek = subprocess.run(["openssl", "rand", "-hex", "32"], capture_output=True,
                                  text=True, check=True).stdout.strip()
        os.sched_setaffinity(0, {LOAD_CPU})
        self.run_steal = bl.Steal(SERVER_CPU)

        print("== idm (SQLite)", flush=True)
        idm = self.start_idm("idm")
        self.facts["idm_first_start_ready_ms"] = idm.ready_ms
        creds = self.provision_idm(idm)
        discovery_file = os.path.join(self.work, "discovery.json")
        with open(discovery_file, "w") as f:
            f.write(bl.Conn(idm.base).send("GET", "/realms/bench/.well-known/openid-configuration")[2])
        realm_path = "/realms/bench/protocol/openid-connect"
        self.first_run(idm, realm_path + "/token", script="post_form.lua",
                       env={"BODY": "grant_type=client_credentials",
                            "AUTHORIZATION": creds["ES256"]})
        self.point("discovery", idm, "/realms/bench/.well-known/openid-configuration")
        self.point("jwks", idm, realm_path + "/certs")
        for alg, realm in (("ES256", "bench"), ("RS256", "bench-rs"), ("EdDSA", "bench-ed")):
            self.point(f"client_credentials {alg}", idm,
                       f"/realms/{realm}/protocol/openid-connect/token", script="post_form.lua",
                       env={"BODY": "grant_type=client_credentials",
                            "AUTHORIZATION": creds[alg]})
        cc_token = bl.Conn(idm.base).json("POST", realm_path + "/token",
                                          {"grant_type": "client_credentials"},
                                          {"Authorization": creds["ES256"]})["access_token"]
        self.point("introspection (JWT)", idm, realm_path + "/token/introspect",
                   script="post_form.lua",
                   env={"BODY": "token=" + cc_token, "AUTHORIZATION": creds["ES256"]})
        login = bl.idm_login(idm.base, "bench", "web", creds["web"], scope="openid profile email")
        self.point("userinfo", idm, realm_path + "/userinfo",
                   headers=["Authorization: Bearer " + login["access_token"]])
        self.point("refresh_token (2 chains)", idm, realm_path + "/token", conns=2, threads=2,
                   script="refresh.lua", fresh_env=lambda: {
                       "BASIC": creds["web"].split(" ", 1)[1],
                       "RTS": ",".join(bl.idm_login(idm.base, "bench", "web",
                                                    creds["web"])["refresh_token"]
                                       for _ in range(2))})
        for conns in a.conns:
            if conns != 16:
                self.point("client_credentials ES256", idm, realm_path + "/token", conns=conns,
                           script="post_form.lua",
                           env={"BODY": "grant_type=client_credentials",
                                "AUTHORIZATION": creds["ES256"]})
        for conns in a.proxy_conns:
            for rate in (0, a.conn_rate):
                self.connections("idm", idm, realm_path + "/token", conns,
                                 "grant_type=client_credentials", creds["ES256"], rate)
        if a.proxy_conns:
            proxy = self.start_haproxy(idm)
            for conns in a.proxy_conns:
                for rate in (0, a.conn_rate):
                    self.connections("idm behind haproxy", proxy, realm_path + "/token", conns,
                                     "grant_type=client_credentials", creds["ES256"], rate)
            self.stop(proxy)
        python_login = lambda: bl.idm_login(idm.base, "bench", "web", creds["web"])  # noqa: E731
        # The hash ÷ round trip ratio with a compiled client when there is one: Python's
        # http.client adds about 5 ms of its own per login (docs/performance.md, 2026-12-03).
        native = os.access(a.login_tool, os.X_OK)
        paired = self.logins_against_hash(
            NativeLogins(a.login_tool, idm.base, creds["web"]) if native else python_login, idm)
        self.facts["argon2id_verify_ms"] = paired["hash_ms"]
        self.facts["idm_login_paired"] = paired["login"]
        self.facts["login_hash_pairing"] = {k: paired[k] for k in
                                            ("hash_blocks_ms", "blocks", "ratio", "handling_ratio",
                                             "steal_pct_blocks")}
        self.facts["login_hash_pairing"]["client"] = "idm-bench-login" if native else "Python"
        # Beside the peer's logins, both with the same Python client.
        self.facts["idm_login"] = self.logins(python_login, a.logins, idm)
        self.admin_scenarios(idm, "SQLite",
                             lambda: bl.idm_login(idm.base, "bench", "web", creds["web"]),
                             a.users)
        if a.soak > 0:
            self.soak(idm, realm_path + "/token", creds["ES256"])
        self.stop(idm)
        self.facts["idm_idle_rss_kib"] = idm.idle_rss_kib
        self.facts["idm_peak_rss_kib"] = idm.peak_rss_kib
        restarts = []
        for _ in range(3):
            again = self.start_idm("idm-restart", data=os.path.join(self.work, "idm"),
                                   bootstrap=False)
            restarts.append((again.ready_ms, again.idle_rss_kib))
            self.stop(again)
        restarts.sort()
        self.facts["idm_restart_ready_ms"], self.facts["idm_restart_idle_rss_kib"] = \
            restarts[len(restarts) // 2]

        if a.pg_url:
            print("== idm (PostgreSQL)", flush=True)
            self.facts["pg_pinned"] = pin_postgres(a.pg_dir) if a.pg_dir else False
            pg = self.start_idm("idm-pg", db_url=a.pg_url)
            pg_creds = self.provision_idm(pg)
            users = a.pg_users or a.users
            self.admin_scenarios(pg, "PostgreSQL",
                                 lambda: bl.idm_login(pg.base, "bench", "web", pg_creds["web"]),
                                 users, pg_sibling(a.pg_url, "idm_bench_1k") if users > 1000
                                 else None)
            self.stop(pg)
            if a.pg_dir:
                # Pinned, the cluster's own work after a million inserts (autovacuum, checkpoints)
                # would take the server CPU from the points that follow.
                subprocess.run([os.path.join(ROOT, "tests/scripts/pg.sh"), "pause", a.pg_dir],
                               check=True, capture_output=True)

        print("== peer (node-oidc-provider)", flush=True)
        peer = self.start_peer()
        self.facts["peer_start_ready_ms"] = peer.ready_ms
        pb = bl.basic("bench", SECRET)
        self.first_run(peer, "/token", script="post_form.lua",
                       env={"BODY": "grant_type=client_credentials&scope=api&"
                                    "resource=urn:bench:es256", "AUTHORIZATION": pb})
        self.point("discovery", peer, "/.well-known/openid-configuration")
        self.point("jwks", peer, "/jwks")
        for alg in ("ES256", "RS256", "EdDSA"):
            self.point(f"client_credentials {alg}", peer, "/token", script="post_form.lua",
                       env={"BODY": "grant_type=client_credentials&scope=api&resource=urn:bench:"
                                    + alg.lower(), "AUTHORIZATION": pb})
        login = bl.peer_login(peer.base, pb)
        self.point("introspection (opaque)", peer, "/token/introspection",
                   script="post_form.lua",
                   env={"BODY": "token=" + login["access_token"], "AUTHORIZATION": pb})
        self.point("userinfo", peer, "/me",
                   headers=["Authorization: Bearer " + login["access_token"]])
        self.point("refresh_token (2 chains)", peer, "/token", conns=2, threads=2,
                   script="refresh.lua", fresh_env=lambda: {
                       "BASIC": pb.split(" ", 1)[1],
                       "RTS": ",".join(bl.peer_login(peer.base, pb)["refresh_token"]
                                       for _ in range(2))})
        for conns in a.conns:
            if conns != 16:
                self.point("client_credentials ES256", peer, "/token", conns=conns,
                           script="post_form.lua",
                           env={"BODY": "grant_type=client_credentials&scope=api&"
                                        "resource=urn:bench:es256", "AUTHORIZATION": pb})
        for conns in a.proxy_conns:
            self.connections("node-oidc-provider", peer, "/token", conns,
                             "grant_type=client_credentials&scope=api&resource=urn:bench:es256",
                             pb)
        self.facts["peer_login"] = self.logins(lambda: bl.peer_login(peer.base, pb), a.logins)
        self.stop(peer)
        self.facts["peer_idle_rss_kib"] = peer.idle_rss_kib
        self.facts["peer_peak_rss_kib"] = peer.peak_rss_kib

        print("== ceiling (cpp-httplib + OpenSSL)", flush=True)
        ceiling = self.start_ceiling(discovery_file)
        self.point("discovery", ceiling, "/hello")
        for conns in sorted(set([16] + a.conns)):
            self.point("client_credentials ES256", ceiling, "/token", conns=conns,
                       script="post_form.lua",
                       env={"BODY": "grant_type=client_credentials", "AUTHORIZATION": pb})
        self.stop(ceiling)

        if a.interleave:
            self.interleaved(discovery_file)
        self.facts["steal_pct_run"] = self.run_steal.pct()

    def interleaved(self, discovery_file):
        """The headline ratios measured alternately. idm, the peer and the ceiling run at once
        (each pinned to the server CPU; only the one measured runs, the others are stopped with
        SIGSTOP), and each repetition runs every server's point back to back, so a slower or faster stretch of the machine moves all
        of them alike. The phases above are 20-60 minutes apart, which on a shared VM alone moved
        a ratio by 30 %. Median of the repetitions per server; ratios from the medians."""
        print("== interleaved (idm, peer and ceiling in turn, rep by rep)", flush=True)
        idm = self.start_idm("idm-interleaved")
        creds = self.provision_idm(idm)
        peer = self.start_peer()
        ceiling = self.start_ceiling(discovery_file)
        pb = bl.basic("bench", SECRET)
        rp = "/realms/bench/protocol/openid-connect"
        form = "post_form.lua"
        servers = (idm, peer, ceiling)

        def tokens():
            """Access tokens made just before the scenario that presents them: both servers'
            live 300 s, and a repetition of the five scenarios takes 13 runs of --duration
            (with 10 s runs, tokens made once expired during the third repetition and every
            userinfo call was a 401)."""
            for server in servers:
                os.kill(server.proc.pid, signal.SIGCONT)
            cc = bl.Conn(idm.base).json("POST", rp + "/token",
                                        {"grant_type": "client_credentials"},
                                        {"Authorization": creds["ES256"]})["access_token"]
            idm_at = bl.idm_login(idm.base, "bench", "web", creds["web"],
                                  scope="openid profile email")["access_token"]
            return cc, idm_at, bl.peer_login(peer.base, pb)["access_token"]

        def introspection():
            cc, _, peer_at = tokens()
            return [(idm, rp + "/token/introspect", {"script": form, "env": {
                        "BODY": "token=" + cc, "AUTHORIZATION": creds["ES256"]}}),
                    (peer, "/token/introspection", {"script": form, "env": {
                        "BODY": "token=" + peer_at, "AUTHORIZATION": pb}})]

        def userinfo():
            _, idm_at, peer_at = tokens()
            return [(idm, rp + "/userinfo", {"headers": ["Authorization: Bearer " + idm_at]}),
                    (peer, "/me", {"headers": ["Authorization: Bearer " + peer_at]})]

        specs = {
            "discovery": lambda: [(idm, "/realms/bench/.well-known/openid-configuration", {}),
                                  (peer, "/.well-known/openid-configuration", {}),
                                  (ceiling, "/hello", {})],
            "jwks": lambda: [(idm, rp + "/certs", {}), (peer, "/jwks", {}),
                             (ceiling, "/hello", {})],
            "client_credentials ES256": lambda: [
                (idm, rp + "/token", {"script": form, "env": {
                    "BODY": "grant_type=client_credentials", "AUTHORIZATION": creds["ES256"]}}),
                (peer, "/token", {"script": form, "env": {
                    "BODY": "grant_type=client_credentials&scope=api&resource=urn:bench:es256",
                    "AUTHORIZATION": pb}}),
                (ceiling, "/token", {"script": form, "env": {
                    "BODY": "grant_type=client_credentials", "AUTHORIZATION": pb}})],
            "introspection": introspection,
            "userinfo": userinfo,
        }
        # One untimed pass first: node-oidc-provider's JIT and idm's caches start warm, as they
        # are in the phases above after their first points.
        for make in specs.values():
            for server, path, kw in make():
                bl.wrk(server.base + path, "2s", 16, cpu=LOAD_CPU, **kw)
        runs = {}
        for _ in range(self.args.reps):
            for scenario, make in specs.items():
                for server, path, kw in make():
                    # The servers share the server CPU, and one that just had its run keeps
                    # working after the load stops (node-oidc-provider collects a heap of up to
                    # 1 GB): the others are stopped (SIGSTOP) while one is measured.
                    for other in servers:
                        os.kill(other.proc.pid, signal.SIGCONT if other is server
                                else signal.SIGSTOP)
                    time.sleep(0.5)
                    before = server.cpu_seconds()
                    r = bl.wrk(server.base + path, self.args.duration, 16, cpu=LOAD_CPU,
                               steal_cpu=SERVER_CPU, **kw)
                    r["cpu_s"] = server.cpu_seconds() - before
                    runs.setdefault((scenario, server.name), []).append(r)
        for (scenario, name), rs in runs.items():
            rs.sort(key=lambda r: r["rps"])
            row = dict(rs[len(rs) // 2])
            row.update({"scenario": scenario, "server": name, "conns": 16, "reps": len(rs),
                        "rps_all": [r["rps"] for r in rs],
                        "errors": sum(r["errors"] for r in rs),
                        "steal_pct": max(r["steal_pct"] for r in rs)})
            self.alternate_rows.append(row)
            print(f"  {scenario:<28} {name:<16} {row['rps']:>9,.0f} rps  "
                  f"(reps {', '.join(f'{x:,.0f}' for x in row['rps_all'])})", flush=True)
        for server in servers:
            self.stop(server)

    def admin_scenarios(self, idm, backend, login, users, small_db_url=None):
        """User search and a login at 1,000 users and again once the realm holds --users users
        (the issue-5 target: p99 within 20 %), then user create. Users are seeded through the
        admin API.

        The 1,000-user point is measured twice: on this server before it grows, and, once it
        holds the full count, on a second server with a database of its own holding 1,000 users,
        measured in turns with the big one (paired()). The VM's speed drifts by up to 40 % from
        one minute to the next and seeding a million users takes 10-40 minutes, so only the
        paired figures are compared."""
        path = "/admin/api/v1/realms/bench/users"
        start, created, offset = time.perf_counter(), 0, 0
        for mark in sorted({min(1000, users), users}):
            created, offset = self.seed(idm, backend, mark, created, offset)
            print(f"  seeded {created:,} users on {backend} "
                  f"({time.perf_counter() - start:.0f} s)", flush=True)
            token = bl.admin_token(idm.base, "bench", SECRET)
            # Usernames run up to OFFSET: searches draw their prefixes from that range.
            self.point(f"admin user search ({mark:,} users, {backend})", idm, path,
                       script="search_users.lua",
                       env={"TOKEN": token, "PATH_USERS": path, "COUNT": str(offset)})
            self.facts[f"login_{backend}_{mark}"] = self.logins(login, self.args.logins, idm)
        self.facts[f"seed_{backend}"] = {"users": created,
                                         "seconds": time.perf_counter() - start}
        if users > 1000:
            self.paired(idm, login, offset, backend, small_db_url)
        token = bl.admin_token(idm.base, "bench", SECRET)
        self.point(f"admin user create ({backend})", idm, path, script="create_user.lua",
                   env={"TOKEN": token})

    def seed(self, idm, backend, target, created, offset):
        """Creates users through the admin API until the realm holds target of them; returns the
        new (created, offset). An admin access token lives 5 minutes and seeding a million users
        takes longer: each chunk gets a fresh one."""
        path, rate = "/admin/api/v1/realms/bench/users", 2000.0
        while created < target:
            chunk = min(target - created, max(1000, int(rate * 20)))
            seconds = max(2, min(30, int(chunk / rate) + 1))
            token = bl.admin_token(idm.base, "bench", SECRET)
            r = bl.wrk(idm.base + path, f"{seconds}s", 16, script="seed_users.lua",
                       cpu=LOAD_CPU,
                       env={"COUNT": str(chunk), "OFFSET": str(offset), "TOKEN": token})
            done = min(chunk, r["requests"])
            if r["errors"] or done == 0:
                raise RuntimeError(f"seeding users on {backend}: {r}")
            created += done
            offset += chunk + 100
            # 16 connections each waiting ~p50 per request: the rate the next chunk can
            # expect (wrk's own figure counts the idle tail after the thread stopped).
            rate = max(100.0, 0.9 * 16 * 1000 / max(r["p50_ms"] or 1.0, 0.1))
        return created, offset

    def paired(self, big, big_login, big_offset, backend, small_db_url):
        """The scaling target measured in turns: a second idm on a database of its own with
        1,000 users, and the big one, each run of one followed by the same run of the other
        (the idle one stopped), --reps times. Search p99 is the median of the runs' p99; login
        p99 is over every login of a side (--logins per turn)."""
        name = "idm-1k" if backend == "SQLite" else "idm-pg-1k"
        small = self.start_idm(name, db_url=small_db_url)
        small_web = self.provision_idm(small)["web"]
        _, small_offset = self.seed(small, backend, 1000, 0, 0)
        path = "/admin/api/v1/realms/bench/users"
        sides = {}
        for srv, offset, login in (
                (small, small_offset, lambda: bl.idm_login(small.base, "bench", "web", small_web)),
                (big, big_offset, big_login)):
            sides[srv.name] = {"srv": srv, "offset": offset, "search": [], "logins": [],
                               "login": login}
        for _ in range(self.args.reps):
            for side in sides.values():
                for other in sides.values():
                    os.kill(other["srv"].proc.pid,
                            signal.SIGCONT if other is side else signal.SIGSTOP)
                time.sleep(0.5)
                srv = side["srv"]
                token = bl.admin_token(srv.base, "bench", SECRET)
                r = bl.wrk(srv.base + path, self.args.duration, 16, script="search_users.lua",
                           cpu=LOAD_CPU, steal_cpu=SERVER_CPU,
                           env={"TOKEN": token, "PATH_USERS": path,
                                "COUNT": str(side["offset"])})
                side["search"].append(r)
                for _ in range(self.args.logins):
                    t0 = time.perf_counter()
                    side["login"]()
                    side["logins"].append((time.perf_counter() - t0) * 1000)
        for side in sides.values():
            os.kill(side["srv"].proc.pid, signal.SIGCONT)
        out = {}
        for key, side in (("small", sides[small.name]), ("big", sides[big.name])):
            runs = sorted(side["search"], key=lambda r: r["p99_ms"] or 0)
            logins = sorted(side["logins"])
            out[key] = {"search_p99_ms": runs[len(runs) // 2]["p99_ms"],
                        "search_p50_ms": statistics.median(r["p50_ms"] for r in runs),
                        "search_rps": statistics.median(r["rps"] for r in runs),
                        "search_errors": sum(r["errors"] for r in runs),
                        "search_steal_pct": max(r["steal_pct"] for r in runs),
                        "login_p50_ms": logins[len(logins) // 2],
                        "login_p99_ms": logins[min(len(logins) - 1, int(len(logins) * 0.99))],
                        "login_mean_ms": statistics.mean(logins), "logins": len(logins)}
        out["big"]["users"] = self.facts[f"seed_{backend}"]["users"]
        self.facts[f"paired_{backend}"] = out
        print(f"  paired {backend}: search p99 {out['small']['search_p99_ms']:.1f} -> "
              f"{out['big']['search_p99_ms']:.1f} ms, login p99 {out['small']['login_p99_ms']:.1f}"
              f" -> {out['big']['login_p99_ms']:.1f} ms", flush=True)
        self.stop(small)

    # Before the soak's window: caches fill, and the Argon2 working memory of the logins run
    # before the soak goes back (idm's maintenance releases it after one idle interval, 60 s).
    SOAK_WARMUP_S = 120

    def soak(self, idm, path, auth):
        """A steady load (-c 4) for SOAK_WARMUP_S plus --soak seconds, sampling RSS every 10 s;
        flatness is judged over the --soak window."""
        samples = []
        proc = subprocess.Popen(
            ["taskset", "-c", str(LOAD_CPU), "wrk", "-t1", "-c4",
             f"-d{self.SOAK_WARMUP_S + self.args.soak}s", "-s",
             os.path.join(bl.HERE, "post_form.lua"), idm.base + path],
            env={**os.environ, "BODY": "grant_type=client_credentials", "AUTHORIZATION": auth},
            stdout=subprocess.PIPE, text=True)
        start = time.perf_counter()
        while proc.poll() is None:
            samples.append((round(time.perf_counter() - start), idm.status("VmRSS")))
            time.sleep(10)
        out = bl.parse_wrk(proc.stdout.read())
        steady = [kib for t, kib in samples if t >= self.SOAK_WARMUP_S] or [s[1] for s in samples]
        self.facts["soak"] = {"seconds": self.args.soak, "warmup_seconds": self.SOAK_WARMUP_S,
                              "rps": out["rps"], "errors": out["errors"],
                              "rss_kib_first": steady[0], "rss_kib_last": steady[-1],
                              "rss_kib_max": max(steady), "rss_kib_min": min(steady),
                              "drift_pct": (steady[-1] - steady[0]) * 100 / steady[0],
                              "samples": samples}

    def cleanup(self):
        for s in list(self.servers):
            try:
                s.stop()
            except Exception:  # noqa: BLE001 - best effort at exit
                pass
        shutil.rmtree(self.work, ignore_errors=True)


class NativeLogins:
    """idm's browser login timed by bench/login's compiled client (idm-bench-login) on the load
    CPU: the four requests of bl.idm_login, each login on a fresh connection and cookie jar."""

    def __init__(self, tool, base, web_basic):
        self.tool, self.base, self.web_basic = tool, base, web_basic

    def batch(self, count):
        out = subprocess.run(["taskset", "-c", str(LOAD_CPU), self.tool, "--url", self.base,
                              "--realm", "bench", "--client-id", "web", "--authorization",
                              self.web_basic, "--username", "alice", "--password", bl.PASSWORD,
                              "--count", str(count)], capture_output=True, text=True)
        if out.returncode != 0:
            raise RuntimeError("idm-bench-login: " + out.stderr.strip())
        return json.loads(out.stdout)["times_ms"]


def handling_seconds(server):
    """Total seconds idm spent handling requests so far (the sum of its
    idm_http_request_duration_seconds histogram over every route)."""
    _, _, text = bl.Conn(server.base).send("GET", "/metrics")
    return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
               if line.startswith("idm_http_request_duration_seconds_sum{")
               and 'route="/metrics"' not in line)


SHOWN_STEAL_POINTS = 6


def steal_summary(bench):
    """One line on the time the hypervisor took from the server CPU: over the whole run, and the
    points (any run of one) where it took 5 % or more. A point with stolen time measured a
    slower machine than its neighbours, and its ratios with points measured at another time
    mean less."""
    run = bench.facts.get("steal_pct_run")
    hit = sorted({f"{r['scenario']} ({r['server']}, c={r['conns']})"
                  for r in bench.rows + bench.alternate_rows if r.get("steal_pct", 0) >= 5})
    text = ("Steal on the server CPU (time the hypervisor gave to other guests, /proc/stat): "
            + (f"{run:.1f} % over the run" if run is not None else "not measured"))
    if hit:
        named = ", ".join(hit[:SHOWN_STEAL_POINTS])
        if len(hit) > SHOWN_STEAL_POINTS:
            named += f" and {len(hit) - SHOWN_STEAL_POINTS} more (the cells say which)"
        text += f"; 5 % or more during {len(hit)} point(s): " + named
    return text + "."


def table(bench, args):
    rows = bench.rows
    f = bench.facts

    def find(scenario, server, conns=16):
        for r in rows:
            if r["scenario"].startswith(scenario) and r["server"] == server and r["conns"] == conns:
                return r
        return None

    def cell(r):
        if not r:
            return "—"
        stolen = r.get("steal_pct", 0)
        return (f"{r['rps']:,.0f} rps · p50 {r['p50_ms']:.2f} / p99 {r['p99_ms']:.2f} ms · "
                f"{r['errors']} err · {r['cpu_s']:.1f} CPU s"
                + (f" · **{stolen:.0f} % stolen**" if stolen >= 1 else ""))

    def ratio(a, b):
        return f"{a['rps'] / b['rps']:.2f}×" if a and b and b["rps"] else "—"

    lines = [f"Run {args.stamp} · {platform.node()} · {os.cpu_count()} CPUs "
             f"({cpu_model()}) · wrk {args.duration} × {args.reps} (median), server on CPU "
             f"{SERVER_CPU}, load on CPU {LOAD_CPU}", "",
             steal_summary(bench), "",
             "| scenario | idm | node-oidc-provider | ceiling | idm ÷ peer | idm ÷ ceiling |",
             "|---|---|---|---|---|---|"]
    for scenario, ceiling_name in (("discovery", "discovery"), ("jwks", "discovery"),
                                   ("client_credentials ES256", "client_credentials ES256"),
                                   ("client_credentials RS256", None),
                                   ("client_credentials EdDSA", None),
                                   ("introspection", None), ("userinfo", None),
                                   ("refresh_token", None)):
        i, p = find(scenario, "idm", 2 if scenario == "refresh_token" else 16), \
            find(scenario, "peer", 2 if scenario == "refresh_token" else 16)
        c = find(ceiling_name, "ceiling") if ceiling_name else None
        lines.append(f"| {scenario} | {cell(i)} | {cell(p)} | {cell(c)} | {ratio(i, p)} | "
                     f"{ratio(i, c)} |")
    if bench.alternate_rows:
        def alt(scenario, server):
            return next((r for r in bench.alternate_rows
                         if r["scenario"] == scenario and r["server"] == server), None)
        lines += ["", "The same points measured alternately (interleaved: in each of the "
                  f"{args.reps} repetitions idm, node-oidc-provider and the ceiling run back to "
                  "back; 16 connections):", "",
                  "| scenario | idm | node-oidc-provider | ceiling | idm ÷ peer | idm ÷ ceiling |",
                  "|---|---|---|---|---|---|"]
        for scenario in ("discovery", "jwks", "client_credentials ES256", "introspection",
                         "userinfo"):
            i, p, c = alt(scenario, "idm-interleaved"), alt(scenario, "peer"), \
                alt(scenario, "ceiling")
            lines.append(f"| {scenario} | {cell(i)} | {cell(p)} | {cell(c)} | {ratio(i, p)} | "
                         f"{ratio(i, c)} |")
    lines += ["", "Client credentials ES256 by concurrency (keep-alive connections):", "",
              "| connections | idm | node-oidc-provider | ceiling |", "|---|---|---|---|"]
    for conns in sorted(set([16] + args.conns)):
        lines.append(f"| {conns:,} | {cell(find('client_credentials ES256', 'idm', conns))} | "
                     f"{cell(find('client_credentials ES256', 'peer', conns))} | "
                     f"{cell(find('client_credentials ES256', 'ceiling', conns))} |")
    if bench.conn_rows:
        lines += ["", "Client credentials ES256 with many keep-alive connections "
                  "(idm-bench-fairness; each connection a closed loop; starved = no answer in "
                  f"the measured {args.conn_seconds} s):", "",
                  "| server | connections | offered rate | rps | p50 / p99 / max ms | errors | "
                  "per-connection answers min / median / max | starved |",
                  "|---|---|---|---|---|---|---|---|"]
        for r in bench.conn_rows:
            pc = r["per_connection"]
            offered = f"{r['rate']:,} rps" if r.get("rate") else "closed loop"
            lines.append(f"| {r['label']} | {r['connections']:,} | {offered} | {r['rps']:,.0f} | "
                         f"{r['p50_ms']:.1f} / {r['p99_ms']:.1f} / {r['max_ms']:.0f} | "
                         f"{r['non2xx'] + r['connect_errors'] + r['io_errors']} | "
                         f"{pc['min']:.0f} / {pc['median']:.0f} / {pc['max']:.0f} | "
                         f"{pc['starved']} |")
    lines += ["", "Admin API (idm):", "", "| scenario | result |", "|---|---|"]
    for r in rows:
        if r["scenario"].startswith("admin"):
            lines.append(f"| {r['scenario']} | {cell(r)} |")
    sizes = {"SQLite": args.users, "PostgreSQL": args.pg_users or args.users}
    if max(sizes.values()) > 1000:
        lines += ["", "Users: 1,000 against the seeded count, paired (two servers, each with a "
                  "database of its own, measured in turns; search p99 the median of "
                  f"{args.reps} runs, login p99 over {args.reps} × {args.logins} sequential "
                  "logins; target: within 20 %):", "",
                  "| backend | measure | 1,000 users | seeded | ratio |", "|---|---|---|---|---|"]
        for backend in sizes:
            pr = f.get(f"paired_{backend}")
            if not pr:
                continue
            sm, bg = pr["small"], pr["big"]
            for label, key, fmt in (("admin user search p99", "search_p99_ms", ".2f"),
                                    ("admin user search p50", "search_p50_ms", ".2f"),
                                    ("login round trip p99", "login_p99_ms", ".1f"),
                                    ("login round trip p50", "login_p50_ms", ".1f")):
                lines.append(f"| {backend} | {label} | {sm[key]:{fmt}} ms | "
                             f"{bg[key]:{fmt}} ms ({bg['users']:,}) | "
                             f"{bg[key] / sm[key]:.2f}× |")
            lines.append(f"| {backend} | admin user search requests/s | {sm['search_rps']:,.0f} | "
                         f"{bg['search_rps']:,.0f} ({bg['users']:,}) | "
                         f"{bg['search_rps'] / sm['search_rps']:.2f}× |")
            if "search_steal_pct" in sm:
                lines.append(f"| {backend} | steal during a search turn, at most | "
                             f"{sm['search_steal_pct']:.0f} % | {bg['search_steal_pct']:.0f} % | |")
        seeds = [f"{b}: {f[f'seed_{b}']['users']:,} users in {f[f'seed_{b}']['seconds']:.0f} s"
                 for b in ("SQLite", "PostgreSQL") if f"seed_{b}" in f]
        lines += ["", "Seeding through the admin API: " + "; ".join(seeds) + "."]
        if "pg_pinned" in f:
            lines += ["", "PostgreSQL ran " + ("pinned to the server's CPU beside idm." if
                                              f["pg_pinned"] else "unpinned (--pg-dir not given"
                                              " or taskset failed): its backends shared the load "
                                              "generator's CPU.")]
    il, pl = f["idm_login"], f["peer_login"]
    argon, lp = f["argon2id_verify_ms"], f["login_hash_pairing"]
    ip = f.get("idm_login_paired", il)
    lines += ["", "| fact | idm | node-oidc-provider |", "|---|---|---|",
              f"| login round trip, mean (p50 / p99), {il['count']} sequential (Python client) | "
              f"{il['mean_ms']:.1f} ms ({il['p50_ms']:.1f} / {il['p99_ms']:.1f}) | "
              f"{pl['mean_ms']:.1f} ms ({pl['p50_ms']:.1f} / {pl['p99_ms']:.1f}); no password "
              f"hash |",
              f"| Argon2id verification alone (m=19456 KiB, t=2, p=1), in {lp['blocks']} blocks "
              f"alternating with the logins ({', '.join(f'{h:.1f}' for h in lp['hash_blocks_ms'])}"
              f" ms; steal {', '.join(f'{x:.0f}' for x in lp.get('steal_pct_blocks', []))} %) | "
              f"{argon:.1f} ms; hash ÷ login round trip = {lp['ratio'] * 100:.0f} % "
              f"(median of the blocks; {ip['count']} logins by the {lp.get('client', 'Python')} "
              f"client, mean {ip['mean_ms']:.1f} ms, p50 {ip['p50_ms']:.1f}) | — |",
              f"| login in the server: its four requests' handling time (idm's request-duration "
              f"metric) and CPU time, per login (the paired logins) | "
              f"{ip['server_handling_ms']:.1f} ms, hash ÷ "
              f"handling = {lp['handling_ratio'] * 100:.0f} % (median of the blocks); "
              f"{ip['server_cpu_ms']:.1f} ms CPU | — |",
              f"| ready after start (first start, empty database) | "
              f"{f['idm_first_start_ready_ms']:.0f} ms | {f['peer_start_ready_ms']:.0f} ms |",
              f"| ready after restart on the populated SQLite database (median of 3) | "
              f"{f['idm_restart_ready_ms']:.0f} ms | — |",
              f"| idle RSS after start | {f['idm_restart_idle_rss_kib'] / 1024:.1f} MiB "
              f"(restart; {f['idm_restart_idle_rss_kib'] * 1024 / 1e6:.2f} MB), "
              f"{f['idm_idle_rss_kib'] / 1024:.1f} MiB (first start; "
              f"{f['idm_idle_rss_kib'] * 1024 / 1e6:.2f} MB) | "
              f"{f['peer_idle_rss_kib'] / 1024:.1f} MiB |",
              f"| peak RSS over the run | {f['idm_peak_rss_kib'] / 1024:.1f} MiB | "
              f"{f['peer_peak_rss_kib'] / 1024:.1f} MiB |"]
    first = f.get("cc_first_run", {})
    if first:
        def first_cell(name):
            r = first.get(name)
            return (f"{r['rps']:,.0f} rps · p99 {r['p99_ms']:.2f} ms · {r['errors']} err"
                    + (f" · **{r['steal_pct']:.0f} % stolen**" if r["steal_pct"] >= 1 else "")
                    if r else "—")
        lines.append(f"| client credentials ES256, the first {args.duration} of load after "
                     f"start (16 connections; not in the medians) | {first_cell('idm')} | "
                     f"{first_cell('peer')} |")
    if "soak" in f:
        s = f["soak"]
        lines.append(f"| soak: {s['seconds']} s of client credentials at -c 4, after "
                     f"{s.get('warmup_seconds', 0)} s of warm-up | "
                     f"{s['rps']:,.0f} rps, {s['errors']} errors, RSS {s['rss_kib_first'] / 1024:.1f}"
                     f" → {s['rss_kib_last'] / 1024:.1f} MiB (min {s.get('rss_kib_min', 0) / 1024:.1f}"
                     f", max {s['rss_kib_max'] / 1024:.1f}, drift {s['drift_pct']:+.1f} %) | — |")
    return "\n".join(lines) + "\n"


def pin_postgres(pg_dir):
    """Pins the PostgreSQL cluster of a tests/scripts/pg.sh directory to SERVER_CPU: the
    postmaster and every process it has forked; backends forked later inherit the postmaster's
    affinity. The database is part of the server
    side of "per core". Left to float, its backends also run on the load generator's CPU, where
    the kernel preempts them for wrk: in PostgreSQL's own log (log_min_duration_statement) a
    ROLLBACK or RESET took 10-180 ms, and the user search p99 at 1,000,000 users read 1.8-2.5x the
    1,000-user one while its p50 was lower (docs/performance.md, 2026-12-03 midday). Returns
    whether every process was pinned."""
    with open(os.path.join(pg_dir, "data", "postmaster.pid")) as f:
        postmaster = int(f.readline())
    children = subprocess.run(["pgrep", "-P", str(postmaster)], capture_output=True,
                              text=True).stdout.split()
    ok = True
    for pid in [str(postmaster)] + children:
        r = subprocess.run(["taskset", "-a", "-cp", str(SERVER_CPU), pid], capture_output=True)
        # A process that exited in between (a finished autovacuum worker) needs no pinning.
        ok = ok and (r.returncode == 0 or not os.path.exists(f"/proc/{pid}"))
    return ok


def pg_sibling(url, name):
    """A new, empty database `name` in the cluster of url (dropped first if it exists), for the
    second server of the paired scaling points; returns its URL. Needs psql and the CREATEDB
    privilege."""
    for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
        subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", url, "-c", sql], check=True,
                       capture_output=True)
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--idm", default=os.path.join(ROOT, "build/release/idm/app/idm"))
    p.add_argument("--ceiling",
                   default=os.path.join(ROOT, "build/release/bench/ceiling/idm-bench-ceiling"))
    p.add_argument("--duration", default="10s", help="wrk duration of one run")
    p.add_argument("--reps", type=int, default=3, help="runs per point (the median is kept)")
    p.add_argument("--conns", default="1,16,256,2000",
                   help="connection counts of the client-credentials sweep (add 10000 for C10K)")
    p.add_argument("--users", type=int, default=1000, help="users seeded for the admin scenarios")
    p.add_argument("--pg-users", type=int, default=0,
                   help="users seeded on PostgreSQL, when not --users (its seeding through the "
                        "admin API runs at ~430 users/s on the reference machine)")
    p.add_argument("--logins", type=int, default=40, help="sequential logins measured")
    p.add_argument("--soak", type=int, default=0, help="soak seconds (600 for the full run)")
    p.add_argument("--interleave", action=argparse.BooleanOptionalAction, default=True,
                   help="also measure the headline ratios with idm, peer and ceiling in turn, "
                        "rep by rep (--no-interleave to skip)")
    p.add_argument("--ceiling-threads", type=int, default=16)
    p.add_argument("--fairness",
                   default=os.path.join(ROOT, "build/release/bench/fairness/idm-bench-fairness"))
    p.add_argument("--login-tool",
                   default=os.path.join(ROOT, "build/release/bench/login/idm-bench-login"),
                   help="the compiled login client of the hash ÷ round trip pairing (Python's "
                        "client is used when it is missing)")
    p.add_argument("--proxy-conns", default="2000,10000",
                   help="connection counts of the connection-heavy points ('' to skip)")
    p.add_argument("--proxy-upstream", type=int, default=16,
                   help="haproxy's keep-alive connections to idm (idm's worker threads)")
    p.add_argument("--conn-rate", type=int, default=2000,
                   help="offered requests/s of the open-loop connection points (p99 target)")
    p.add_argument("--conn-seconds", type=int, default=15,
                   help="measured seconds of one connection-heavy point")
    p.add_argument("--pg-url", default=os.environ.get("IDM_BENCH_PG_URL"),
                   help="an empty PostgreSQL database for the admin scenarios on PostgreSQL")
    p.add_argument("--pg-dir", default="",
                   help="the tests/scripts/pg.sh directory of --pg-url's cluster (bench/compare.sh "
                        "passes the one it starts): the cluster is pinned to the server's CPU "
                        "beside idm, and paused once the PostgreSQL scenarios are done")
    p.add_argument("--out", default=os.path.join(bl.HERE, "results"))
    args = p.parse_args()
    args.conns = [int(c) for c in args.conns.split(",")]
    args.proxy_conns = [int(c) for c in args.proxy_conns.split(",") if c]
    args.stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H%MZ")
    if (os.cpu_count() or 1) < 2:
        sys.exit("compare: needs 2 CPUs (the server on one, the load generator on the other)")
    bench = Bench(args)
    try:
        bench.run()
    finally:
        bench.cleanup()
    os.makedirs(args.out, exist_ok=True)
    # The numbers first: a long run is never lost to a fault in the table below.
    with open(os.path.join(args.out, args.stamp + ".json"), "w") as f:
        json.dump({"stamp": args.stamp, "host": platform.node(), "cpu": cpu_model(),
                   "args": {k: v for k, v in vars(args).items()}, "rows": bench.rows,
                   "alternate_rows": bench.alternate_rows,
                   "conn_rows": bench.conn_rows, "facts": bench.facts}, f, indent=2)
    md = table(bench, args)
    with open(os.path.join(args.out, args.stamp + ".md"), "w") as f:
        f.write(md)
    print()
    print(md)


if __name__ == "__main__":
    main()
