import Foundation
import Testing
@testable import LoaController

/// The admin's side of users and the audit log: an account disabled (its token dead at once, its
/// login refused in words, enabled again), the last system-wide admin kept, no one disabling
/// themselves; the audit log read newest first and narrowed by actor, action, target and time.
@Suite struct UserAdminAPITests {
    @Test func aDisabledAccountCannotLogInAndItsTokenIsDeadAtOnce() async throws {
        let h = try await APIHarness.start()
        try await h.run { api in
            #expect(try await api.call(.get, "/api/v1/me", as: "bt-tan-lap").status == 200)
            let disabled = try await api.call(.patch, "/api/v1/users/bt-tan-lap", json: #"{"disabled":true}"#)
            #expect(disabled.status == 200 && disabled.object["disabled"] as? Bool == true && disabled.object["disabledAt"] is String, "\(disabled.text)")
            #expect(try await api.call(.get, "/api/v1/me", as: "bt-tan-lap").status == 401, "the token of a disabled account is refused")
            let login = try await api.call(.post, "/api/v1/login", as: nil, json: #"{"username":"bt-tan-lap","password":"\#(APIHarness.password)"}"#)
            #expect(login.status == 401 && login.errorMessage == "this account is disabled; ask an admin to enable it", "\(login.text)")
            let wrong = try await api.call(.post, "/api/v1/login", as: nil, json: #"{"username":"bt-tan-lap","password":"not the password"}"#)
            #expect(wrong.errorMessage == "wrong username or password", "a wrong password does not tell the account is disabled: \(wrong.text)")
            let listed = try await api.call(.get, "/api/v1/users").items.first { $0["username"] as? String == "bt-tan-lap" }
            #expect(listed?["disabled"] as? Bool == true)

            let enabled = try await api.call(.patch, "/api/v1/users/bt-tan-lap", json: #"{"disabled":false}"#)
            #expect(enabled.status == 200 && enabled.object["disabled"] as? Bool == false && enabled.object["disabledAt"] is NSNull, "\(enabled.text)")
            let again = try await api.call(.post, "/api/v1/login", as: nil, json: #"{"username":"bt-tan-lap","password":"\#(APIHarness.password)"}"#)
            #expect(again.status == 200, "\(again.text)")

            // An operator may switch off a user of their district, not one above it.
            #expect(try await api.call(.patch, "/api/v1/users/tech-tan-lap", as: "op-cam-xuyen", json: #"{"disabled":true}"#).status == 200)
            #expect(try await api.call(.patch, "/api/v1/users/op-nghe-an", as: "op-cam-xuyen", json: #"{"disabled":true}"#).status == 403)
            let audit = try await api.call(.get, "/api/v1/audit?action=user.&order=desc").items.map { $0["action"] as? String ?? "" }
            #expect(Array(audit.prefix(5)) == ["user.disable", "user.login", "user.enable", "user.login.failed", "user.login.disabled"], "\(audit)")
        }
    }

    @Test func theLastAdminStaysAndNoOneDisablesThemselves() async throws {
        let h = try await APIHarness.start()
        try await h.run { api in
            let own = try await api.call(.patch, "/api/v1/users/admin", json: #"{"disabled":true}"#)
            #expect(own.status == 409 && own.errorMessage?.contains("your own account") == true, "\(own.text)")
            #expect(try await api.call(.post, "/api/v1/users", json: #"{"username":"admin2","password":"mật khẩu dài","role":"admin"}"#).status == 201)
            let token = try #require(try await api.call(.post, "/api/v1/login", as: nil, json: #"{"username":"admin2","password":"mật khẩu dài"}"#).object["token"] as? String)
            // admin2 disables admin; admin is then the one that does not count, and admin2 the last.
            let first = try await api.call(.patch, "/api/v1/users/admin", as: token, json: #"{"disabled":true}"#)
            #expect(first.status == 200, "\(first.text)")
            // Now admin2 is the last enabled system-wide admin: neither disabled nor demoted.
            await #expect(throws: StoreError.self) { _ = try await h.database.setUserDisabled("admin2", true, origin: .controller) }
            let demoted = try await api.call(.patch, "/api/v1/users/admin2", as: token, json: #"{"role":"operator"}"#)
            #expect(demoted.status == 409 && demoted.errorMessage?.contains("last system-wide admin") == true, "\(demoted.text)")
            // With admin enabled again (its old token stays revoked), admin2 may step down.
            #expect(try await api.call(.patch, "/api/v1/users/admin", as: token, json: #"{"disabled":false}"#).status == 200)
            #expect(try await api.call(.get, "/api/v1/me").status == 401, "a token revoked by disabling does not come back")
            #expect(try await api.call(.patch, "/api/v1/users/admin2", as: token, json: #"{"role":"operator"}"#).status == 200)
        }
    }

    @Test func theAuditLogIsReadNewestFirstAndNarrowed() async throws {
        let h = try await APIHarness.start()
        try await h.run { api in
            for name in ["thu-1", "thu-2", "thu-3"] {
                #expect(try await api.call(.post, "/api/v1/users", as: "op-cam-xuyen",
                                           json: #"{"username":"\#(name)","password":"mật khẩu dài","role":"technician","areaId":"xa-tan-lap"}"#).status == 201)
            }
            _ = try await api.call(.patch, "/api/v1/users/thu-2", as: "op-cam-xuyen", json: #"{"disabled":true}"#)
            let newest = try await api.call(.get, "/api/v1/audit?order=desc&limit=2&actor=op-cam-xuyen")
            #expect(newest.items.map { $0["action"] as? String } == ["user.disable", "user.create"], "\(newest.text)")
            #expect(newest.items.map { $0["target"] as? String } == ["thu-2", "thu-3"])
            let next = try #require(newest.object["next"] as? String)
            let older = try await api.call(.get, "/api/v1/audit?order=desc&limit=2&actor=op-cam-xuyen&before=\(next)")
            #expect(older.items.map { $0["target"] as? String } == ["thu-2", "thu-1"], "\(older.text)")
            let created = try await api.call(.get, "/api/v1/audit?action=user.create&actor=op-cam-xuyen")
            #expect(created.items.map { $0["target"] as? String } == ["thu-1", "thu-2", "thu-3"], "oldest first by default: \(created.text)")
            let aboutOne = try await api.call(.get, "/api/v1/audit?target=thu-2")
            #expect(aboutOne.items.map { $0["action"] as? String } == ["user.create", "user.disable"], "\(aboutOne.text)")
            let future = APIJSON.time(Date().addingTimeInterval(3600))
            #expect(try await api.call(.get, "/api/v1/audit?from=\(future)").items.isEmpty)
            #expect(try await api.call(.get, "/api/v1/audit?to=\(future)&target=thu-1").items.count == 1)
            #expect(try await api.call(.get, "/api/v1/audit?order=sideways").status == 422)
            #expect(try await api.call(.get, "/api/v1/audit?order=desc&after=3").status == 422, "after goes with asc")
            #expect(try await api.call(.get, "/api/v1/audit?from=yesterday").status == 422)
            #expect(try await api.call(.get, "/api/v1/audit?actor=").status == 422)
            // An operator reads only what concerns their area: not the other province's operator.
            let theirs = try await api.call(.get, "/api/v1/audit?order=desc", as: "op-cam-xuyen")
            #expect(theirs.status == 200 && !theirs.items.contains { $0["target"] as? String == "op-nghe-an" })
        }
    }
}
