-- bench/search/search.lua - wrk script for the search benchmark.
--
-- Reads a request file (path in the first script argument): one request a
-- line, "user_id<TAB>token<TAB>key=value&key=value" with raw values. Every
-- wrk connection goes round the lines from its own starting point, so the
-- mix is the file's and no two connections send the same sequence.
local lines = {}

local function encode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local function load(path)
  local out = {}
  for line in io.lines(path) do
    local id, token, query = line:match("^(%d+)\t([^\t]+)\t(.*)$")
    if id then
      local parts = {}
      for key, value in query:gmatch("([^&=]+)=([^&]*)") do
        parts[#parts + 1] = key .. "=" .. encode(value)
      end
      out[#out + 1] = { token = token, path = "/api/v2/user/search/?" .. table.concat(parts, "&") }
    end
  end
  return out
end

local counter = 0

function init(args)
  lines = load(args[1])
  counter = math.random(1, #lines)
end

function request()
  counter = counter % #lines + 1
  local r = lines[counter]
  return wrk.format("GET", r.path, { ["Authorization"] = "Bearer " .. r.token })
end
