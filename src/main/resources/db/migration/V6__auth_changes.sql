-- Each replica keeps the callers of recently used keys in memory (auth/CallerCache), so that a request needs no
-- database round trip before its own statement. Every change that can take access away or give it (a key revoked
-- or changed, a membership added or removed, by the API or by hand) moves auth_version in its own transaction;
-- each replica reads it several times a second and forgets every caller it keeps when it moved.
CREATE TABLE auth_version (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    version   bigint  NOT NULL
);
INSERT INTO auth_version (singleton, version) VALUES (true, 0);

CREATE FUNCTION auth_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE auth_version SET version = version + 1;
    RETURN NULL;
END
$$;

CREATE TRIGGER personal_api_keys_auth_changed AFTER UPDATE OR DELETE OR TRUNCATE ON personal_api_keys
    FOR EACH STATEMENT EXECUTE FUNCTION auth_changed();
CREATE TRIGGER project_members_auth_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON project_members
    FOR EACH STATEMENT EXECUTE FUNCTION auth_changed();
