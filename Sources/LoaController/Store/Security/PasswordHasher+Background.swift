import Dispatch

extension PasswordHasher {
    /// `hash(_:)` on a Dispatch queue: scrypt takes a tenth of a second of CPU and 32 MiB on
    /// purpose, which must not hold one of the few cooperative threads the server runs on.
    func hashInBackground(_ password: String) async throws(StoreError) -> String {
        let result: Result<String, StoreError> = await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                continuation.resume(returning: Result { () throws(StoreError) -> String in try self.hash(password) })
            }
        }
        return try result.get()
    }

    /// `verify(_:against:)` on a Dispatch queue, for the same reason.
    func verifyInBackground(_ password: String, against stored: String) async -> Bool {
        await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                continuation.resume(returning: self.verify(password, against: stored))
            }
        }
    }
}
