"""Shared pieces of the benchmark scripts (Python standard library only): an HTTP connection with a
cookie jar, client authentication and PKCE helpers, the idm admin API, the browser-style logins
of idm and of the peer, and running wrk with its numbers parsed."""
import base64
import hashlib
import http.client
import json
import os
import re
import resource
import secrets
import subprocess
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
PASSWORD = "bench user password 2026"
REDIRECT = "https://app.bench.test/cb"


class Conn:
    """One keep-alive connection to BASE with a cookie jar; never follows redirects."""

    def __init__(self, base):
        u = urllib.parse.urlsplit(base)
        self.c = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
        self.cookies = {}

    def send(self, method, path, body=None, headers=None):
        h = dict(headers or {})
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if isinstance(body, dict):
            body = urllib.parse.urlencode(body)
            h["Content-Type"] = "application/x-www-form-urlencoded"
        self.c.request(method, path, body=body, headers=h)
        r = self.c.getresponse()
        data = r.read().decode()
        for k, v in r.getheaders():
            if k.lower() == "set-cookie":
                name, _, rest = v.partition("=")
                value = rest.split(";", 1)[0]
                low = v.lower()
                if "max-age=0" in low or "expires=thu, 01 jan 1970" in low:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = value
        return r.status, dict((k.lower(), v) for k, v in r.getheaders()), data

    def json(self, method, path, body=None, headers=None, want=200):
        status, _, data = self.send(method, path, body, headers)
        if status != want:
            raise RuntimeError(f"{method} {path}: {status} {data[:300]}")
        return json.loads(data) if data else {}


def basic(client_id, secret):
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def pkce():
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def location_path(headers):
    u = urllib.parse.urlsplit(headers["location"])
    return u.path + ("?" + u.query if u.query else "")


def code_of(headers):
    query = urllib.parse.urlsplit(headers["location"]).query
    return urllib.parse.parse_qs(query)["code"][0]


def admin_token(base, client_id, secret):
    return Conn(base).json("POST", "/realms/master/protocol/openid-connect/token",
                           {"grant_type": "client_credentials"},
                           {"Authorization": basic(client_id, secret)})["access_token"]


def admin(conn, token, method, path, doc, want=201):
    return conn.json(method, "/admin/api/v1" + path, json.dumps(doc),
                     {"Authorization": "Bearer " + token, "Content-Type": "application/json"},
                     want)


def idm_login(base, realm, client_id, web_basic, username="alice", scope="openid profile"):
    """One full idm browser login with a fresh cookie jar (so the password is verified with
    Argon2id): authorization request -> login page -> password POST -> code -> token with PKCE.
    Returns the token response."""
    c = Conn(base)
    verifier, challenge = pkce()
    query = urllib.parse.urlencode({
        "client_id": client_id, "response_type": "code", "scope": scope,
        "redirect_uri": REDIRECT, "state": secrets.token_urlsafe(8),
        "nonce": secrets.token_urlsafe(8), "code_challenge": challenge,
        "code_challenge_method": "S256"})
    status, h, _ = c.send("GET", f"/realms/{realm}/protocol/openid-connect/auth?" + query)
    assert status == 303, status
    status, _, page = c.send("GET", location_path(h))
    assert status == 200, status
    fields = dict(re.findall(r'name="(csrf_token|flow_id)" value="([^"]*)"', page))
    fields.update({"username": username, "password": PASSWORD})
    status, h, body = c.send("POST", f"/realms/{realm}/login-actions/authenticate", fields)
    assert status == 302, (status, body[:200])
    return c.json("POST", f"/realms/{realm}/protocol/openid-connect/token",
                  {"grant_type": "authorization_code", "code": code_of(h),
                   "redirect_uri": REDIRECT, "code_verifier": verifier},
                  {"Authorization": web_basic})


def peer_login(base, web_basic, username="alice"):
    """One full login at node-oidc-provider through its development interactions (login prompt,
    consent prompt; no password check), then the code exchange with PKCE."""
    c = Conn(base)
    verifier, challenge = pkce()
    query = urllib.parse.urlencode({
        "client_id": "bench", "response_type": "code", "scope": "openid offline_access",
        "redirect_uri": REDIRECT, "state": secrets.token_urlsafe(8),
        "nonce": secrets.token_urlsafe(8), "code_challenge": challenge,
        "code_challenge_method": "S256", "prompt": "consent"})
    status, h, _ = c.send("GET", "/auth?" + query)
    assert status == 303, status
    for prompt in ("login", "consent"):
        status, h, body = c.send("POST", location_path(h),
                                 {"prompt": prompt, "login": username, "password": PASSWORD})
        assert status == 303, (prompt, status, body[:200])
        status, h, body = c.send("GET", location_path(h))
        assert status == 303, (prompt, status, body[:200])
    return c.json("POST", "/token",
                  {"grant_type": "authorization_code", "code": code_of(h),
                   "redirect_uri": REDIRECT, "code_verifier": verifier},
                  {"Authorization": web_basic})


class Steal:
    """Time the hypervisor gave to other guests on one CPU ("steal", /proc/stat's eighth field),
    from construction to pct(), as a percentage of the elapsed time. On a shared VM a point
    with stolen time ran on a slower machine than its neighbours."""

    def __init__(self, cpu, stat="/proc/stat"):
        self.cpu, self.stat = cpu, stat
        self.ticks, self.start = self._ticks(), time.monotonic()

    def _ticks(self):
        with open(self.stat) as f:
            for line in f:
                fields = line.split()
                if fields[0] == f"cpu{self.cpu}":
                    return int(fields[8]) if len(fields) > 8 else 0
        return 0

    def pct(self):
        elapsed = time.monotonic() - self.start
        ticks = self._ticks() - self.ticks
        return 100.0 * ticks / os.sysconf("SC_CLK_TCK") / elapsed if elapsed > 0 else 0.0


def raise_nofile():
    """Many keep-alive connections need many descriptors (run as a child's preexec_fn too): the
    soft limit goes up to the hard one (20,000 on the reference machine, enough for 10,000
    connections on each side)."""
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def wrk(url, duration, conns, threads=1, script=None, env=None, headers=(), cpu=None,
        steal_cpu=None):
    """Runs wrk (pinned to `cpu` when given) and returns its numbers: rps, p50_ms, p99_ms, errors
    (socket errors + non-2xx/3xx responses), requests; with steal_cpu, also steal_pct: the share
    of the run's time the hypervisor took from that CPU (Steal)."""
    threads = max(1, min(threads, conns))
    cmd = ["wrk", f"-t{threads}", f"-c{conns}", f"-d{duration}", "--latency", "--timeout", "10s"]
    for h in headers:
        cmd += ["-H", h]
    if script:
        cmd += ["-s", os.path.join(HERE, script)]
    cmd.append(url)
    if cpu is not None:
        cmd = ["taskset", "-c", str(cpu)] + cmd
    steal = Steal(steal_cpu) if steal_cpu is not None else None
    out = subprocess.run(cmd, env={**os.environ, **(env or {})}, capture_output=True, text=True,
                         check=True, preexec_fn=raise_nofile).stdout
    result = parse_wrk(out)
    if steal:
        result["steal_pct"] = steal.pct()
    return result


def _ms(text):
    m = re.match(r"([\d.]+)(us|ms|s)", text)
    value, unit = float(m.group(1)), m.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def parse_wrk(out):
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M)
    errors = 0
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if sock:
        errors += sum(int(x) for x in sock.groups())
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if bad:
        errors += int(bad.group(1))
    return {"rps": rps, "requests": requests, "errors": errors,
            "p50_ms": _ms(p50.group(1)) if p50 else None,
            "p99_ms": _ms(p99.group(1)) if p99 else None}
