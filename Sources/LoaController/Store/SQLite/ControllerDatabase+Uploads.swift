import GRDB

/// Which upload (the SHA-256 of the bytes as received) became which bulletin under which
/// processing profile, so the same file sent again is answered from here instead of being
/// decoded and encoded again. Another profile (a new bitrate or loudness target) processes again.
extension ControllerDatabase {
    static let bulletinUploadsSQL = """
        CREATE TABLE bulletin_upload (
            upload_sha256 TEXT NOT NULL CHECK \(isHex("upload_sha256")),
            profile TEXT NOT NULL CHECK (length(profile) > 0),
            bulletin_sha256 TEXT NOT NULL REFERENCES bulletin(sha256) ON DELETE CASCADE,
            recorded_at INTEGER NOT NULL,
            PRIMARY KEY (upload_sha256, profile)
        );
        CREATE INDEX bulletin_upload_bulletin ON bulletin_upload(bulletin_sha256);
        """

    public func bulletin(forUpload uploadSHA256: String, profile: String) async throws(StoreError) -> Bulletin? {
        try await read { db in
            try Row.fetchOne(db, sql: """
                SELECT bulletin.* FROM bulletin_upload JOIN bulletin ON bulletin.sha256 = bulletin_upload.bulletin_sha256
                WHERE upload_sha256 = ? AND profile = ?
                """, arguments: [uploadSHA256, profile]).map(Bulletin.init(row:))
        }
    }

    public func recordUpload(_ uploadSHA256: String, profile: String, bulletin sha256: String) async throws(StoreError) {
        guard Bulletin.isValidSHA256(uploadSHA256) else {
            throw .invalid(kind: "upload", id: uploadSHA256, reason: "not a lowercase hex SHA-256")
        }
        let now = options.now().millisecondsSince1970
        try await write { db in
            try db.execute(sql: """
                INSERT INTO bulletin_upload (upload_sha256, profile, bulletin_sha256, recorded_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (upload_sha256, profile) DO UPDATE SET bulletin_sha256 = excluded.bulletin_sha256
                """, arguments: [uploadSHA256, profile, sha256, now])
        }
    }
}
