-- wrk script: admin user search by username prefix (GET PATH_USERS?q=PREFIX&limit=20) with a
-- different prefix each request among the seeded users (seed_users.lua names them
-- seed-<8 digits>; a 7-digit prefix matches at most ten). TOKEN is an admin bearer token; COUNT
-- how many were seeded.
local path = os.getenv("PATH_USERS")
local count = tonumber(os.getenv("COUNT") or "1000")
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("TOKEN") or "")

function request()
  local n = math.random(0, math.max(0, math.floor(count / 10) - 1))
  return wrk.format("GET", string.format("%s?q=seed-%07d&limit=20", path, n))
end
