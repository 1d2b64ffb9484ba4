#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Turns messages into frames and back. Pure; no NIO, so the fuzzer can compile it alone.
///
/// JSON payloads are UTF-8, keys sorted, no insignificant whitespace, unknown keys ignored on
/// decode (so a newer peer may add optional fields without a version bump).
public enum MessageCodec {
    public static func encode(_ message: Message) -> Frame {
        Frame(message.frameType, payload: payload(of: message))
    }

    /// Decodes a frame. Unknown types are `unknownMessageType`; the caller decides whether an
    /// extension type (0x80–0xFF) is skipped.
    public static func decode(_ frame: Frame) throws(ProtocolError) -> Message {
        guard let type = FrameType(rawValue: frame.type) else { throw .unknownMessageType(frame.type) }
        var r = WireReader(frame.payload, context: type.name)
        let p = frame.payload
        let message: Message
        switch type {
        case .hello: message = .hello(try json(p, type))
        case .challenge: message = .challenge(try json(p, type))
        case .authenticate: message = .authenticate(try json(p, type))
        case .authenticated: message = .authenticated(try json(p, type))
        case .error: message = .error(try json(p, type))
        case .heartbeat: message = .heartbeat
        case .clockRequest: message = .clockRequest(ClockRequest(t1: try r.read(Int64.self)))
        case .clockReply:
            message = .clockReply(ClockReply(t1: try r.read(Int64.self), t2: try r.read(Int64.self), t3: try r.read(Int64.self)))
        case .scheduleUpdate:
            message = .scheduleUpdate(ScheduleUpdate(version: try r.read(UInt64.self), document: r.readRest()))
        case .scheduleAck: message = .scheduleAck(try json(p, type))
        case .contentRequest: message = .contentRequest(try json(p, type))
        case .contentChunk:
            message = .contentChunk(ContentChunk(sha256: try r.readContentHash(), offset: try r.read(UInt64.self), bytes: r.readRest()))
        case .contentEnd:
            message = .contentEnd(ContentEnd(sha256: try r.readContentHash(), size: try r.read(UInt64.self)))
        case .announce: message = .announce(try json(p, type))
        case .stop: message = .stop(try json(p, type))
        case .liveStart: message = .liveStart(try json(p, type))
        case .liveAudio:
            message = .liveAudio(LiveAudio(streamId: try r.read(UInt32.self), sequence: try r.read(UInt32.self),
                                           presentationTime: try r.read(Int64.self), mp3: r.readRest()))
        case .liveEnd: message = .liveEnd(try json(p, type))
        case .healthReport: message = .healthReport(try json(p, type))
        case .playEvents: message = .playEvents(try json(p, type))
        case .playEventsAck: message = .playEventsAck(try json(p, type))
        case .command: message = .command(try json(p, type))
        case .commandResult: message = .commandResult(try json(p, type))
        }
        if !isJSON(type) { try r.expectEnd() }
        return message
    }

    /// Whether frames of this type carry a JSON payload.
    public static func isJSON(_ type: FrameType) -> Bool {
        switch type {
        case .heartbeat, .clockRequest, .clockReply, .scheduleUpdate, .contentChunk, .contentEnd, .liveAudio: false
        default: true
        }
    }

    private static func payload(of message: Message) -> [UInt8] {
        var w = WireWriter()
        switch message {
        case .hello(let m): return json(m)
        case .challenge(let m): return json(m)
        case .authenticate(let m): return json(m)
        case .authenticated(let m): return json(m)
        case .error(let m): return json(m)
        case .heartbeat: return []
        case .clockRequest(let m): w.write(m.t1)
        case .clockReply(let m):
            w.write(m.t1)
            w.write(m.t2)
            w.write(m.t3)
        case .scheduleUpdate(let m):
            w.write(m.version)
            w.write(bytes: m.document)
        case .scheduleAck(let m): return json(m)
        case .contentRequest(let m): return json(m)
        case .contentChunk(let m):
            w.write(bytes: m.sha256.bytes)
            w.write(m.offset)
            w.write(bytes: m.bytes)
        case .contentEnd(let m):
            w.write(bytes: m.sha256.bytes)
            w.write(m.size)
        case .announce(let m): return json(m)
        case .stop(let m): return json(m)
        case .liveStart(let m): return json(m)
        case .liveAudio(let m):
            w.write(m.streamId)
            w.write(m.sequence)
            w.write(m.presentationTime)
            w.write(bytes: m.mp3)
        case .liveEnd(let m): return json(m)
        case .healthReport(let m): return json(m)
        case .playEvents(let m): return json(m)
        case .playEventsAck(let m): return json(m)
        case .command(let m): return json(m)
        case .commandResult(let m): return json(m)
        }
        return w.bytes
    }

    private static func json<T: Encodable>(_ value: T) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        // With non-finite floats spelled as strings, encoding our keyed value types cannot
        // fail; a failure is a programming error.
        do { return Array(try encoder.encode(value)) } catch {
            preconditionFailure("encoding \(T.self) failed: \(error)")
        }
    }

    private static func json<T: Decodable>(_ bytes: [UInt8], _ type: FrameType) throws(ProtocolError) -> T {
        do {
            let decoder = JSONDecoder()
            decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            return try decoder.decode(T.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw .invalidPayload(type: type.name, reason: describe(error))
        } catch {
            throw .invalidPayload(type: type.name, reason: "\(error)")
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let c): "malformed JSON at '\(path(c))': \(c.debugDescription)"
        case .keyNotFound(let key, let c): "missing key '\(key.stringValue)' at '\(path(c))'"
        case .typeMismatch(let t, let c): "expected \(t) at '\(path(c))'"
        case .valueNotFound(let t, let c): "null where \(t) expected at '\(path(c))'"
        @unknown default: "\(error)"
        }
    }

    private static func path(_ c: DecodingError.Context) -> String {
        c.codingPath.map(\.stringValue).joined(separator: ".")
    }
}
