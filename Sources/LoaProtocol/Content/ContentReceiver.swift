import Crypto

/// Receives one content transfer: hashes chunks incrementally, insists on contiguous offsets,
/// and at `contentEnd` checks size and hash. Pure; the caller writes `accepted` bytes to a
/// partial file and moves it into the cache only when `finish` succeeds.
///
/// Resuming from an offset needs the hash state of the bytes already on disk: start with
/// `resumingFrom:` after re-hashing the partial file (the gateway does this once at startup).
///
/// `@unchecked Sendable`: swift-crypto's `SHA256` is a copy-on-write value (its BoringSSL
/// context is copied before mutation unless uniquely referenced) but is not marked Sendable.
public struct ContentReceiver: @unchecked Sendable {
    public let expected: ContentHash
    public private(set) var receivedBytes: UInt64
    private var hasher: SHA256
    public private(set) var isFinished = false

    /// Starts a transfer from offset 0.
    public init(expected: ContentHash) {
        self.expected = expected
        self.receivedBytes = 0
        self.hasher = SHA256()
    }

    /// Continues a transfer whose first bytes are `prefix` (already stored locally).
    public init(expected: ContentHash, resumingFrom prefix: [UInt8]) {
        self.init(expected: expected)
        hasher.update(data: prefix)
        receivedBytes = UInt64(prefix.count)
    }

    /// The request to send to (re)start this transfer.
    public var request: ContentRequest { ContentRequest(sha256: expected, offset: receivedBytes) }

    /// Accepts the next chunk, or refuses it when it belongs to another transfer or does not
    /// start exactly where the previous one ended. A refused chunk changes nothing.
    public mutating func receive(_ chunk: ContentChunk) throws(ProtocolError) {
        guard chunk.sha256 == expected else {
            throw .contentHashUnexpected(expected: expected.description, received: chunk.sha256.description)
        }
        guard !isFinished, chunk.offset == receivedBytes else {
            throw .contentOutOfOrder(expectedOffset: receivedBytes, receivedOffset: chunk.offset)
        }
        hasher.update(data: chunk.bytes)
        receivedBytes += UInt64(chunk.bytes.count)
    }

    /// Checks the end marker: size first, then the SHA-256 of everything received.
    public mutating func finish(_ end: ContentEnd) throws(ProtocolError) {
        guard end.sha256 == expected else {
            throw .contentHashUnexpected(expected: expected.description, received: end.sha256.description)
        }
        guard end.size == receivedBytes else {
            throw .contentSizeMismatch(expected: end.size, received: receivedBytes)
        }
        isFinished = true
        let computed = Array(hasher.finalize())
        guard computed == expected.bytes else {
            throw .contentHashMismatch(expected: expected.description, computed: Hex.encode(computed))
        }
    }
}
