import Foundation

// The JSON shapes of bulletins sent down and the communes' inbox (APIHandlers+Dispatches).

/// `POST /api/v1/dispatches`.
struct DispatchInput: APIBody {
    static let notNullableFields: Set<String> = ["areas", "class", "repeat", "program"]
    var bulletin: String
    var areas: [String]?
    var `class`: String?
    var note: String?
    var program: Int64?
    var `repeat`: Int?

    func dispatchClass() throws(APIError) -> Dispatch.Class {
        guard let value = Dispatch.Class(rawValue: self.class ?? "normal") else {
            throw .validation("'class' must be normal, priority or emergency (TT 39/2020's bản tin thông thường, ưu tiên, khẩn cấp)")
        }
        return value
    }
}

/// `POST /api/v1/inbox/{id}/place`.
struct PlacementInput: APIBody {
    static let notNullableFields: Set<String> = ["date"]
    var program: Int64
    var position: Int
    /// The occurrence's local day; absent: the program's next occurrence.
    var date: String?
}

/// `POST /api/v1/inbox/{id}/decline`.
struct DeclineInput: APIBody {
    var reason: String
}

struct APIDispatch: Codable, Sendable {
    struct Play: Codable, Sendable {
        var gatewayId: String
        var kind: String
        var at: String
        var itemId: String
    }

    struct Target: Codable, Sendable {
        var id: Int64
        var areaId: String
        var state: String
        @Nullable var program: Int64?
        @Nullable var date: String?
        @Nullable var position: Int?
        @Nullable var reason: String?
        @Nullable var updatedBy: String?
        var updatedAt: String
        var plays: [Play]

        init(_ target: Dispatch.Target, plays: [Play]) {
            id = target.id
            areaId = target.areaID
            state = target.state.rawValue
            program = target.placement?.programID
            date = target.placement?.date.description
            position = target.placement?.position
            reason = target.reason
            updatedBy = target.updatedBy
            updatedAt = APIJSON.time(target.updatedAt)
            self.plays = plays
        }
    }

    var id: Int64
    var bulletin: String
    @Nullable var title: String?
    var `class`: String
    var sender: String
    var senderLevel: String
    @Nullable var note: String?
    @Nullable var program: Int64?
    var `repeat`: Int
    var createdAt: String
    var targets: [Target]

    init(_ dispatch: Dispatch, title: String?, senderLevel: String, targets: [Target]) {
        id = dispatch.id
        bulletin = dispatch.bulletinSHA256
        self.title = title
        `class` = dispatch.dispatchClass.rawValue
        sender = dispatch.sender
        self.senderLevel = senderLevel
        note = dispatch.note
        program = dispatch.programID
        `repeat` = dispatch.repeatCount
        createdAt = APIJSON.time(dispatch.createdAt)
        self.targets = targets
    }
}

/// One commune's view of a bulletin sent down to it.
struct APIInboxItem: Codable, Sendable {
    var id: Int64
    var dispatchId: Int64
    var areaId: String
    var bulletin: String
    @Nullable var title: String?
    var `class`: String
    var sender: String
    var senderLevel: String
    @Nullable var note: String?
    var state: String
    @Nullable var program: Int64?
    @Nullable var date: String?
    @Nullable var position: Int?
    @Nullable var reason: String?
    var sentAt: String

    init(target: Dispatch.Target, dispatch: Dispatch, title: String?, senderLevel: String) {
        id = target.id
        dispatchId = dispatch.id
        areaId = target.areaID
        bulletin = dispatch.bulletinSHA256
        self.title = title
        `class` = dispatch.dispatchClass.rawValue
        sender = dispatch.sender
        self.senderLevel = senderLevel
        note = dispatch.note
        state = target.state.rawValue
        program = target.placement?.programID
        date = target.placement?.date.description
        position = target.placement?.position
        reason = target.reason
        sentAt = APIJSON.time(dispatch.createdAt)
    }
}
