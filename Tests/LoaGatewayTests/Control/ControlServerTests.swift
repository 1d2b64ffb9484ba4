import Foundation
import Testing
@testable import LoaGateway
#if canImport(Glibc)
import Glibc
#endif

/// The socket adapter over a real Unix socket: stale file replaced, mode and group, one line
/// in and one line out, the size limit, a second server refused, cleanup on stop.
@Suite(.serialized)
struct ControlServerTests {
    func server(_ path: String, group: String? = nil) -> ControlServer {
        let backend = FixedControlBackend(schedule: nil, now: Date(timeIntervalSince1970: 1_795_990_000))
        return ControlServer(settings: .init(path: path, group: group), responder: ControlResponder(backend: backend), logger: .quiet)
    }

    @Test func servesOneJSONLinePerConnection() async throws {
        let directory = TemporaryDirectory("ctl")
        let path = directory.file("c.sock")
        #expect(ControlSocketClient.leaveStaleSocket(at: path))
        let groupName = String(cString: getgrgid(getgid()).pointee.gr_name)
        let control = server(path, group: groupName)
        try control.start()  // replaces the stale file

        var info = stat()
        #expect(stat(path, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o660)
        #expect(info.st_gid == getgid())

        let status = try #require(ControlSocketClient.exchange(path, Array(#"{"command":"status"}"#.utf8) + [0x0A]))
        #expect(status.last == 0x0A && status.filter { $0 == 0x0A }.count == 1)
        let answer = try ControlAnswer.decode(status.dropLast())
        #expect(answer.ok && answer.status?.gatewayId == "xa-thu")

        // A line without its newline (client shut its side) is answered too.
        let volume = try #require(ControlSocketClient.exchange(path, Array(#"{"command":"volume","percent":12}"#.utf8)))
        #expect(try ControlAnswer.decode(volume.dropLast()).volume?.percent == 12)

        let long = try #require(ControlSocketClient.exchange(path, Array(repeating: UInt8(ascii: "x"), count: 10_000)))
        let refused = try ControlAnswer.decode(long.dropLast())
        #expect(!refused.ok && refused.error?.contains("at most 4096 bytes") == true, "\(refused)")

        let garbage = try ControlAnswer.decode(try #require(ControlSocketClient.exchange(path, Array("hello\n".utf8))).dropLast())
        #expect(!garbage.ok && garbage.error?.contains("malformed") == true)

        // Still serving after all that.
        #expect(ControlSocketClient.exchange(path, Array(#"{"command":"cache"}"#.utf8) + [0x0A]) != nil)
        await control.stop()
    }

    @Test func refusesALiveSocketAFileAndAMissingDirectory() async throws {
        let directory = TemporaryDirectory("ctl")
        let path = directory.file("c.sock")
        let first = server(path)
        try first.start()
        #expect(throws: ControlServerError.inUse(path)) { try server(path).start() }
        await first.stop()
        #expect(!FileManager.default.fileExists(atPath: path), "stop leaves the socket file")

        _ = FileManager.default.createFile(atPath: path, contents: Data("keep me".utf8))
        #expect(throws: ControlServerError.notASocket(path)) { try server(path).start() }
        #expect(FileManager.default.contents(atPath: path) == Data("keep me".utf8))

        let nowhere = directory.file("missing/c.sock")
        #expect {
            try server(nowhere).start()
        } throws: { error in
            guard case .directoryMissing(let named) = error as? ControlServerError else { return false }
            return named.hasSuffix("/missing") && "\(error)".contains("RuntimeDirectory=loa-gateway")
        }
        let tooLong = "/tmp/" + String(repeating: "d", count: 120) + "/c.sock"
        #expect(throws: ControlServerError.pathTooLong(tooLong)) { try server(tooLong).start() }
    }
}
