-- wrk script: the client credentials grant (RFC 6749 §4.4) with client_secret_basic.
-- BASIC: base64 of "client_id:secret".
wrk.method = "POST"
wrk.body = "grant_type=client_credentials"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic " .. os.getenv("BASIC")
