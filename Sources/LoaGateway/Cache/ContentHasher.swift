import Crypto

/// Streams a file through SHA-256: the I/O half of verification.
enum ContentHasher {
    static let chunkSize = 256 << 10

    static func hash(file path: String) throws(DiskError) -> (address: ContentAddress, size: UInt64) {
        let file = try DiskFile.openForReading(path)
        var hasher = SHA256()
        var size: UInt64 = 0
        while true {
            let chunk = try file.read(upTo: chunkSize)
            if chunk.isEmpty { break }
            hasher.update(data: chunk)
            size += UInt64(chunk.count)
        }
        return (ContentAddress(digest: hasher.finalize()), size)
    }
}
