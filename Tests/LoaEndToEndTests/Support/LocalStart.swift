import Foundation

/// A whole second some time from now, and its day and time in the controller's zone
/// (Asia/Ho_Chi_Minh), as `loactl` takes them (`--once YYYY-MM-DD --at HH:MM:SS`).
struct LocalStart {
    let instant: Date
    let day: String
    let time: String

    init(inSeconds seconds: TimeInterval) {
        instant = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + seconds).rounded(.up))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: instant)
        day = String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
        time = String(format: "%02d:%02d:%02d", c.hour!, c.minute!, c.second!)
    }
}
