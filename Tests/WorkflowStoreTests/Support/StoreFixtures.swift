import BatonTestSupport
import Foundation
import WorkflowRepository
@testable import WorkflowStore

/// Stores on real files in a temporary folder, and definitions to put in them.
enum StoreFixtures {
    /// A valid definition from the repository's fixtures, as its file's text.
    static func definition(_ name: String = "lead-routing.json") -> String {
        String(decoding: Fixtures.bytes(Fixtures.validDefinitions, name), as: UTF8.self)
    }

    /// JSON text with odd spacing, key order and non-ASCII, to show it is kept byte for byte.
    static let oddlyFormatted = "{ \"format\":1,\n\t\"name\" : \"café-ünïcode\" ,\"steps\":[ ] }  \n"
}

/// Runs `body` with a store on a new file, with a clock the test moves; the file is removed afterwards.
func withStore<T>(_ body: (WorkflowStore, TestClock) async throws -> T) async throws -> T {
    try await withTemporaryFolder { folder in
        let clock = TestClock()
        let store = try WorkflowStore(path: folder.appendingPathComponent("baton.sqlite").path) { clock.now }
        return try await body(store, clock)
    }
}

extension WorkflowStore {
    /// A new workflow whose definition is a fixture, named `name`.
    @discardableResult
    func createSample(_ name: String = "Lead routing", definition: String = StoreFixtures.definition()) throws
        -> WorkflowVersion
    {
        try createWorkflow(definition: definition, name: name, description: "about \(name)", source: .composed)
    }
}
