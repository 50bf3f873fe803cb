-- bench/lists.lua - wrk script for bench/lists.sh: each request's path is
-- the pattern with {r} replaced by a random integer from lo to hi, {n} by a
-- counter unique to this wrk thread and run (for signups).
-- usage: wrk -s bench/lists.lua URL -- METHOD PATTERN LO HI [BODY [TOKENS]]
-- TOKENS: a file of bearer tokens, one a line: each request is sent as a
-- random one of them (many callers; BODY "" for none).
local method, pattern, lo, hi, body
local tokens = nil
local counter = 0


function setup(thread)
  thread:set("tag", tostring(math.random(1, 1e9)))
end

function init(args)
  method, pattern, lo, hi, body = args[1], args[2], tonumber(args[3]), tonumber(args[4]), args[5]
  math.randomseed(os.time() + math.random(1, 1e6))
  if body == "" then
    body = nil
  end
  if body then
    wrk.headers["Content-Type"] = "application/json"
  end
  if args[6] then
    tokens = {}
    for line in io.lines(args[6]) do
      if line ~= "" then
        tokens[#tokens + 1] = "Bearer " .. line
      end
    end
  end
end

local function fill(s)
  counter = counter + 1
  s = s:gsub("{r}", function() return tostring(math.random(lo, hi)) end)
  return (s:gsub("{n}", (tag or "t") .. "x" .. counter))
end

function request()
  local headers = nil
  if tokens then
    headers = {}
    for k, v in pairs(wrk.headers) do
      headers[k] = v
    end
    headers["Authorization"] = tokens[math.random(1, #tokens)]
  end
  return wrk.format(method, fill(pattern), headers, body and fill(body) or nil)
end
