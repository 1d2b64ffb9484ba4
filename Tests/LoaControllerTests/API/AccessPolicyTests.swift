import Foundation
import Testing
@testable import LoaController

/// The role table and the area-scope rule, directly.
struct AccessPolicyTests {
    static let district = AreaScope(root: "cam-xuyen", subtree: ["cam-xuyen", "xa-tan-lap", "xa-cam-binh"], ancestors: ["ha-tinh"])
    static let commune = AreaScope(root: "xa-tan-lap", subtree: ["xa-tan-lap"], ancestors: ["cam-xuyen", "ha-tinh"])

    @Test(arguments: [
        (User.Role.admin, APIAction.announce, true), (.admin, .readMetrics, true), (.admin, .manageUsers, true),
        (.operator, .announce, true), (.operator, .reviewBulletins, true), (.operator, .manageUsers, true),
        (.operator, .commandGateways, true), (.operator, .readAudit, true), (.operator, .readMetrics, false),
        (.broadcaster, .uploadBulletins, true), (.broadcaster, .schedule, true), (.broadcaster, .read, true),
        (.broadcaster, .reviewBulletins, false), (.broadcaster, .announce, false), (.broadcaster, .commandGateways, false),
        (.broadcaster, .manageUsers, false), (.broadcaster, .manageGateways, false), (.broadcaster, .readAudit, false),
        (.technician, .read, true), (.technician, .commandGateways, true), (.technician, .uploadBulletins, false),
        (.technician, .schedule, false), (.technician, .announce, false), (.technician, .manageGateways, false),
        (.technician, .reviewBulletins, false), (.technician, .manageAreas, false),
    ])
    func roleTable(role: User.Role, action: APIAction, allowed: Bool) {
        #expect(AccessPolicy.allows(role, action) == allowed)
        #expect(AccessPolicy.decide(action, role: role, scope: .everything).isAllowed == allowed)
    }

    @Test func everyRoleReadsAndOnlyAdminDoesEverything() {
        for role in User.Role.allCases { #expect(AccessPolicy.allows(role, .read)) }
        for action in APIAction.allCases where action != .read {
            #expect(AccessPolicy.allows(.admin, action))
        }
    }

    @Test func scopeCoversTheSubtreeOnlyForChangesAndAlsoAncestorsForReads() {
        let s = Self.district
        #expect(AccessPolicy.decide(.schedule, role: .operator, scope: s, areas: ["xa-tan-lap"]) == .allowed)
        #expect(AccessPolicy.decide(.schedule, role: .operator, scope: s, areas: ["cam-xuyen"]) == .allowed)
        #expect(AccessPolicy.decide(.schedule, role: .operator, scope: s, areas: ["xa-ky-phong"]) == .outOfScope(areaID: "xa-ky-phong"))
        #expect(AccessPolicy.decide(.schedule, role: .operator, scope: s, areas: ["ha-tinh"]) == .outOfScope(areaID: "ha-tinh"))
        #expect(AccessPolicy.decide(.read, role: .operator, scope: s, areas: ["ha-tinh"], seeing: true) == .allowed)
        #expect(AccessPolicy.decide(.read, role: .operator, scope: s, areas: ["nghe-an"], seeing: true) == .outOfScope(areaID: "nghe-an"))
        // One target outside is enough to refuse.
        #expect(!AccessPolicy.decide(.announce, role: .operator, scope: s, areas: ["xa-tan-lap", "xa-ky-phong"]).isAllowed)
        // System-wide things: only the whole-system scope changes them; everyone sees them.
        #expect(AccessPolicy.decide(.manageAreas, role: .operator, scope: s, areas: [nil]) == .outOfScope(areaID: nil))
        #expect(AccessPolicy.decide(.manageAreas, role: .admin, scope: .everything, areas: [nil]) == .allowed)
        #expect(AccessPolicy.decide(.read, role: .broadcaster, scope: Self.commune, areas: [nil], seeing: true) == .allowed)
    }

    @Test func roleIsCheckedBeforeScope() {
        #expect(AccessPolicy.decide(.announce, role: .broadcaster, scope: Self.commune, areas: ["xa-tan-lap"])
                == .roleRefused(role: .broadcaster, action: .announce))
    }

    @Test func operatorsChangeOnlyAreasBelowTheirOwn() {
        #expect(Self.district.isBelowRoot("xa-tan-lap"))
        #expect(!Self.district.isBelowRoot("cam-xuyen"))
        #expect(!Self.district.isBelowRoot("ky-anh"))
        #expect(AreaScope.everything.isBelowRoot("ha-tinh"))
    }

    @Test func assignableRoles() {
        #expect(AccessPolicy.assignableRoles(by: .admin) == Set(User.Role.allCases))
        #expect(AccessPolicy.assignableRoles(by: .operator) == [.operator, .broadcaster, .technician])
        #expect(AccessPolicy.assignableRoles(by: .broadcaster).isEmpty)
        #expect(AccessPolicy.assignableRoles(by: .technician).isEmpty)
    }

    @Test func refusalsSayWhatToDo() {
        #expect(AccessDecision.roleRefused(role: .technician, action: .announce).message.contains("may not push or stop announcements"))
        #expect(AccessDecision.outOfScope(areaID: "xa-ky-phong").message.contains("'xa-ky-phong' is outside your area"))
    }
}
