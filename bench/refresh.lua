-- wrk script: refresh token rotation (RFC 6749 §6, RFC 9700 §4.14.2). Each wrk thread owns one
-- refresh-token chain (RTS: comma-separated initial tokens, one per thread; run with -c equal to
-- -t so a chain never has two requests in flight) and presents the newest token every time.
local next_id = 0
function setup(thread)
  next_id = next_id + 1
  thread:set("id", next_id)
end

function init(args)
  local tokens = {}
  for t in string.gmatch(os.getenv("RTS"), "[^,]+") do table.insert(tokens, t) end
  rt = tokens[id]
  headers = {["Content-Type"] = "application/x-www-form-urlencoded",
             ["Authorization"] = "Basic " .. os.getenv("BASIC")}
end

function request()
  return wrk.format("POST", nil, headers, "grant_type=refresh_token&refresh_token=" .. rt)
end

function response(status, headers_, body)
  if status == 200 then
    local t = string.match(body, '"refresh_token":"([^"]+)"')
    if t then rt = t end
  end
end
