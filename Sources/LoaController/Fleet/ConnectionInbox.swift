import NIOConcurrencyHelpers
import NIOCore

/// A gateway connection's events on their way to its worker (`GatewayFleet.serve`), bounded by
/// back-pressure (`InboxGauge`): the channel's `autoRead` goes off while too many wait, and on
/// again once the worker has caught up. Every decision is taken on the channel's event loop, so
/// a stop and a resume cannot overtake each other.
final class ConnectionInbox: Sendable {
    let events: AsyncStream<ConnectionEvent>
    private let continuation: AsyncStream<ConnectionEvent>.Continuation
    private let channel: any Channel
    private let gauge: NIOLockedValueBox<InboxGauge>

    init(channel: any Channel, gauge: InboxGauge = InboxGauge()) {
        (events, continuation) = AsyncStream.makeStream(of: ConnectionEvent.self)
        self.channel = channel
        self.gauge = NIOLockedValueBox(gauge)
    }

    /// Queues an event for the worker (from the channel's handler or from anywhere in the controller).
    func yield(_ event: ConnectionEvent) {
        continuation.yield(event)
        onLoop { gauge in gauge.queuedOne() }
    }

    /// The worker took one event.
    func consumed() {
        onLoop { gauge in gauge.consumedOne() }
    }

    /// No more events: the connection closed.
    func finish() {
        continuation.finish()
    }

    /// Events waiting for the worker, and whether the channel reads (for tests and logs).
    var state: InboxGauge { gauge.withLockedValue { $0 } }

    private func onLoop(_ step: @escaping @Sendable (inout InboxGauge) -> InboxGauge.Action) {
        let (channel, gauge) = (self.channel, self.gauge)
        let apply: @Sendable () -> Void = {
            switch gauge.withLockedValue(step) {
            case .none: break
            case .stopReading: channel.setOption(ChannelOptions.autoRead, value: false).whenFailure { _ in }
            case .resumeReading:
                channel.setOption(ChannelOptions.autoRead, value: true).whenFailure { _ in }
                channel.read()
            }
        }
        if channel.eventLoop.inEventLoop { apply() } else { channel.eventLoop.execute(apply) }
    }
}
