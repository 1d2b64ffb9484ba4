import NIOCore
import NIOPosix
import Testing
@testable import LoaController

/// The connection inbox's bound: the pure gauge, then the adapter on a real socket channel
/// (NIO's embedded channel always reads, so it cannot show `autoRead` going off).
@Suite struct ConnectionInboxTests {
    @Test func theGaugeStopsAboveHighAndResumesAtLow() {
        var gauge = InboxGauge(high: 4, low: 2)
        #expect((1...4).map { _ in gauge.queuedOne() } == [.none, .none, .none, .none])
        #expect(gauge.queuedOne() == .stopReading)
        #expect(gauge.queuedOne() == .none, "stopped once, not again")
        #expect(gauge.consumedOne() == .none)  // 5
        #expect(gauge.consumedOne() == .none)  // 4
        #expect(gauge.consumedOne() == .none)  // 3
        #expect(gauge.consumedOne() == .resumeReading)  // 2
        #expect(gauge.consumedOne() == .none)
        #expect(gauge.queued == 1 && gauge.reading)
    }

    @Test func theGaugeNeverGoesBelowEmpty() {
        var gauge = InboxGauge(high: 2, low: 1)
        #expect(gauge.consumedOne() == .none)
        #expect(gauge.queued == 0 && gauge.reading)
    }

    @Test func aFullInboxTurnsTheChannelsReadingOffUntilTheWorkerCatchesUp() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let accepted = AsyncStream.makeStream(of: (any Channel).self)
        let server = try await ServerBootstrap(group: group)
            .childChannelInitializer { channel in
                accepted.continuation.yield(channel)
                return channel.eventLoop.makeSucceededVoidFuture()
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let client = try await ClientBootstrap(group: group).connect(host: "127.0.0.1", port: server.localAddress!.port!).get()
        var channels = accepted.stream.makeAsyncIterator()
        let channel = try #require(await channels.next())
        let inbox = ConnectionInbox(channel: channel, gauge: InboxGauge(high: 8, low: 3))

        for _ in 0..<10 { inbox.yield(.pushSchedule) }
        #expect(try await channel.getOption(ChannelOptions.autoRead).get() == false, "\(inbox.state)")
        var events = inbox.events.makeAsyncIterator()
        for _ in 0..<6 {
            _ = await events.next()
            inbox.consumed()
        }
        #expect(try await channel.getOption(ChannelOptions.autoRead).get() == false, "still 4 queued: \(inbox.state)")
        _ = await events.next()
        inbox.consumed()
        #expect(try await channel.getOption(ChannelOptions.autoRead).get() == true, "3 queued: \(inbox.state)")

        try await client.close()
        try await server.close()
        try await group.shutdownGracefully()
    }
}
