import Foundation
import LoaProtocol
import Logging
import NIOConcurrencyHelpers

/// Gateway secrets held in memory for the handshake, which runs on an event loop and so must not
/// wait for the database. `SecretPrefetchHandler` refreshes an entry when a hello arrives and the
/// entry is missing or older than `maxAge`; the handshake then reads it from here.
public final class GatewaySecretCache: GatewaySecretStore {
    /// Looks a secret up; nil for an unknown gateway; throws when the lookup itself failed.
    public typealias Loader = @Sendable (String) async throws -> [UInt8]?

    private struct Entry {
        var secret: [UInt8]?
        var fetchedAtMs: Int64
    }

    private let load: Loader
    private let entries = NIOLockedValueBox<[String: Entry]>([:])
    private let maxAgeMs: Int64
    private let maxEntries: Int
    private let logger: Logger

    public init(maxAgeSeconds: Int64 = 60, maxEntries: Int = 100_000, logger: Logger, load: @escaping Loader) {
        self.load = load
        self.maxAgeMs = maxAgeSeconds * 1000
        self.maxEntries = maxEntries
        self.logger = logger
    }

    /// A cache over the store's sealed secrets.
    public convenience init(store: any GatewayRepository, logger: Logger) {
        self.init(logger: logger) { id in
            do throws(StoreError) {
                return try await store.handshakeSecret(for: id).handshakeKey
            } catch .notFound {
                return nil
            }
        }
    }

    public func secret(forGateway id: String) -> [UInt8]? {
        entries.withLockedValue { $0[id]?.secret }
    }

    /// True when the entry (a secret or a known absence) is recent enough to answer a hello.
    public func isFresh(_ id: String, nowMs: Int64) -> Bool {
        entries.withLockedValue { entries in
            guard let entry = entries[id] else { return false }
            // A known absence is re-checked sooner, so a gateway registered a moment ago is let in.
            let limit = entry.secret == nil ? min(maxAgeMs, 10_000) : maxAgeMs
            return nowMs - entry.fetchedAtMs < limit
        }
    }

    /// Reads the secret from the store. A failed lookup keeps what was cached.
    public func refresh(_ id: String, nowMs: Int64) async {
        guard (1...64).contains(id.utf8.count) else { return }
        do {
            let secret = try await load(id)
            entries.withLockedValue { entries in
                if entries.count >= maxEntries { entries = entries.filter { $0.value.secret != nil } }
                entries[id] = Entry(secret: secret, fetchedAtMs: nowMs)
            }
        } catch {
            logger.warning("gateway secret lookup failed", metadata: ["gateway.id": "\(id)", "error": "\(error)"])
        }
    }

    /// Fills the cache with every registered gateway's secret, read at once at start: after a
    /// restart the whole fleet reconnects within the entries' `maxAge`, and each hello then
    /// finds its secret in memory instead of costing a database read (issue 14).
    public func preload(_ secrets: [String: [UInt8]], nowMs: Int64) {
        entries.withLockedValue { entries in
            for (id, secret) in secrets.prefix(maxEntries) { entries[id] = Entry(secret: secret, fetchedAtMs: nowMs) }
        }
    }

    /// Forget a gateway's secret (after rotation or removal); the next hello reads it again.
    public func invalidate(_ id: String) {
        _ = entries.withLockedValue { $0.removeValue(forKey: id) }
    }
}
