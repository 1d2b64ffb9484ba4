import NIOConcurrencyHelpers

/// The connected gateways, keyed by gateway id. Lookups are by key; nothing here walks every
/// gateway on an event.
public final class SessionRegistry: Sendable {
    private let links = NIOLockedValueBox<[String: GatewayConnection]>([:])

    public init() {}

    /// Registers a new session; returns the older session of the same gateway, which the caller closes.
    func register(_ link: GatewayConnection) -> GatewayConnection? {
        links.withLockedValue { links in
            let previous = links[link.gatewayID]
            links[link.gatewayID] = link
            return previous === link ? nil : previous
        }
    }

    /// Removes the session unless a newer one has replaced it; true when it was the current one.
    @discardableResult
    func remove(_ link: GatewayConnection) -> Bool {
        links.withLockedValue { links in
            guard links[link.gatewayID] === link else { return false }
            links[link.gatewayID] = nil
            return true
        }
    }

    public func link(for gatewayID: String) -> GatewayConnection? {
        links.withLockedValue { $0[gatewayID] }
    }

    /// How many gateways are connected now.
    public var count: Int { links.withLockedValue { $0.count } }

    public func isOnline(_ gatewayID: String) -> Bool { link(for: gatewayID) != nil }

    /// For status pages and shutdown, not for event handling.
    public var all: [GatewayConnection] {
        links.withLockedValue { Array($0.values) }
    }
}
