import GRDB

extension ControllerDatabase {
    /// The schema, one registered migration per released version. Never edit a released
    /// migration; add the next one. Instants are integer milliseconds since 1970 UTC; local
    /// dates are `YYYY-MM-DD` text; times of day are seconds since local midnight.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-areas-gateways-users") { db in
            try db.execute(sql: areasGatewaysUsersSQL)
        }
        migrator.registerMigration("v1-bulletins-schedules-announcements") { db in
            try db.execute(sql: bulletinsSchedulesAnnouncementsSQL)
        }
        migrator.registerMigration("v1-logs") { db in
            try db.execute(sql: logsSQL)
        }
        migrator.registerMigration("v2-api-tokens-play-kinds") { db in
            try db.execute(sql: apiTokensPlayKindsSQL)
        }
        migrator.registerMigration("v3-live-streams") { db in
            try db.execute(sql: liveStreamsSQL)
        }
        migrator.registerMigration("v4-bulletin-uploads") { db in
            try db.execute(sql: bulletinUploadsSQL)
        }
        migrator.registerMigration("v5-play-event-detail-origin") { db in
            try db.execute(sql: playEventDetailOriginSQL)
        }
        migrator.registerMigration("v6-live-relay-url") { db in
            try db.execute(sql: liveRelayURLSQL)
        }
        migrator.registerMigration("v7-live-listen-key-capture") { db in
            try db.execute(sql: liveListenKeySQL)
        }
        migrator.registerMigration("v8-relay-schedules") { db in
            try db.execute(sql: relaySchedulesSQL)
        }
        migrator.registerMigration("v9-programs") { db in
            try db.execute(sql: programsSQL)
        }
        migrator.registerMigration("v10-dispatches") { db in
            try db.execute(sql: dispatchesSQL)
        }
        migrator.registerMigration("v11-presence-report") { db in
            try db.execute(sql: reportSQL)
        }
        migrator.registerMigration("v12-upstream-link") { db in
            try db.execute(sql: upstreamLinkSQL)
        }
        migrator.registerMigration("v13-user-disabled") { db in
            // Milliseconds since 1970 while an admin has the account disabled; NULL when enabled.
            try db.execute(sql: "ALTER TABLE user_account ADD COLUMN disabled_at INTEGER")
        }
        migrator.registerMigration("v14-program-relays") { db in
            try db.execute(sql: programRelaysSQL)
        }
        return migrator
    }

    static func isHex(_ column: String) -> String {
        "(length(\(column)) = 64 AND \(column) NOT GLOB '*[^0-9a-f]*')"
    }

    private static let areasGatewaysUsersSQL = """
        CREATE TABLE area (
            id TEXT NOT NULL PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64),
            name TEXT NOT NULL CHECK (length(name) > 0),
            kind TEXT NOT NULL CHECK (kind IN ('province', 'district', 'commune')),
            parent_id TEXT REFERENCES area(id) ON DELETE RESTRICT,
            CHECK ((kind = 'province') = (parent_id IS NULL))
        );
        CREATE INDEX area_parent ON area(parent_id);
        CREATE TRIGGER area_parent_kind_insert BEFORE INSERT ON area WHEN NEW.parent_id IS NOT NULL
        BEGIN
            SELECT RAISE(ABORT, 'area: a district belongs under a province, a commune under a district or province')
            WHERE EXISTS (SELECT 1 FROM area p WHERE p.id = NEW.parent_id AND NOT (
                (NEW.kind = 'district' AND p.kind = 'province')
                OR (NEW.kind = 'commune' AND p.kind IN ('district', 'province'))));
        END;
        CREATE TRIGGER area_parent_kind_update BEFORE UPDATE OF parent_id ON area WHEN NEW.parent_id IS NOT NULL
        BEGIN
            SELECT RAISE(ABORT, 'area: a district belongs under a province, a commune under a district or province')
            WHERE EXISTS (SELECT 1 FROM area p WHERE p.id = NEW.parent_id AND NOT (
                (NEW.kind = 'district' AND p.kind = 'province')
                OR (NEW.kind = 'commune' AND p.kind IN ('district', 'province'))));
        END;
        CREATE TRIGGER area_kind_fixed BEFORE UPDATE OF kind ON area WHEN NEW.kind <> OLD.kind
        BEGIN
            SELECT RAISE(ABORT, 'area: the kind of an area cannot change');
        END;

        CREATE TABLE gateway (
            id TEXT NOT NULL PRIMARY KEY
                CHECK (length(id) BETWEEN 1 AND 64 AND id NOT GLOB '*[^a-z0-9-]*' AND id NOT GLOB '-*'),
            name TEXT NOT NULL CHECK (length(name) > 0),
            area_id TEXT NOT NULL REFERENCES area(id) ON DELETE RESTRICT,
            latitude REAL CHECK (latitude BETWEEN -90 AND 90),
            longitude REAL CHECK (longitude BETWEEN -180 AND 180),
            created_at INTEGER NOT NULL,
            last_seen_at INTEGER,
            secret_sealed BLOB NOT NULL CHECK (length(secret_sealed) > 28),
            schedule_version INTEGER NOT NULL DEFAULT 1 CHECK (schedule_version >= 1),
            CHECK ((latitude IS NULL) = (longitude IS NULL))
        );
        CREATE INDEX gateway_area ON gateway(area_id);
        CREATE TRIGGER gateway_in_commune_insert BEFORE INSERT ON gateway
        BEGIN
            SELECT RAISE(ABORT, 'gateway: its area must be a commune')
            WHERE EXISTS (SELECT 1 FROM area WHERE id = NEW.area_id AND kind <> 'commune');
        END;
        CREATE TRIGGER gateway_in_commune_update BEFORE UPDATE OF area_id ON gateway
        BEGIN
            SELECT RAISE(ABORT, 'gateway: its area must be a commune')
            WHERE EXISTS (SELECT 1 FROM area WHERE id = NEW.area_id AND kind <> 'commune');
        END;

        CREATE TABLE user_account (
            username TEXT NOT NULL PRIMARY KEY
                CHECK (length(username) BETWEEN 1 AND 64 AND username NOT GLOB '*[^a-z0-9._-]*'),
            password_hash TEXT NOT NULL CHECK (password_hash LIKE '$scrypt$%'),
            role TEXT NOT NULL CHECK (role IN ('admin', 'operator', 'broadcaster', 'technician')),
            area_id TEXT REFERENCES area(id) ON DELETE RESTRICT,
            created_at INTEGER NOT NULL
        );
        CREATE INDEX user_account_area ON user_account(area_id);
        """

    private static let bulletinsSchedulesAnnouncementsSQL = """
        CREATE TABLE bulletin (
            sha256 TEXT NOT NULL PRIMARY KEY CHECK \(isHex("sha256")),
            title TEXT NOT NULL CHECK (length(title) > 0),
            duration_ms INTEGER NOT NULL CHECK (duration_ms > 0),
            loudness_lufs REAL NOT NULL CHECK (loudness_lufs BETWEEN -70 AND 0),
            byte_size INTEGER NOT NULL CHECK (byte_size > 0),
            state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'approved', 'archived')),
            created_by TEXT NOT NULL REFERENCES user_account(username),
            created_at INTEGER NOT NULL,
            approved_by TEXT REFERENCES user_account(username),
            approved_at INTEGER,
            archived_at INTEGER,
            CHECK ((approved_by IS NULL) = (approved_at IS NULL)),
            CHECK (state <> 'approved' OR approved_at IS NOT NULL),
            CHECK ((state = 'archived') = (archived_at IS NOT NULL))
        );
        CREATE INDEX bulletin_state ON bulletin(state, created_at);
        CREATE TRIGGER bulletin_transition BEFORE UPDATE OF state ON bulletin
        WHEN NOT (OLD.state = NEW.state
            OR (OLD.state = 'draft' AND NEW.state IN ('approved', 'archived'))
            OR (OLD.state = 'approved' AND NEW.state = 'archived'))
        BEGIN
            SELECT RAISE(ABORT, 'bulletin: state transition not allowed');
        END;

        CREATE TABLE schedule_entry (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            bulletin_sha256 TEXT NOT NULL REFERENCES bulletin(sha256) ON DELETE RESTRICT,
            recurrence TEXT NOT NULL CHECK (recurrence IN ('once', 'daily', 'weekly')),
            weekdays INTEGER NOT NULL DEFAULT 0 CHECK (weekdays BETWEEN 0 AND 127),
            time_of_day INTEGER NOT NULL CHECK (time_of_day BETWEEN 0 AND 86399),
            valid_from TEXT NOT NULL CHECK (date(valid_from, '+0 days') IS valid_from),
            valid_to TEXT CHECK (valid_to IS NULL OR (date(valid_to, '+0 days') IS valid_to AND valid_to >= valid_from)),
            priority INTEGER NOT NULL CHECK (priority BETWEEN 0 AND 255),
            repeat_count INTEGER NOT NULL DEFAULT 1 CHECK (repeat_count BETWEEN 1 AND 100),
            on_busy TEXT NOT NULL CHECK (on_busy IN ('preempt', 'queue', 'drop')),
            on_interrupt TEXT NOT NULL CHECK (on_interrupt IN ('resume', 'restart', 'drop')),
            created_by TEXT NOT NULL REFERENCES user_account(username),
            created_at INTEGER NOT NULL,
            CHECK ((recurrence = 'weekly') = (weekdays <> 0)),
            CHECK (recurrence <> 'once' OR valid_to IS NULL OR valid_to = valid_from)
        );
        CREATE INDEX schedule_entry_bulletin ON schedule_entry(bulletin_sha256);
        CREATE TABLE schedule_area (
            schedule_id INTEGER NOT NULL REFERENCES schedule_entry(id) ON DELETE CASCADE,
            area_id TEXT NOT NULL REFERENCES area(id) ON DELETE RESTRICT,
            PRIMARY KEY (schedule_id, area_id)
        ) WITHOUT ROWID;
        CREATE INDEX schedule_area_area ON schedule_area(area_id);
        CREATE TABLE schedule_gateway (
            schedule_id INTEGER NOT NULL REFERENCES schedule_entry(id) ON DELETE CASCADE,
            gateway_id TEXT NOT NULL REFERENCES gateway(id) ON DELETE RESTRICT,
            PRIMARY KEY (schedule_id, gateway_id)
        ) WITHOUT ROWID;
        CREATE INDEX schedule_gateway_gateway ON schedule_gateway(gateway_id);

        CREATE TABLE announcement (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            bulletin_sha256 TEXT REFERENCES bulletin(sha256) ON DELETE RESTRICT,
            content_sha256 TEXT CHECK (content_sha256 IS NULL OR \(isHex("content_sha256"))),
            priority INTEGER NOT NULL CHECK (priority BETWEEN 0 AND 255),
            start_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            created_by TEXT NOT NULL REFERENCES user_account(username),
            created_at INTEGER NOT NULL,
            stopped_at INTEGER,
            stopped_by TEXT,
            CHECK ((bulletin_sha256 IS NULL) <> (content_sha256 IS NULL)),
            CHECK (expires_at > start_at),
            CHECK ((stopped_at IS NULL) = (stopped_by IS NULL))
        );
        CREATE INDEX announcement_live ON announcement(expires_at) WHERE stopped_at IS NULL;
        CREATE TABLE announcement_area (
            announcement_id INTEGER NOT NULL REFERENCES announcement(id) ON DELETE CASCADE,
            area_id TEXT NOT NULL REFERENCES area(id) ON DELETE RESTRICT,
            PRIMARY KEY (announcement_id, area_id)
        ) WITHOUT ROWID;
        CREATE TABLE announcement_gateway (
            announcement_id INTEGER NOT NULL REFERENCES announcement(id) ON DELETE CASCADE,
            gateway_id TEXT NOT NULL REFERENCES gateway(id) ON DELETE RESTRICT,
            PRIMARY KEY (announcement_id, gateway_id)
        ) WITHOUT ROWID;
        """

    private static let logsSQL = """
        CREATE TABLE play_event (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            event_id TEXT NOT NULL UNIQUE CHECK (length(event_id) BETWEEN 1 AND 64),
            gateway_id TEXT NOT NULL REFERENCES gateway(id) ON DELETE RESTRICT,
            item_id TEXT NOT NULL,
            bulletin_sha256 TEXT CHECK (bulletin_sha256 IS NULL OR \(isHex("bulletin_sha256"))),
            kind TEXT NOT NULL CHECK (kind IN ('started', 'finished', 'interrupted', 'dropped', 'missed')),
            at INTEGER NOT NULL,
            position_ms INTEGER NOT NULL DEFAULT 0 CHECK (position_ms >= 0),
            received_at INTEGER NOT NULL
        );
        CREATE INDEX play_event_at ON play_event(at, seq);
        CREATE INDEX play_event_gateway ON play_event(gateway_id, at, seq);
        CREATE INDEX play_event_bulletin ON play_event(bulletin_sha256, at, seq);

        CREATE TABLE health_latest (
            gateway_id TEXT NOT NULL PRIMARY KEY REFERENCES gateway(id) ON DELETE CASCADE,
            at INTEGER NOT NULL,
            report TEXT NOT NULL CHECK (json_valid(report))
        );
        CREATE TABLE health_history (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            gateway_id TEXT NOT NULL REFERENCES gateway(id) ON DELETE CASCADE,
            at INTEGER NOT NULL,
            report TEXT NOT NULL CHECK (json_valid(report))
        );
        CREATE INDEX health_history_gateway ON health_history(gateway_id, seq);

        CREATE TABLE audit_entry (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            at INTEGER NOT NULL,
            actor TEXT NOT NULL CHECK (length(actor) > 0),
            action TEXT NOT NULL CHECK (length(action) > 0),
            target TEXT NOT NULL,
            address TEXT,
            details TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(details) AND json_type(details) = 'object')
        );
        CREATE INDEX audit_entry_at ON audit_entry(at);
        CREATE TRIGGER audit_entry_append_only_update BEFORE UPDATE ON audit_entry
        BEGIN
            SELECT RAISE(ABORT, 'audit_entry: the audit log is append-only');
        END;
        CREATE TRIGGER audit_entry_append_only_delete BEFORE DELETE ON audit_entry
        BEGIN
            SELECT RAISE(ABORT, 'audit_entry: the audit log is append-only');
        END;
        """

    /// v2: login tokens for the HTTP API (only their SHA-256 is stored, so a copy of the
    /// database does not log anyone in), and the as-played kinds `resumed` and `failed`
    /// (SQLite cannot change a CHECK, so `play_event` is rebuilt with its rows and ids).
    private static let apiTokensPlayKindsSQL = """
        CREATE TABLE api_token (
            token_sha256 TEXT NOT NULL PRIMARY KEY CHECK \(isHex("token_sha256")),
            username TEXT NOT NULL REFERENCES user_account(username) ON DELETE CASCADE,
            created_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL CHECK (expires_at > created_at),
            address TEXT
        );
        CREATE INDEX api_token_expiry ON api_token(expires_at);
        CREATE INDEX api_token_user ON api_token(username);

        CREATE TABLE play_event_v2 (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            event_id TEXT NOT NULL UNIQUE CHECK (length(event_id) BETWEEN 1 AND 64),
            gateway_id TEXT NOT NULL REFERENCES gateway(id) ON DELETE RESTRICT,
            item_id TEXT NOT NULL,
            bulletin_sha256 TEXT CHECK (bulletin_sha256 IS NULL OR \(isHex("bulletin_sha256"))),
            kind TEXT NOT NULL CHECK (kind IN ('started', 'finished', 'interrupted', 'resumed', 'dropped', 'missed', 'failed')),
            at INTEGER NOT NULL,
            position_ms INTEGER NOT NULL DEFAULT 0 CHECK (position_ms >= 0),
            received_at INTEGER NOT NULL
        );
        INSERT INTO play_event_v2 (seq, event_id, gateway_id, item_id, bulletin_sha256, kind, at, position_ms, received_at)
            SELECT seq, event_id, gateway_id, item_id, bulletin_sha256, kind, at, position_ms, received_at FROM play_event;
        DROP TABLE play_event;
        ALTER TABLE play_event_v2 RENAME TO play_event;
        CREATE INDEX play_event_at ON play_event(at, seq);
        CREATE INDEX play_event_gateway ON play_event(gateway_id, at, seq);
        CREATE INDEX play_event_bulletin ON play_event(bulletin_sha256, at, seq);
        """

    /// v6: a live stream may be a relay: the controller pulls `relay_url` instead of waiting for
    /// an encoder to push. Only http and https, at most 2000 characters.
    private static let liveRelayURLSQL = """
        ALTER TABLE live_stream ADD COLUMN relay_url TEXT
            CHECK (relay_url IS NULL OR (length(relay_url) BETWEEN 8 AND 2000
                   AND (relay_url LIKE 'http://%' OR relay_url LIKE 'https://%')));
        """

    /// v7: a live stream's listen key (`GET /api/v1/live/{id}/listen?key=…`), as text: it only
    /// lets its holder hear the stream, and operators who can see the stream are shown it; and
    /// the capture PCM of a stream the controller records from its microphone.
    private static let liveListenKeySQL = """
        ALTER TABLE live_stream ADD COLUMN listen_key TEXT CHECK (listen_key IS NULL OR length(listen_key) BETWEEN 16 AND 64);
        ALTER TABLE live_stream ADD COLUMN capture_device TEXT CHECK (capture_device IS NULL OR length(capture_device) BETWEEN 1 AND 200);
        """

    /// v8: scheduled relays (one area each, its subtree hears them) and, on a live stream, the
    /// relay rule and window it was opened for.
    private static let relaySchedulesSQL = """
        CREATE TABLE relay_schedule (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            area_id TEXT NOT NULL REFERENCES area(id) ON DELETE RESTRICT,
            title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
            relay_url TEXT NOT NULL CHECK (length(relay_url) BETWEEN 8 AND 2000 AND (relay_url LIKE 'http://%' OR relay_url LIKE 'https://%')),
            recurrence TEXT NOT NULL CHECK (recurrence IN ('once', 'daily', 'weekly')),
            weekdays INTEGER NOT NULL DEFAULT 0 CHECK (weekdays BETWEEN 0 AND 127),
            time_of_day INTEGER NOT NULL CHECK (time_of_day BETWEEN 0 AND 86399),
            valid_from TEXT NOT NULL CHECK (date(valid_from, '+0 days') IS valid_from),
            valid_to TEXT CHECK (valid_to IS NULL OR (date(valid_to, '+0 days') IS valid_to AND valid_to >= valid_from)),
            duration_seconds INTEGER NOT NULL CHECK (duration_seconds BETWEEN 10 AND 21600),
            priority INTEGER NOT NULL CHECK (priority BETWEEN 0 AND 199),
            on_busy TEXT NOT NULL CHECK (on_busy IN ('preempt', 'queue', 'drop')),
            on_interrupt TEXT NOT NULL CHECK (on_interrupt IN ('resume', 'restart', 'drop')),
            fallback_sha256 TEXT REFERENCES bulletin(sha256) ON DELETE RESTRICT,
            created_by TEXT NOT NULL REFERENCES user_account(username),
            created_at INTEGER NOT NULL,
            CHECK ((recurrence = 'weekly') = (weekdays <> 0)),
            CHECK (recurrence <> 'once' OR valid_to IS NULL OR valid_to = valid_from)
        );
        CREATE INDEX relay_schedule_area ON relay_schedule(area_id);
        ALTER TABLE live_stream ADD COLUMN relay_schedule_id INTEGER REFERENCES relay_schedule(id) ON DELETE SET NULL;
        ALTER TABLE live_stream ADD COLUMN window_start INTEGER;
        """

    /// v3: live streams. AUTOINCREMENT so a stream id (the protocol's `streamId`) is never
    /// reused, even after the newest row is gone; only the source key's SHA-256 is stored.
    private static let liveStreamsSQL = """
        CREATE TABLE live_stream (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            area_id TEXT NOT NULL REFERENCES area(id) ON DELETE RESTRICT,
            title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
            priority INTEGER NOT NULL CHECK (priority BETWEEN 0 AND 255),
            on_busy TEXT NOT NULL CHECK (on_busy IN ('preempt', 'queue', 'drop')),
            on_interrupt TEXT NOT NULL CHECK (on_interrupt IN ('resume', 'restart', 'drop')),
            state TEXT NOT NULL CHECK (state IN ('waiting', 'on-air', 'ended')),
            created_by TEXT NOT NULL REFERENCES user_account(username),
            created_at INTEGER NOT NULL,
            started_at INTEGER,
            ended_at INTEGER,
            end_reason TEXT,
            source_key_sha256 TEXT NOT NULL CHECK \(isHex("source_key_sha256")),
            bytes_received INTEGER NOT NULL DEFAULT 0 CHECK (bytes_received >= 0),
            CHECK ((state = 'ended') = (ended_at IS NOT NULL)),
            CHECK ((ended_at IS NULL) = (end_reason IS NULL))
        );
        CREATE INDEX live_stream_active ON live_stream(state) WHERE state <> 'ended';
        """

    /// v5: proof of play. Each event keeps the gateway's `detail` (what the gateway said, at most
    /// 200 characters) and who recorded it: `gateway`, or `controller` for an occurrence the
    /// controller marked missed because the gateway was offline for its whole window (deleted when
    /// the gateway reports the occurrence itself). The index serves both that and the outcomes.
    private static let playEventDetailOriginSQL = """
        ALTER TABLE play_event ADD COLUMN detail TEXT CHECK (detail IS NULL OR length(detail) <= 200);
        ALTER TABLE play_event ADD COLUMN origin TEXT NOT NULL DEFAULT 'gateway' CHECK (origin IN ('gateway', 'controller'));
        CREATE INDEX play_event_item ON play_event(gateway_id, item_id, at, seq);
        """
}
