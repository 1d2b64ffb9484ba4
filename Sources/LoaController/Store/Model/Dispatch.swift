import Foundation
import LoaSchedule

/// A bulletin sent down by a level above (province, district) to communes, with one of
/// Circular 39/2020/TT-BTTTT's three classes (docs/ARCHITECTURE.md, "Bulletins sent down"):
/// normal (the commune chooses whether and where it plays), priority (it enters the next
/// occurrence of the commune's program at the front), emergency (it plays at once on every
/// gateway, in the emergency band). Already approved at its level: the commune neither approves
/// nor edits it. One `Target` per commune reached says what became of it there.
public struct Dispatch: Sendable, Equatable, Identifiable {
    public enum Class: String, Sendable, Equatable, CaseIterable {
        case normal, priority, emergency
    }

    /// What became of a dispatch in one commune.
    public struct Target: Sendable, Equatable, Identifiable {
        public enum State: String, Sendable, Equatable, CaseIterable {
            /// In the commune's inbox, not yet opened.
            case delivered
            /// Opened by the commune's broadcaster (normal), no choice yet.
            case seen
            /// In an occurrence of one of the commune's programs (`placement`).
            case placed
            /// Declined by the commune, with a reason.
            case declined
            /// Priority with no program occurrence ahead to enter: waits in the inbox.
            case waiting
            /// Emergency: handed to the commune's gateways as an announcement.
            case sent
        }

        public var id: Int64
        public var dispatchID: Int64
        public var areaID: String
        public var state: State
        public var placement: Placement?
        public var reason: String?
        public var updatedBy: String?
        public var updatedAt: Date

        public init(id: Int64, dispatchID: Int64, areaID: String, state: State, placement: Placement? = nil,
                    reason: String? = nil, updatedBy: String? = nil, updatedAt: Date) {
            self.id = id
            self.dispatchID = dispatchID
            self.areaID = areaID
            self.state = state
            self.placement = placement
            self.reason = reason
            self.updatedBy = updatedBy
            self.updatedAt = updatedAt
        }
    }

    /// A bulletin placed into one occurrence of a program: on `date` (the occurrence's local
    /// day), at `position` (1-based, among the program's items and the other placements).
    public struct Placement: Sendable, Equatable, Hashable {
        public var programID: Int64
        public var date: LocalDate
        public var position: Int

        public init(programID: Int64, date: LocalDate, position: Int) {
            self.programID = programID
            self.date = date
            self.position = position
        }
    }

    public var id: Int64
    public var bulletinSHA256: String
    public var dispatchClass: Class
    public var sender: String
    /// The sender's area (nil: a system-wide user, the central level).
    public var senderAreaID: String?
    public var note: String?
    /// Priority: the program to enter (nil: each commune's next program occurrence).
    public var programID: Int64?
    /// Emergency: how many times it plays.
    public var repeatCount: Int
    public var createdAt: Date
    public var targets: [Target]

    public static let repeatLimit = 1...5
    public static let noteLimit = 0...500
    /// The emergency band's floor: an emergency preempts everything else.
    public static let emergencyPriority: UInt8 = 220

    public init(id: Int64 = 0, bulletinSHA256: String, dispatchClass: Class, sender: String, senderAreaID: String?, note: String? = nil,
                programID: Int64? = nil, repeatCount: Int = 1, createdAt: Date = Date(timeIntervalSince1970: 0), targets: [Target] = []) {
        self.id = id
        self.bulletinSHA256 = bulletinSHA256
        self.dispatchClass = dispatchClass
        self.sender = sender
        self.senderAreaID = senderAreaID
        self.note = note
        self.programID = programID
        self.repeatCount = repeatCount
        self.createdAt = createdAt
        self.targets = targets
    }
}

/// A placement as the program compiler needs it: which target (its entry id), what plays.
public struct ProgramInsertion: Sendable, Equatable {
    public var targetID: Int64
    public var sha256: String
    public var placement: Dispatch.Placement

    public init(targetID: Int64, sha256: String, placement: Dispatch.Placement) {
        self.targetID = targetID
        self.sha256 = sha256
        self.placement = placement
    }
}

/// Bulletins sent down and what became of them.
public protocol DispatchRepository: Sendable {
    /// Stores the dispatch and one target per commune (`targets`, each with its first state and
    /// placement), in one transaction; bumps the schedule version of every gateway a placement
    /// reaches.
    func createDispatch(_ dispatch: Dispatch, origin: AuditOrigin) async throws(StoreError) -> Dispatch
    func dispatch(_ id: Int64) async throws(StoreError) -> Dispatch
    func allDispatches() async throws(StoreError) -> [Dispatch]
    func dispatchTarget(_ id: Int64) async throws(StoreError) -> Dispatch.Target
    /// Moves a target to `state` (with its placement or reason), checked against the state it
    /// was read in (`from`): a concurrent change is refused, not overwritten.
    func updateDispatchTarget(_ id: Int64, from: Dispatch.Target.State, to state: Dispatch.Target.State, placement: Dispatch.Placement?,
                              reason: String?, origin: AuditOrigin) async throws(StoreError) -> Dispatch.Target
    /// Placements into the program's occurrences on or after `from`, for its compile.
    func insertions(program id: Int64, from: LocalDate) async throws(StoreError) -> [ProgramInsertion]
}
