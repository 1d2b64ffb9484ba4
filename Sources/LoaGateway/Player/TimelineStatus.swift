#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOConcurrencyHelpers

/// What the rate correction sees, for the rest of the gateway (health, the control socket):
/// the renderers write it after every measurement, anyone reads a `Snapshot`. One per gateway,
/// made by `GatewayDaemon` and handed to the player like its other dependencies. The card's
/// drift outlives an item, so the next item's corrector starts from it (`driftHint`).
public final class TimelineStatus: @unchecked Sendable {
    /// The corrector's view at its last measurement.
    public struct Snapshot: Sendable, Equatable {
        /// When it was measured (controller time); nil before the first paced play.
        public var measuredAt: Date?
        /// The item being corrected then.
        public var itemId: String?
        /// Filtered sync error against the time line: positive = the speaker is ahead, ms.
        public var errorMs = 0.0
        /// The last raw measurement of it, ms.
        public var rawErrorMs = 0.0
        /// The card's estimated drift against the controller's clock: positive = fast, ppm.
        public var driftPpm: Double?
        /// Frames inserted and deleted by the correction (re-joins included), since start.
        public var insertedFrames = 0
        public var deletedFrames = 0
        /// Re-joins (far off the line: skipped or silence written), since start.
        public var rejoins = 0

        public init() {}
    }

    private let lock = NIOLock()
    private var value = Snapshot()
    /// The last drift estimate the filter was sure of (within `hintSigmaPpm`).
    private var hint: Double?
    static let hintSigmaPpm = 10.0

    public init() {}

    public var snapshot: Snapshot { lock.withLock { value } }

    /// The drift to start the next item's corrector from.
    var driftHint: Double? { lock.withLock { hint } }

    /// A renderer's corrector measured: `before` is its estimate at the previous report (nil
    /// for the first of an item), so counts add up across items.
    func record(itemId: String, at: Date, estimate: RateCorrector.Estimate, before: RateCorrector.Estimate?) {
        lock.withLock {
            value.measuredAt = at
            value.itemId = itemId
            value.errorMs = estimate.errorMs
            value.rawErrorMs = estimate.rawErrorMs
            value.driftPpm = estimate.driftPpm
            if estimate.driftSigmaPpm < Self.hintSigmaPpm { hint = estimate.driftPpm }
            value.insertedFrames += estimate.inserted - (before?.inserted ?? 0)
            value.deletedFrames += estimate.deleted - (before?.deleted ?? 0)
            value.rejoins += estimate.rejoins - (before?.rejoins ?? 0)
        }
    }
}
