-- wrk script: creates up to COUNT users through the admin API (POST .../realms/<realm>/users, the
-- URL given to wrk) with one wrk thread, then stops sending; TOKEN is an admin bearer token.
-- Usernames are seed-<8 digits> counting up from OFFSET, so a prefix such as "seed-0001234"
-- finds at most ten users. wrk still waits for its -d duration: bench/compare.py runs it in
-- chunks sized to the expected rate and moves OFFSET on by COUNT plus a margin between chunks
-- (requests in flight when the thread stops may still create users).
local count = tonumber(os.getenv("COUNT"))
local offset = tonumber(os.getenv("OFFSET") or "0")
local sent = 0
local done = 0

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("TOKEN") or "")

function request()
  sent = sent + 1
  return wrk.format(nil, nil, nil, string.format('{"username":"seed-%08d"}', offset + sent))
end

function response(status, headers, body)
  done = done + 1
  if done >= count then wrk.thread:stop() end
end
