-- wrk script: POST a fixed form body (BODY) with an Authorization header (AUTHORIZATION), for the
-- token, introspection and similar endpoints of idm, the peer and the ceiling.
wrk.method = "POST"
wrk.body = os.getenv("BODY")
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = os.getenv("AUTHORIZATION")
