-- 004_graph: indexes the graph lists need beyond 002_domain's.

-- the sent-requests list, newest first (GET /user/connection/requests_sent/)
CREATE INDEX connection_requests_from ON connection_requests (from_user_id, created_us);

-- the hidden-users list, newest first (GET /user/hidden_users/)
CREATE INDEX hides_user_created ON hides (user_id, created_us);
