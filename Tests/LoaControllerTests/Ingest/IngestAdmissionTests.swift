import Testing
@testable import LoaController

/// The queue's decisions as events in, decisions out: no threads, no clock.
@Suite struct IngestAdmissionTests {
    func ticket(_ admission: inout IngestAdmission) throws -> IngestAdmission.Ticket {
        guard case .admitted(let ticket) = admission.admit() else { throw Refused() }
        return ticket
    }

    struct Refused: Error {}

    @Test func beyondCapacityItRefusesWithRetryAfter() throws {
        var admission = IngestAdmission(capacity: 3, workers: 1)
        let a = try ticket(&admission), b = try ticket(&admission), c = try ticket(&admission)
        #expect(admission.admit() == .refused(retryAfterSeconds: 30), "before any ingest ended: the default estimate")
        #expect(admission.requestStart(a) == .now)
        #expect(admission.requestStart(b) == .queued(ahead: 0))
        #expect(admission.requestStart(c) == .queued(ahead: 1))
        // The running one ends after 12.2 s: b starts, and Retry-After follows what ingest takes.
        #expect(admission.finished(a, seconds: 12.2) == [b])
        #expect(admission.running == [b] && admission.waiting == [c])
        _ = try ticket(&admission)
        #expect(admission.admit() == .refused(retryAfterSeconds: 13))
    }

    @Test func aRepeatOrARefusalGivesItsPlaceBackWithoutRunning() throws {
        var admission = IngestAdmission(capacity: 2, workers: 1)
        let a = try ticket(&admission), b = try ticket(&admission)
        #expect(admission.requestStart(a) == .now)
        #expect(admission.release(b) == [])
        #expect(admission.holders == [a])
        let c = try ticket(&admission)
        #expect(admission.requestStart(c) == .queued(ahead: 0))
        #expect(admission.averageJobSeconds == nil)
        #expect(admission.finished(a, seconds: 2) == [c])
        #expect(admission.averageJobSeconds == 2)
    }

    @Test func workersRunInArrivalOrder() throws {
        var admission = IngestAdmission(capacity: 5, workers: 2)
        let t = try (0..<5).map { _ in try ticket(&admission) }
        #expect(t.map { admission.requestStart($0) } == [.now, .now, .queued(ahead: 0), .queued(ahead: 1), .queued(ahead: 2)])
        #expect(admission.finished(t[1], seconds: 1) == [t[2]])
        #expect(admission.release(t[0]) == [t[3]])
        #expect(admission.running == [t[2], t[3]])
    }

    @Test(arguments: [(0.2, 1), (1_000.0, 600), (29.01, 30)])
    func retryAfterStaysInRange(seconds: Double, expected: Int) throws {
        var admission = IngestAdmission(capacity: 1, workers: 1)
        let a = try ticket(&admission)
        _ = admission.requestStart(a)
        _ = admission.finished(a, seconds: seconds)
        _ = try ticket(&admission)
        #expect(admission.admit() == .refused(retryAfterSeconds: expected))
    }
}
