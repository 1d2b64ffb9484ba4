import Testing
@testable import LoaSchedule

@Suite struct PriorityTests {
    @Test(arguments: [
        (0, Priority.Band.background), (20, .background), (49, .background),
        (50, .scheduled), (99, .scheduled), (100, .announcement), (149, .announcement),
        (150, .live), (199, .live), (200, .emergency), (255, .emergency),
    ] as [(UInt8, Priority.Band)])
    func bandOfLevel(level: UInt8, band: Priority.Band) {
        #expect(Priority(rawValue: level).band == band)
    }

    @Test func defaultsSitInTheirBandsAndAreOrdered() {
        for band in Priority.Band.allCases {
            #expect(band.levels.contains(band.defaultPriority.rawValue))
            #expect(band.defaultPriority.band == band)
        }
        #expect(Priority.background < .scheduled && Priority.scheduled < .announcement)
        #expect(Priority.announcement < .live && Priority.live < .emergency)
        #expect([Priority.background, .scheduled, .announcement, .live, .emergency].map(\.rawValue) == [20, 60, 120, 170, 230])
    }
}
