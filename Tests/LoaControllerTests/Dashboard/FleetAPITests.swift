import Foundation
import NIOCore
import NIOPosix
import Synchronization
import Testing
@testable import LoaController

/// `GET /api/v1/fleet` and its event stream over the real router, a real socket and fake gateway
/// ends connecting to the real gateway server: counts per area, places, conditions, scope, and
/// changes pushed as gateways come and go.
@Suite struct FleetAPITests {
    @Test func theFleetIsCountedPerAreaWithinTheCallersScope() async throws {
        let h = try await APIHarness.start()
        try await h.run { api in
            let located = try await api.call(.patch, "/api/v1/gateways/xa-tan-lap-01", json: #"{"location":{"latitude":18.25,"longitude":106.1}}"#)
            #expect(located.status == 200, "\(located.text)")
            try await h.database.recordHealth(HealthSample(gatewayID: "xa-tan-lap-02", at: h.clock.now,
                                                           report: Data(#"{"temperatureCelsius":75,"nowPlaying":"x"}"#.utf8)))
            let all = try await api.call(.get, "/api/v1/fleet")
            #expect(all.status == 200, "\(all.text)")
            let areas = Dictionary(uniqueKeysWithValues: (all.object["areas"] as? [[String: Any]] ?? []).map { ($0["id"] as! String, $0) })
            let counts = { (id: String) in areas[id]?["counts"] as? [String: Int] ?? [:] }
            #expect(areas.count == 9 && all.object["area"] == nil)
            #expect(counts("ha-tinh") == ["online": 0, "offline": 4, "playing": 0, "faulty": 0, "total": 4], "\(counts("ha-tinh"))")
            #expect(counts("nghe-an")["total"] == 1 && counts("xa-tan-lap")["offline"] == 2)
            let gateways = all.object["gateways"] as? [[String: Any]] ?? []
            #expect(gateways.map { $0["id"] as? String } == ["xa-cam-binh-01", "xa-dien-hoa-01", "xa-ky-phong-01", "xa-tan-lap-01", "xa-tan-lap-02"])
            let first = try #require(gateways.first { $0["id"] as? String == "xa-tan-lap-01" })
            #expect(first["latitude"] as? Double == 18.25 && first["longitude"] as? Double == 106.1 && first["condition"] as? String == "offline")
            let second = try #require(gateways.first { $0["id"] as? String == "xa-tan-lap-02" })
            #expect(second["condition"] as? String == "offline" && second["nowPlaying"] == nil, "offline says nothing of what it last played")
            #expect(second["faults"] as? [String] == ["temperature 75.0 °C"], "the faults of its last report stay readable")

            // A broadcaster sees their commune alone; an operator their district; neither another's.
            let own = try await api.call(.get, "/api/v1/fleet", as: "bt-tan-lap")
            #expect(own.object["area"] as? String == "xa-tan-lap")
            #expect((own.object["areas"] as? [[String: Any]])?.map { $0["id"] as? String } == ["xa-tan-lap"])
            #expect((own.object["gateways"] as? [[String: Any]])?.map { $0["id"] as? String } == ["xa-tan-lap-01", "xa-tan-lap-02"])
            let district = try await api.call(.get, "/api/v1/fleet", as: "op-cam-xuyen")
            #expect((district.object["areas"] as? [[String: Any]])?.map { $0["id"] as? String } == ["cam-xuyen", "xa-cam-binh", "xa-tan-lap"])
            #expect((district.object["areas"] as? [[String: Any]])?.first?["parentId"] == nil, "the view's root has no parent in it")
            let narrowed = try await api.call(.get, "/api/v1/fleet?area=xa-cam-binh", as: "op-cam-xuyen")
            #expect((narrowed.object["gateways"] as? [[String: Any]])?.map { $0["id"] as? String } == ["xa-cam-binh-01"])
            #expect(try await api.call(.get, "/api/v1/fleet?area=xa-ky-phong", as: "bt-tan-lap").status == 403)
            #expect(try await api.call(.get, "/api/v1/fleet?area=khong-co").status == 404)
            #expect(try await api.call(.get, "/api/v1/fleet", as: nil).status == 401)
            #expect(try await api.call(.get, "/api/v1/fleet/events", as: nil).status == 401)
            #expect(try await api.call(.get, "/api/v1/fleet/events?area=xa-ky-phong", as: "bt-tan-lap").status == 403)
        }
    }

    @Test func theEventStreamPushesAGatewayComingAndGoingToThoseWhoMaySeeIt() async throws {
        let h = try await APIHarness.start()
        try await h.run(live: true) { api in
            let port = try #require(api.port)
            let commune = try await EventStreamReader.open(port: port, path: "/api/v1/fleet/events", token: api.tokens["bt-tan-lap"]!, group: h.group)
            #expect(await commune.wait { $0.contains("event: hello") }, "\(commune.text)")
            #expect(commune.text.hasPrefix("HTTP/1.1 200") && commune.text.contains("text/event-stream"), "\(commune.text)")
            #expect(await eventually { h.fleet.changes.subscriberCount == 1 })

            let log = EventLog(), otherLog = EventLog()
            let own = try await FakeGateway.connect(port: h.gatewayPort, gatewayID: "xa-tan-lap-01",
                                                    secret: try await h.database.handshakeSecret(for: "xa-tan-lap-01").handshakeKey, log: log, group: h.group)
            let other = try await FakeGateway.connect(port: h.gatewayPort, gatewayID: "xa-ky-phong-01",
                                                      secret: try await h.database.handshakeSecret(for: "xa-ky-phong-01").handshakeKey, log: otherLog, group: h.group)
            #expect(await commune.wait { $0.contains(#""condition":"online""#) && $0.contains(#""id":"xa-tan-lap-01""#) }, "\(commune.text)")
            #expect(await otherLog.wait(prefix: "ready") != nil)
            try await own.close()
            #expect(await commune.wait { $0.contains(#""condition":"offline""#) }, "went offline: \(commune.text)")
            let offline = commune.events.last { $0.name == "gateway" }
            #expect(offline?.data.contains(#""id":"xa-tan-lap-01""#) == true, "\(String(describing: offline))")
            #expect(!commune.text.contains("xa-ky-phong"), "another commune's gateway is never told: \(commune.text)")

            // Moved out of the view: the stream says it is gone from it.
            #expect(try await api.call(.patch, "/api/v1/gateways/xa-tan-lap-02", json: #"{"areaId":"xa-cam-binh"}"#).status == 200)
            #expect(await commune.wait { $0.contains("event: removed") && $0.contains(#"{"id":"xa-tan-lap-02"}"#) }, "\(commune.text)")

            // The controller stopping ends the stream (the HTTP drain must not wait on it).
            h.fleet.changes.close()
            #expect(await commune.waitClosed(), "the stream ended: \(commune.text)")
            try? await other.close()
        }
    }
}

/// Reads a `text/event-stream` response from a raw socket (no HTTP client buffers a response
/// that never ends): everything received as text, and the events parsed from it.
final class EventStreamReader: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    private let received = Mutex((text: "", closed: false))

    var text: String { received.withLock { $0.text } }

    /// `event:` and `data:` pairs in the order they came (chunk-size lines of the HTTP framing
    /// are skipped: they are neither).
    var events: [(name: String, data: String)] {
        var events: [(name: String, data: String)] = []
        var name: String?
        var data: [String] = []
        for line in text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("event: ") {
                name = String(line.dropFirst(7))
            } else if line.hasPrefix("data: ") {
                data.append(String(line.dropFirst(6)))
            } else if line.isEmpty, let current = name {
                events.append((current, data.joined(separator: "\n")))
                name = nil
                data = []
            }
        }
        return events
    }

    static func open(port: Int, path: String, token: String, group: any EventLoopGroup) async throws -> EventStreamReader {
        let reader = EventStreamReader()
        let channel = try await ClientBootstrap(group: group)
            .channelInitializer { channel in channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(reader) } }
            .connect(host: "127.0.0.1", port: port).get()
        let request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\nAccept: text/event-stream\r\n\r\n"
        try await channel.writeAndFlush(ByteBuffer(string: request))
        return reader
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        received.withLock { $0.text += String(buffer: buffer) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        received.withLock { $0.closed = true }
    }

    func wait(seconds: Double = 30, _ condition: @escaping (String) -> Bool) async -> Bool {
        await eventually(seconds: seconds) { condition(text) }
    }

    /// True once the server ended the response: its last chunk (`0`) came or the socket closed.
    func waitClosed(seconds: Double = 30) async -> Bool {
        await eventually(seconds: seconds) { received.withLock { $0.closed || $0.text.hasSuffix("\r\n0\r\n\r\n") } }
    }
}
