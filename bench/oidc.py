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
import os
import re
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib as bl  # noqa: E402

BASE, ADMIN_ID, ADMIN_SECRET, DURATION, THREADS, CONNS = sys.argv[1:7]
HERE = bl.HERE


def provision():
    c = bl.Conn(BASE)
    token = bl.admin_token(BASE, ADMIN_ID, ADMIN_SECRET)
    out = {}
    for realm, alg in (("oidc-es", "ES256"), ("oidc-rs", "RS256")):
        bl.admin(c, token, "POST", "/realms",
                 {"name": realm, "settings": {"default_signing_alg": alg}})
        svc = bl.admin(c, token, "POST", f"/realms/{realm}/clients",
                       {"client_id": "svc", "grant_types": ["client_credentials"]})
        out[alg] = bl.basic("svc", svc["client_secret"])
    bl.admin(c, token, "POST", "/realms/oidc-es/users",
             {"username": "alice", "password": bl.PASSWORD})
    web = bl.admin(c, token, "POST", "/realms/oidc-es/clients",
                   {"client_id": "web", "redirect_uris": [bl.REDIRECT],
                    "grant_types": ["authorization_code", "refresh_token"],
                    "scopes": ["openid", "profile"], "consent_required": False})
    out["web"] = bl.basic("web", web["client_secret"])
    return out


def login(web_basic):
    """One full login; returns the token response."""
    return bl.idm_login(BASE, "oidc-es", "web", web_basic)


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
    c = bl.Conn(BASE)
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
