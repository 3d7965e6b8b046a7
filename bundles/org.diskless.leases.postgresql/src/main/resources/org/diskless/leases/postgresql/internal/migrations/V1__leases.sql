-- One row per address: the primary key is what makes an address impossible to lease to two
-- clients at once, whichever servers commit and in whatever order. Who may replace a row is
-- decided by the upsert in SqlLeaseWriter, under the row lock the key gives it.
CREATE TABLE lease (
    address     inet        PRIMARY KEY CHECK (family(address) = 4 AND masklen(address) = 32),
    client_id   text        NOT NULL,
    hw_type     smallint    NOT NULL CHECK (hw_type BETWEEN 0 AND 255),
    hw_address  bytea       NOT NULL CHECK (length(hw_address) BETWEEN 1 AND 16),
    starts      timestamptz NOT NULL,
    expires     timestamptz NOT NULL,
    state       text        NOT NULL CHECK (state IN ('OFFERED', 'BOUND', 'RELEASED', 'DECLINED')),
    -- Taken from lease_version under the row lock, so for one address it grows in commit order:
    -- a cache that sees two changes of a row out of order keeps the newer.
    version     bigint      NOT NULL,
    CHECK (expires >= starts)
);

CREATE INDEX lease_client_id ON lease (client_id);
CREATE INDEX lease_expires ON lease (expires);

CREATE SEQUENCE lease_version;

-- Every change, whoever makes it (a server, the import, an operator with psql), reaches every
-- server's cache at commit: NOTIFY is delivered only once the transaction has committed.
CREATE FUNCTION lease_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM pg_notify('diskless_lease', concat_ws(' ', 'D', OLD.version, host(OLD.address)));
        RETURN OLD;
    END IF;
    PERFORM pg_notify('diskless_lease', concat_ws(' ', 'U', NEW.version, host(NEW.address), NEW.hw_type,
        encode(NEW.hw_address, 'hex'), (extract(epoch FROM NEW.starts) * 1000000)::bigint,
        (extract(epoch FROM NEW.expires) * 1000000)::bigint, NEW.state, NEW.client_id));
    RETURN NEW;
END
$$;

CREATE TRIGGER lease_changed AFTER INSERT OR UPDATE OR DELETE ON lease
    FOR EACH ROW EXECUTE FUNCTION lease_notify();
