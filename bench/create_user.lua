-- wrk script: POST a new user per request to .../realms/<realm>/users (the URL given to wrk).
-- The bearer token comes from the TOKEN environment variable (bench/run.sh sets it).
local counter = 0
local thread_id = 0
local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  thread_id = id
end

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("TOKEN") or "")

function request()
  counter = counter + 1
  local body = string.format('{"username":"u%d-%d-%d","email":"u%d-%d-%d@bench.example"}',
                             thread_id, counter, os.time(), thread_id, counter, os.time())
  return wrk.format(nil, nil, nil, body)
end
