/// The outcome of hashing a file that claims to be some content. Pure.
public enum ContentVerification: Hashable, Sendable {
    case verified
    case mismatch(computed: ContentAddress)

    public static func check(expected: ContentAddress, computed: ContentAddress) -> ContentVerification {
        expected == computed ? .verified : .mismatch(computed: computed)
    }
}
