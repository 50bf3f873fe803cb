-- bench/follow.lua - wrk script: POST the follow toggle (the path and the
-- Authorization header come from the command line).
wrk.method = "POST"
