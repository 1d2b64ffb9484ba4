import GRDB

/// The schema's programs, dispatches and what the period report needs (issue 17), registered in
/// `migrator` as v9, v10 and v11. Never edit a released migration; add the next one.
extension ControllerDatabase {
    /// v11: when each gateway was connected (one row a session, a reconnect within a minute
    /// extending the last; the open one's end moves with every report), and the dispatch an
    /// emergency announcement was sent for — what a period report reads.
    static let reportSQL = """
        CREATE TABLE gateway_presence (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            gateway_id TEXT NOT NULL REFERENCES gateway(id) ON DELETE CASCADE,
            online_from INTEGER NOT NULL,
            online_to INTEGER NOT NULL,
            open INTEGER NOT NULL DEFAULT 1 CHECK (open IN (0, 1)),
            CHECK (online_to >= online_from)
        );
        CREATE INDEX gateway_presence_gateway ON gateway_presence(gateway_id, online_from);
        CREATE INDEX gateway_presence_to ON gateway_presence(online_to);
        ALTER TABLE announcement ADD COLUMN dispatch_id INTEGER REFERENCES dispatch(id) ON DELETE SET NULL;
        """

    /// v10: bulletins sent down by class, and what became of each in every commune reached.
    static let dispatchesSQL = """
        CREATE TABLE dispatch (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            bulletin_sha256 TEXT NOT NULL REFERENCES bulletin(sha256) ON DELETE RESTRICT,
            class TEXT NOT NULL CHECK (class IN ('normal', 'priority', 'emergency')),
            sender TEXT NOT NULL REFERENCES user_account(username),
            sender_area_id TEXT REFERENCES area(id) ON DELETE SET NULL,
            note TEXT CHECK (note IS NULL OR length(note) <= 500),
            program_id INTEGER REFERENCES program(id) ON DELETE SET NULL,
            repeat_count INTEGER NOT NULL DEFAULT 1 CHECK (repeat_count BETWEEN 1 AND 5),
            created_at INTEGER NOT NULL
        );
        CREATE TABLE dispatch_target (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            dispatch_id INTEGER NOT NULL REFERENCES dispatch(id) ON DELETE CASCADE,
            area_id TEXT NOT NULL REFERENCES area(id) ON DELETE RESTRICT,
            state TEXT NOT NULL CHECK (state IN ('delivered', 'seen', 'placed', 'declined', 'waiting', 'sent')),
            program_id INTEGER REFERENCES program(id) ON DELETE SET NULL,
            occurrence_date TEXT CHECK (occurrence_date IS NULL OR date(occurrence_date, '+0 days') IS occurrence_date),
            position INTEGER CHECK (position IS NULL OR position BETWEEN 1 AND 200),
            reason TEXT CHECK (reason IS NULL OR length(reason) <= 500),
            updated_by TEXT,
            updated_at INTEGER NOT NULL,
            UNIQUE (dispatch_id, area_id),
            CHECK (state <> 'placed' OR (occurrence_date IS NOT NULL AND position IS NOT NULL))
        );
        CREATE INDEX dispatch_target_area ON dispatch_target(area_id, state);
        CREATE INDEX dispatch_target_program ON dispatch_target(program_id, occurrence_date) WHERE program_id IS NOT NULL;
        """

    /// v9: programs (one area each, its subtree plays them) and their items in order. A
    /// bulletin a program plays cannot be deleted from under it.
    static let programsSQL = """
        CREATE TABLE program (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            area_id TEXT NOT NULL REFERENCES area(id) ON DELETE RESTRICT,
            name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
            recurrence TEXT NOT NULL CHECK (recurrence IN ('once', 'daily', 'weekly')),
            weekdays INTEGER NOT NULL DEFAULT 0 CHECK (weekdays BETWEEN 0 AND 127),
            time_of_day INTEGER NOT NULL CHECK (time_of_day BETWEEN 0 AND 86399),
            valid_from TEXT NOT NULL CHECK (date(valid_from, '+0 days') IS valid_from),
            valid_to TEXT CHECK (valid_to IS NULL OR (date(valid_to, '+0 days') IS valid_to AND valid_to >= valid_from)),
            planned_seconds INTEGER CHECK (planned_seconds IS NULL OR planned_seconds BETWEEN 10 AND 21600),
            overrun TEXT NOT NULL CHECK (overrun IN ('finish-item', 'play-on')),
            priority INTEGER NOT NULL CHECK (priority BETWEEN 0 AND 199),
            on_busy TEXT NOT NULL CHECK (on_busy IN ('preempt', 'queue', 'drop')),
            on_interrupt TEXT NOT NULL CHECK (on_interrupt IN ('resume', 'restart', 'drop')),
            created_by TEXT NOT NULL REFERENCES user_account(username),
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            CHECK ((recurrence = 'weekly') = (weekdays <> 0)),
            CHECK (recurrence <> 'once' OR valid_to IS NULL OR valid_to = valid_from)
        );
        CREATE INDEX program_area ON program(area_id);
        CREATE TABLE program_item (
            program_id INTEGER NOT NULL REFERENCES program(id) ON DELETE CASCADE,
            position INTEGER NOT NULL CHECK (position BETWEEN 1 AND 100),
            kind TEXT NOT NULL CHECK (kind IN ('bulletin', 'jingle', 'pause')),
            bulletin_sha256 TEXT REFERENCES bulletin(sha256) ON DELETE RESTRICT,
            pause_seconds INTEGER CHECK (pause_seconds IS NULL OR pause_seconds BETWEEN 1 AND 600),
            PRIMARY KEY (program_id, position),
            CHECK ((kind = 'pause') = (bulletin_sha256 IS NULL)),
            CHECK ((kind = 'pause') = (pause_seconds IS NOT NULL))
        ) WITHOUT ROWID;
        CREATE INDEX program_item_bulletin ON program_item(bulletin_sha256) WHERE bulletin_sha256 IS NOT NULL;
        """

    /// Relay items in programs: `program_item` rebuilt (SQLite cannot widen a CHECK) with the
    /// relay's URL, title and length (its fallback in `bulletin_sha256`); a live stream opened for one says which program
    /// item it plays (`program-<id>.<position>`), so its as-played events name the place. And a
    /// program's cutover (`ProgramCutover`): an edit made while an occurrence was on air.
    static let programRelaysSQL = """
        CREATE TABLE program_item_v14 (
            program_id INTEGER NOT NULL REFERENCES program(id) ON DELETE CASCADE,
            position INTEGER NOT NULL CHECK (position BETWEEN 1 AND 100),
            kind TEXT NOT NULL CHECK (kind IN ('bulletin', 'jingle', 'pause', 'relay')),
            bulletin_sha256 TEXT REFERENCES bulletin(sha256) ON DELETE RESTRICT,
            pause_seconds INTEGER CHECK (pause_seconds IS NULL OR pause_seconds BETWEEN 1 AND 600),
            relay_url TEXT CHECK (relay_url IS NULL OR length(relay_url) BETWEEN 1 AND 2048),
            relay_title TEXT CHECK (relay_title IS NULL OR length(relay_title) BETWEEN 1 AND 200),
            relay_seconds INTEGER CHECK (relay_seconds IS NULL OR relay_seconds BETWEEN 10 AND 21600),
            PRIMARY KEY (program_id, position),
            CHECK (kind NOT IN ('bulletin', 'jingle') OR bulletin_sha256 IS NOT NULL),
            CHECK (kind <> 'pause' OR bulletin_sha256 IS NULL),
            CHECK ((kind = 'pause') = (pause_seconds IS NOT NULL)),
            CHECK ((kind = 'relay') = (relay_url IS NOT NULL AND relay_title IS NOT NULL AND relay_seconds IS NOT NULL))
        ) WITHOUT ROWID;
        INSERT INTO program_item_v14 (program_id, position, kind, bulletin_sha256, pause_seconds)
            SELECT program_id, position, kind, bulletin_sha256, pause_seconds FROM program_item;
        DROP TABLE program_item;
        ALTER TABLE program_item_v14 RENAME TO program_item;
        CREATE INDEX program_item_bulletin ON program_item(bulletin_sha256) WHERE bulletin_sha256 IS NOT NULL;
        ALTER TABLE live_stream ADD COLUMN program_item TEXT CHECK (program_item IS NULL OR length(program_item) <= 64);
        ALTER TABLE program ADD COLUMN cutover_date TEXT;
        ALTER TABLE program ADD COLUMN cutover_after INTEGER CHECK (cutover_after IS NULL OR cutover_after BETWEEN 0 AND 100);
        ALTER TABLE program ADD COLUMN cutover_resume_ms INTEGER CHECK (cutover_resume_ms IS NULL OR cutover_resume_ms >= 0);
        ALTER TABLE program ADD COLUMN cutover_target INTEGER;
        """
}
