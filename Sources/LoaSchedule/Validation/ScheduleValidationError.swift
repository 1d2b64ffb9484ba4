/// Something in a schedule that an operator must fix before it can be sent to a gateway.
/// Every case names the entry (`schedule 'id'`) and says what to change.
public enum ScheduleValidationError: Error, Hashable, Sendable, CustomStringConvertible {
    case unknownTimeZone(String)
    /// The zone's TZif file is missing or not valid: the description names the file.
    case zoneFile(zone: String, String)
    case emptyEntryId(index: Int)
    case duplicateEntryId(String)
    case invalidDate(entry: String, field: String, LocalDate)
    case invalidTime(entry: String, LocalTime)
    case validToBeforeValidFrom(entry: String, validFrom: LocalDate, validTo: LocalDate)
    case onceOutsideValidity(entry: String, date: LocalDate)
    case nonexistentLocalTime(entry: String, date: LocalDate, time: LocalTime, timeZone: String)
    case emptyWeekdays(entry: String)
    case repeatCountNotPositive(entry: String, Int)
    case durationNotPositive(entry: String, durationMs: Int64)
    case badContentHash(entry: String, String)
    case offsetOutOfRange(entry: String, offsetMs: Int64)

    public var description: String {
        switch self {
        case .unknownTimeZone(let zone):
            return "schedule time zone '\(zone)' is not a known IANA zone; use e.g. Asia/Ho_Chi_Minh"
        case .zoneFile(let zone, let reason):
            return "schedule time zone '\(zone)': \(reason)"
        case .emptyEntryId(let index):
            return "schedule entry #\(index + 1) has an empty id; give every entry a unique id"
        case .duplicateEntryId(let id):
            return "schedule '\(id)': the id is used by more than one entry; ids must be unique"
        case .invalidDate(let id, let field, let date):
            return "schedule '\(id)': \(field) \(date) is not a calendar date"
        case .invalidTime(let id, let time):
            return "schedule '\(id)': time \(time) is not a time of day; use 00:00:00 to 23:59:59"
        case .validToBeforeValidFrom(let id, let from, let to):
            return "schedule '\(id)': valid-to \(to) is before valid-from \(from)"
        case .onceOutsideValidity(let id, let date):
            return "schedule '\(id)': it plays once on \(date), outside its valid-from/valid-to range, so it would never play"
        case .nonexistentLocalTime(let id, let date, let time, let zone):
            return "schedule '\(id)': \(date) \(time) does not exist in \(zone) (clocks skip it for daylight saving); pick a time outside the gap"
        case .emptyWeekdays(let id):
            return "schedule '\(id)': weekly with no weekdays chosen; choose at least one day"
        case .repeatCountNotPositive(let id, let count):
            return "schedule '\(id)': repeat count \(count) must be at least 1"
        case .durationNotPositive(let id, let ms):
            return "schedule '\(id)': content duration \(ms) ms must be more than 0; re-ingest the bulletin"
        case .offsetOutOfRange(let id, let ms):
            return "schedule '\(id)': offset \(ms) ms must be 0 to 86400000 (a day); split a longer program"
        case .badContentHash(let id, let hash):
            return "schedule '\(id)': content hash '\(hash)' is not a SHA-256 (64 lowercase hex digits)"
        }
    }
}
