#!/usr/bin/env python3
"""OpenID Connect scenarios of bench/run.sh against a running idm (Python standard library + wrk).

  bench/oidc.py BASE_URL ADMIN_CLIENT_ID ADMIN_SECRET DURATION THREADS CONNECTIONS

Provisions realms `oidc-es` (ES256, the default) and `oidc-rs` (RS256) with a service client and,
in `oidc-es`, a user and a first-party web client; then measures
  - token endpoint, client credentials, ES256 and RS256 (wrk, bench/client_credentials.lua);
  - token endpoint, refresh token rotation (wrk, bench/refresh.lua, one chain per wrk thread);
  - the full browser login round trip, one after another: authorization request -> login page ->
    password POST -> redirect with code -> code exchange with PKCE (this script, a fresh cookie jar
    each time, so every login verifies the password with Argon2id).
Prints one Markdown table row: cc ES256 | cc RS256 | refresh | login round trip (mean, p95).
"""
import base64
import hashlib
import http.client
import json
import os
import re
import secrets
import statistics
import subprocess
import sys
import time
import urllib.parse

BASE, ADMIN_ID, ADMIN_SECRET, DURATION, THREADS, CONNS = sys.argv[1:7]
HOST = urllib.parse.urlsplit(BASE)
HERE = os.path.dirname(os.path.abspath(__file__))
PASSWORD = "bench user password 2026"
REDIRECT = "https://app.bench.test/cb"


class Conn:
    """One keep-alive connection with a cookie jar; never follows redirects."""

    def __init__(self):
        self.c = http.client.HTTPConnection(HOST.hostname, HOST.port, timeout=30)
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
                if "max-age=0" in v.lower():
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = value
        return r.status, dict((k.lower(), v) for k, v in r.getheaders()), data


def basic(client_id, secret):
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def admin(conn, token, method, path, doc):
    status, _, body = conn.send(method, "/admin/api/v1" + path, json.dumps(doc),
                                {"Authorization": "Bearer " + token,
                                 "Content-Type": "application/json"})
    if status >= 300:
        sys.exit(f"bench: {method} {path}: {status} {body}")
    return json.loads(body)


def provision():
    c = Conn()
    status, _, body = c.send("POST", "/realms/master/protocol/openid-connect/token",
                             {"grant_type": "client_credentials"},
                             {"Authorization": basic(ADMIN_ID, ADMIN_SECRET)})
    token = json.loads(body)["access_token"]
    out = {}
    for realm, alg in (("oidc-es", "ES256"), ("oidc-rs", "RS256")):
        admin(c, token, "POST", "/realms",
              {"name": realm, "settings": {"default_signing_alg": alg}})
        svc = admin(c, token, "POST", f"/realms/{realm}/clients",
                    {"client_id": "svc", "grant_types": ["client_credentials"]})
        out[alg] = basic("svc", svc["client_secret"])
    admin(c, token, "POST", "/realms/oidc-es/users",
          {"username": "alice", "password": PASSWORD})
    web = admin(c, token, "POST", "/realms/oidc-es/clients",
                {"client_id": "web", "redirect_uris": [REDIRECT],
                 "grant_types": ["authorization_code", "refresh_token"],
                 "scopes": ["openid", "profile"], "consent_required": False})
    out["web"] = basic("web", web["client_secret"])
    return out


def login(web_basic):
    """One full login; returns the token response."""
    c = Conn()
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
    query = urllib.parse.urlencode({
        "client_id": "web", "response_type": "code", "scope": "openid profile",
        "redirect_uri": REDIRECT, "state": secrets.token_urlsafe(8),
        "nonce": secrets.token_urlsafe(8), "code_challenge": challenge.decode(),
        "code_challenge_method": "S256"})
    status, h, _ = c.send("GET", "/realms/oidc-es/protocol/openid-connect/auth?" + query)
    assert status == 303, status
    status, _, page = c.send("GET", h["location"])
    assert status == 200, status
    fields = dict(re.findall(r'name="(csrf_token|flow_id)" value="([^"]*)"', page))
    fields.update({"username": "alice", "password": PASSWORD})
    status, h, body = c.send("POST", "/realms/oidc-es/login-actions/authenticate", fields)
    assert status == 302, (status, body[:200])
    code = urllib.parse.parse_qs(urllib.parse.urlsplit(h["location"]).query)["code"][0]
    status, _, body = c.send("POST", "/realms/oidc-es/protocol/openid-connect/token",
                             {"grant_type": "authorization_code", "code": code,
                              "redirect_uri": REDIRECT, "code_verifier": verifier},
                             {"Authorization": web_basic})
    assert status == 200, (status, body)
    return json.loads(body)


def wrk(script, path, env, threads, conns):
    out = subprocess.run(["wrk", f"-t{threads}", f"-c{conns}", f"-d{DURATION}", "-s",
                          os.path.join(HERE, script), BASE + path],
                         env={**os.environ, **env}, capture_output=True, text=True, check=True)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out.stdout).group(1)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out.stdout)
    if bad:
        sys.exit(f"bench: {script}: {bad.group(1)} failed responses\n{out.stdout}")
    return f"{float(rps):,.0f}"


def warm_up(creds):
    """One token per realm first: the first use of a realm's keys loads (and for a new realm may
    create) them, which is start-up cost, not throughput."""
    c = Conn()
    for alg, realm in (("ES256", "oidc-es"), ("RS256", "oidc-rs")):
        status, _, body = c.send("POST", f"/realms/{realm}/protocol/openid-connect/token",
                                 {"grant_type": "client_credentials"},
                                 {"Authorization": creds[alg]})
        assert status == 200, (status, body)


def main():
    creds = provision()
    warm_up(creds)
    cc_es = wrk("client_credentials.lua", "/realms/oidc-es/protocol/openid-connect/token",
                {"BASIC": creds["ES256"].split(" ", 1)[1]}, THREADS, CONNS)
    cc_rs = wrk("client_credentials.lua", "/realms/oidc-rs/protocol/openid-connect/token",
                {"BASIC": creds["RS256"].split(" ", 1)[1]}, THREADS, CONNS)
    times = []
    for _ in range(40):
        start = time.perf_counter()
        login(creds["web"])
        times.append((time.perf_counter() - start) * 1000)
    chains = [login(creds["web"])["refresh_token"] for _ in range(int(THREADS))]
    refresh = wrk("refresh.lua", "/realms/oidc-es/protocol/openid-connect/token",
                  {"BASIC": creds["web"].split(" ", 1)[1], "RTS": ",".join(chains)},
                  THREADS, THREADS)
    p95 = sorted(times)[int(len(times) * 0.95) - 1]
    print(f"| {cc_es} | {cc_rs} | {refresh} | {statistics.mean(times):.1f} ms "
          f"(p95 {p95:.1f} ms) |")


if __name__ == "__main__":
    main()
