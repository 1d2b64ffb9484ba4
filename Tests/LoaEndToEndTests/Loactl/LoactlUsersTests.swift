import Foundation
import Testing

/// `loactl users` against a real controller (issue 15: there was no way to manage users from
/// the command line): an admin adds a broadcaster, lists, changes the role and the password, and
/// a wrong role is refused before anything is sent.
@Suite(.enabled(if: Built.available, "loa-controller and loactl must be built beside the tests"))
struct LoactlUsersTests {
    @Test func anAdminManagesUsersFromTheCommandLine() async throws {
        try await scenario("loactl-users") { system in
            try await system.start(communes: [("xa-tan-lap", [])])
            let added = try await system.loactl.ok("users", "add", "bt-tan-lap", "--role", "broadcaster", "--area", "xa-tan-lap",
                                                   "--password-stdin", stdin: "mật khẩu đủ dài\n")
            #expect(added.stdout.contains("user bt-tan-lap: broadcaster, area xa-tan-lap"), "\(added)")
            let listed = try await system.loactl.json("users") as? [[String: Any]] ?? []
            #expect(listed.contains { $0["username"] as? String == "bt-tan-lap" && $0["role"] as? String == "broadcaster" }, "\(listed)")
            let table = try await system.loactl.ok("users")
            #expect(table.stdout.contains("bt-tan-lap") && table.stdout.contains("(all)"), "the admin has no area: \(table.stdout)")
            let changed = try await system.loactl.ok("users", "set", "bt-tan-lap", "--role", "technician", "--password-stdin",
                                                     stdin: "mật khẩu mới đủ dài\n")
            #expect(changed.stdout.contains("technician"), "\(changed)")
            let login = try await system.api.call("POST", "/api/v1/login", json: ["username": "bt-tan-lap", "password": "mật khẩu mới đủ dài"])
            #expect(login.status == 200, "\(login)")
            let wrong = try await system.loactl.run(["users", "add", "x1", "--role", "king", "--area", "xa-tan-lap", "--password-stdin"],
                                                    stdin: "whatever password\n")
            #expect(wrong.status == 64 && wrong.stderr.contains("--role is one of"), "\(wrong)")
            let nothing = try await system.loactl.run(["users", "set", "bt-tan-lap"])
            #expect(nothing.status == 64 && nothing.stderr.contains("nothing to change"), "\(nothing)")
            let disabled = try await system.loactl.ok("users", "set", "bt-tan-lap", "--disable")
            #expect(disabled.stdout.contains("disabled"), "\(disabled)")
            let refused = try await system.api.call("POST", "/api/v1/login", json: ["username": "bt-tan-lap", "password": "mật khẩu mới đủ dài"])
            #expect(refused.status == 401 && refused.description.contains("disabled"), "\(refused)")
            _ = try await system.loactl.ok("users", "set", "bt-tan-lap", "--enable")
            let back = try await system.api.call("POST", "/api/v1/login", json: ["username": "bt-tan-lap", "password": "mật khẩu mới đủ dài"])
            #expect(back.status == 200, "\(back)")
        }
    }
}
