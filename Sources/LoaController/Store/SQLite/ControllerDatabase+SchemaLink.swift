import GRDB

/// The link to the level above (issue 17, part 4), registered in `migrator` as v12.
/// Never edit a released migration; add the next one.
extension ControllerDatabase {
    /// v12. On the upstream: which offers (dispatch targets) a downstream acknowledged and what it
    /// reported of them, and the latest period report per downstream, area and period start. On the downstream: the cursor per upstream and one receipt per offer
    /// taken, written in the transaction that sends the offer down, so a repeat is recognised.
    static let upstreamLinkSQL = """
        CREATE TABLE link_offer_ack (
            target_id INTEGER PRIMARY KEY REFERENCES dispatch_target(id) ON DELETE CASCADE,
            link TEXT NOT NULL,
            acked_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE link_offer_status (
            target_id INTEGER PRIMARY KEY REFERENCES dispatch_target(id) ON DELETE CASCADE,
            link TEXT NOT NULL,
            state TEXT NOT NULL CHECK (length(state) BETWEEN 1 AND 32),
            reason TEXT CHECK (reason IS NULL OR length(reason) <= 500),
            plays TEXT NOT NULL,
            reported_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE link_cursor (
            upstream TEXT PRIMARY KEY,
            after_offer INTEGER NOT NULL CHECK (after_offer >= 0),
            updated_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE link_receipt (
            upstream TEXT NOT NULL,
            offer_id INTEGER NOT NULL CHECK (offer_id > 0),
            dispatch_id INTEGER REFERENCES dispatch(id) ON DELETE SET NULL,
            outcome TEXT NOT NULL CHECK (outcome IN ('taken', 'refused')),
            reason TEXT CHECK (reason IS NULL OR length(reason) <= 500),
            sender_level TEXT NOT NULL,
            received_at INTEGER NOT NULL,
            PRIMARY KEY (upstream, offer_id)
        ) WITHOUT ROWID;
        CREATE INDEX link_receipt_dispatch ON link_receipt(dispatch_id) WHERE dispatch_id IS NOT NULL;
        CREATE TABLE link_period_report (
            link TEXT NOT NULL,
            area_id TEXT NOT NULL REFERENCES area(id) ON DELETE CASCADE,
            period_from TEXT NOT NULL CHECK (date(period_from, '+0 days') IS period_from),
            period_to TEXT NOT NULL CHECK (date(period_to, '+0 days') IS period_to AND period_to >= period_from),
            report TEXT NOT NULL,
            received_at INTEGER NOT NULL,
            PRIMARY KEY (link, area_id, period_from)
        ) WITHOUT ROWID;
        """
}
