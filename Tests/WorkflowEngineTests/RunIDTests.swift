import Foundation
import Testing
@testable import WorkflowEngine

@Suite struct RunIDTests {
    @Test func idsAreVersion7UUIDsThatSortByCreation() {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let ids = (0..<200).map { RunID.make(at: start.addingTimeInterval(Double($0) * 0.002)) }
        #expect(Set(ids).count == ids.count)
        #expect(ids == ids.sorted())
        for id in ids {
            #expect(UUID(uuidString: id) != nil)
            #expect(Array(id)[14] == "7")
            #expect("89ab".contains(Array(id)[19]))
        }
        #expect(ids[0].hasPrefix(String(UInt64(1_800_000_000_000), radix: 16).leftPadded(to: 12).prefix(8)))
    }
}
