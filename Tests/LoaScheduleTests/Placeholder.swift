import Testing
@testable import LoaSchedule
@Test func placeholderLoaSchedule() {}
