#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The schedule document exactly as the controller sent it (opaque JSON bytes) and its version.
public struct StoredSchedule: Hashable, Sendable {
    public let version: UInt64
    public let document: Data

    public init(version: UInt64, document: Data) {
        self.version = version
        self.document = document
    }
}
