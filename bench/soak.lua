-- bench/soak.lua - the mixed load of bench/soak.sh for wrk: 70 % reads
-- (a user, the user list, followers, autocomplete, me), 30 % writes (follow
-- toggles, profile edits), each as a random one of the writing users.
-- Reads SOAK_DIR/tokens ("id token" lines) and SOAK_DIR/ids (active user ids).

local dir = os.getenv("SOAK_DIR")
local tokens, ids = {}, {}

local function lines(path)
  local t = {}
  for l in io.lines(path) do t[#t + 1] = l end
  return t
end

function init(args)
  for _, l in ipairs(lines(dir .. "/tokens")) do
    local id, tok = l:match("^(%d+) (.+)$")
    tokens[#tokens + 1] = { id = id, auth = "Bearer " .. tok }
  end
  ids = lines(dir .. "/ids")
  math.randomseed(os.time() + math.floor(os.clock() * 1e6))
end

local words = { "river", "stone", "maple", "harbor", "lantern", "meadow", "copper", "willow" }

function request()
  local me = tokens[math.random(#tokens)]
  local other = ids[math.random(#ids)]
  local h = { ["Authorization"] = me.auth }
  local r = math.random(100)
  if r <= 25 then
    return wrk.format("GET", "/api/v2/user/" .. other .. "/", h)
  elseif r <= 40 then
    return wrk.format("GET", "/api/v2/user/?limit=20&offset=" .. math.random(0, 200), h)
  elseif r <= 55 then
    return wrk.format("GET", "/api/v2/user/" .. other .. "/followers/?limit=20", h)
  elseif r <= 63 then
    return wrk.format("GET", "/api/v2/user/autocomplete/?search=" .. words[math.random(#words)]:sub(1, 3), h)
  elseif r <= 70 then
    return wrk.format("GET", "/api/v2/user/me/", h)
  elseif r <= 90 then
    return wrk.format("POST", "/api/v2/user/" .. other .. "/follow/", h)
  else
    h["Content-Type"] = "application/json"
    local body = string.format('{"real_name":"%s %s","bio":"%s"}', words[math.random(#words)],
      words[math.random(#words)], string.rep(words[math.random(#words)] .. " ", math.random(1, 40)))
    return wrk.format("PATCH", "/api/v2/user/" .. me.id .. "/", h, body)
  end
end

local statuses = {}
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  io.write(string.format("soak: %d requests, %d errors (connect %d, read %d, write %d, timeout %d, status %d)\n",
    summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write +
    summary.errors.timeout + summary.errors.status, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.timeout, summary.errors.status))
  io.write(string.format("soak: latency p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
