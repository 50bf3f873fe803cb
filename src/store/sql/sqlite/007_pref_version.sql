-- A version of the preferences, bumped by every change of the prefs table
-- (by a server, `hearth pref set` or `hearth sql`): servers cache the
-- preferences and compare this one row once per request.
CREATE TABLE pref_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO pref_version (id, version) VALUES (1, 1);

CREATE TRIGGER prefs_version_insert AFTER INSERT ON prefs
BEGIN
    UPDATE pref_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER prefs_version_update AFTER UPDATE ON prefs
BEGIN
    UPDATE pref_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER prefs_version_delete AFTER DELETE ON prefs
BEGIN
    UPDATE pref_version SET version = version + 1 WHERE id = 1;
END;
