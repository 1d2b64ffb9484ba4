/// Why the content cache refused or failed an operation. Every case leaves the cache
/// consistent: `cache/` holds only verified files, `partial/` only prefixes.
public enum CacheError: Error, Hashable, Sendable, CustomStringConvertible {
    case disk(DiskError)
    /// The file system filled up while writing a partial download; its bytes so far are kept.
    case diskFull(ContentAddress, offset: UInt64, expectedSize: UInt64)
    /// The complete download does not hash to its address; the partial was deleted.
    case hashMismatch(ContentAddress, size: UInt64, computed: ContentAddress)
    /// The content cannot fit under the quota even after evicting everything unneeded.
    case quotaExceeded(ContentAddress, size: UInt64, quota: UInt64, missingBytes: UInt64)
    /// A chunk would take the download past its expected size; the chunk was not written.
    case tooManyBytes(ContentAddress, expectedSize: UInt64, wouldReach: UInt64)
    /// Another writer holds this download.
    case downloadInProgress(ContentAddress)
    /// The download was already completed or failed; start a new one.
    case downloadClosed(ContentAddress)

    public var description: String {
        switch self {
        case .disk(let error):
            return "content cache: \(error)"
        case .diskFull(let address, let offset, let expected):
            return "content \(address.short): disk full at byte \(offset) of \(expected); the partial download is kept and resumes from there once space is freed"
        case .hashMismatch(let address, let size, let computed):
            return "content \(address.short): SHA-256 mismatch after \(size) bytes (computed \(computed.short)); discarded the partial download"
        case .quotaExceeded(let address, let size, let quota, let missing):
            return "content \(address.short): \(size) bytes do not fit the \(quota)-byte cache quota even after evicting all content the schedule does not need; \(missing) bytes missing — raise the quota or shorten the schedule"
        case .tooManyBytes(let address, let expected, let reach):
            return "content \(address.short): chunk would reach \(reach) bytes but the content is \(expected) bytes; chunk refused"
        case .downloadInProgress(let address):
            return "content \(address.short): a download is already in progress"
        case .downloadClosed(let address):
            return "content \(address.short): this download already finished or failed; begin a new one"
        }
    }
}
