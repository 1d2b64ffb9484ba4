import Foundation
import LoaProtocol
import Testing
@testable import LoaController

/// `LiveHub`'s decisions without sockets, a store or a clock: connections are plain integers
/// (a gateway that reconnects gets a new one).
@Suite struct LiveBookTests {
    typealias Book = LiveBook<Int>

    static func stream(_ id: Int64, area: String = "xa-tan-lap", state: LiveStream.State = .waiting,
                       endReason: String? = nil) -> LiveStream {
        LiveStream(id: id, areaID: area, title: "Tin khẩn", priority: 170, onBusy: .preempt, onInterrupt: .drop, state: state,
                   createdBy: "admin", createdAt: Date(timeIntervalSince1970: 1_780_000_000), endReason: endReason,
                   sourceKeySHA256: String(repeating: "0", count: 64))
    }

    static func start(_ id: UInt32) -> LiveStart {
        LiveStart(streamId: id, priority: 170, startAt: 1_780_000_002_000, sampleRate: 24_000, channels: 1, bitrateKbps: 48,
                  onBusy: .preempt, onInterrupt: .drop)
    }

    static func audio(_ id: UInt32, _ sequence: UInt32) -> LiveAudio {
        LiveAudio(streamId: id, sequence: sequence, presentationTime: Int64(sequence) * 240, mp3: [0xFF, 0xF3, 0x44, 0xC4])
    }

    /// Book with stream 7 on air to gateways a and b (connections 1 and 2); c of the area is offline.
    func onAir(_ connections: [String: Int] = ["gw-a": 1, "gw-b": 2]) throws -> Book {
        var book = Book()
        try book.attach(Self.stream(7))
        let sends = book.goOnAir(7, stream: Self.stream(7, state: .onAir), start: Self.start(7), targets: ["gw-c", "gw-b", "gw-a"],
                                 connection: { connections[$0] })
        #expect(sends?.map(\.gatewayID) == ["gw-a", "gw-b"])
        #expect(sends?.allSatisfy { $0.message == .liveStart(Self.start(7)) && !$0.dropWhenBacklogged } == true)
        return book
    }

    @Test func aSourceIsRefusedForAnEndedStreamASecondSourceAndWhileStopping() throws {
        var book = Book()
        #expect(throws: LiveHubError.ended(id: 3, reason: "stopped by operator")) {
            try book.attach(Self.stream(3, state: .ended, endReason: "stopped by operator"))
        }
        try book.attach(Self.stream(4))
        #expect(throws: LiveHubError.sourceConnected(id: 4)) { try book.attach(Self.stream(4)) }
        let toEnd = book.stopAll()
        #expect(toEnd == [4])
        #expect(throws: LiveHubError.stopping) { try book.attach(Self.stream(5)) }
    }

    @Test func aSourceThatLeavesBeforeAudioLeavesTheStreamWaitingButNotOnceOnAir() throws {
        var book = Book()
        try book.attach(Self.stream(4))
        book.detach(4)
        #expect(!book.isOpen(4))
        try book.attach(Self.stream(4))   // another try is accepted
        var live = try onAir()
        live.detach(7)
        #expect(live.isOpen(7), "a stream on air ends through end(), not detach()")
    }

    @Test func goingOnAirAfterAStopSendsNothing() throws {
        var book = Book()
        try book.attach(Self.stream(7))
        _ = book.stopAll()
        _ = book.end(7, reason: LiveEndReason.controllerStopping, connection: { _ in 1 })
        let afterStop = book.goOnAir(7, stream: Self.stream(7), start: Self.start(7), targets: ["gw-a"], connection: { _ in 1 })
        #expect(afterStop == nil)
    }

    @Test func audioGoesToConnectedTargetsAndAReconnectedGatewayGetsLiveStartFirst() throws {
        var book = try onAir()
        var connections = ["gw-a": 1, "gw-b": 2]
        let first = book.publish(7, Self.audio(7, 0), bytesReceived: 600, connection: { connections[$0] })
        #expect(first?.map(\.gatewayID) == ["gw-a", "gw-b"])
        #expect(first?.allSatisfy { $0.message == .liveAudio(Self.audio(7, 0)) && $0.dropWhenBacklogged } == true)

        // b reconnects (connection 3), c comes online (not a joined target until ready), a drops.
        connections = ["gw-b": 3, "gw-c": 4]
        let secondSends = book.publish(7, Self.audio(7, 1), bytesReceived: 1_200, connection: { connections[$0] })
        let second = try #require(secondSends)
        #expect(second.map { "\($0.gatewayID)@\($0.connection)" } == ["gw-b@3", "gw-b@3", "gw-c@4", "gw-c@4"])
        #expect(second[0].message == .liveStart(Self.start(7)) && second[1].message == .liveAudio(Self.audio(7, 1)))
        #expect(book.relays[7]?.joined == ["gw-b": 3, "gw-c": 4], "a's stale join is forgotten")
        #expect(book.status(7, connection: { connections[$0] }) == LiveHub.Status(gateways: 2, bytesReceived: 1_200))
    }

    @Test func audioBeforeGoingOnAirOnlyCountsBytesAndAStoppedStreamTellsTheSourceToStop() throws {
        var book = Book()
        try book.attach(Self.stream(7))
        let beforeOnAir = book.publish(7, Self.audio(7, 0), bytesReceived: 99, connection: { _ in 1 })
        #expect(beforeOnAir == [])
        #expect(book.status(7, connection: { _ in 1 })?.bytesReceived == 99)
        let unknownStream = book.publish(8, Self.audio(8, 0), bytesReceived: 1, connection: { _ in 1 })
        #expect(unknownStream == nil)
    }

    @Test func endSendsLiveEndOnlyOverTheConnectionsThatHadTheStart() throws {
        var book = try onAir()
        book.delivered(7, sent: 5, dropped: 2)
        book.received(7, bytes: 4_096)
        // b has reconnected since its liveStart: its new connection never had the stream.
        let endedStream = book.end(7, reason: "stopped by operator", connection: { ["gw-a": 1, "gw-b": 9][$0] })
        let ended = try #require(endedStream)
        #expect(ended.sends == [Book.Send(gatewayID: "gw-a", connection: 1,
                                          message: .liveEnd(LiveEnd(streamId: 7, reason: "stopped by operator")),
                                          dropWhenBacklogged: false)])
        #expect(ended.relay.payloadsSent == 5 && ended.relay.payloadsDropped == 2 && ended.relay.bytesReceived == 4_096)
        #expect(!book.isOpen(7))
        let again = book.end(7, reason: "again", connection: { _ in 1 })
        #expect(again == nil, "ending twice does nothing")
    }

    @Test func aStreamEndedBeforeAudioSendsNoLiveEnd() throws {
        var book = Book()
        try book.attach(Self.stream(7))
        let beforeAudio = book.end(7, reason: "source ended", connection: { _ in 1 })
        #expect(beforeAudio?.sends == [])
    }

    @Test func aGatewayReadyWhileOnAirJoinsOnlyStreamsOnAir() throws {
        var book = try onAir()
        try book.attach(Self.stream(8, area: "xa-khac"))   // waiting: not on air
        #expect(book.onAir.map(\.id) == [7] && book.onAir.first?.areaID == "xa-tan-lap")
        let readySend = book.gatewayReady("gw-c", connection: 4, stream: 7)
        let send = try #require(readySend)
        #expect(send == Book.Send(gatewayID: "gw-c", connection: 4, message: .liveStart(Self.start(7)), dropWhenBacklogged: false))
        #expect(book.relays[7]?.targets.contains("gw-c") == true)
        let notOnAir = book.gatewayReady("gw-c", connection: 4, stream: 8)
        #expect(notOnAir == nil)
        // The next audio goes to c without a second liveStart.
        let next = book.publish(7, Self.audio(7, 0), bytesReceived: 1, connection: { ["gw-a": 1, "gw-b": 2, "gw-c": 4][$0] })
        #expect(next?.filter { $0.gatewayID == "gw-c" }.map(\.message) == [.liveAudio(Self.audio(7, 0))])
    }
}
