import Foundation
import Synchronization
import Testing
import WorkflowModel
import WorkflowRepository
@testable import WorkflowStore

@Suite struct DurabilityTests {
    @Test func theFileIsWALWithFullSyncAndABusyTimeout() async throws {
        try await withTemporaryFolder { folder in
            let store = try WorkflowStore(path: folder.appendingPathComponent("a/b/baton.sqlite").path)
            #expect(try store.pragma("journal_mode") == "wal")
            #expect(try store.pragma("synchronous") == "2", "FULL")
            #expect(try store.pragma("busy_timeout") == "5000")
            #expect(try store.pragma("foreign_keys") == "1")

            let relaxed = try WorkflowStore(
                path: store.path, configuration: StoreConfiguration(synchronous: .normal, busyTimeout: .seconds(2)))
            #expect(try relaxed.pragma("synchronous") == "1", "NORMAL")
            #expect(try relaxed.pragma("busy_timeout") == "2000")
        }
    }

    @Test func reopeningTheFileKeepsEverything() async throws {
        try await withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("baton.sqlite").path
            let record = CompositionHistoryTests.record(startedAt: Date(timeIntervalSince1970: 1_800_000_000.5))
            let (summaries, versions): ([WorkflowSummary], [WorkflowVersion]) = try await { () async throws -> ([WorkflowSummary], [WorkflowVersion]) in
                let store = try WorkflowStore(path: path)
                let id = try store.createSample("Kept").workflowID
                _ = try store.addVersion(
                    workflowID: id, definition: StoreFixtures.oddlyFormatted, name: "Kept 2", description: "two",
                    source: .revised, compositionID: record.id)
                _ = try await store.activate(workflowID: id, version: 1)
                _ = try await store.pause(workflowID: id)
                let other = try store.createSample("Other").workflowID
                _ = try await store.archive(workflowID: other)
                try await store.recordComposition(record)
                return (try await store.listWorkflows(), try await store.versions(workflowID: id))
            }()

            let reopened = try WorkflowStore(path: path)
            #expect(try await reopened.listWorkflows() == summaries)
            #expect(try await reopened.versions(workflowID: summaries[1].id) == versions)
            #expect(try await reopened.composition(id: record.id) == record)
            #expect(try reopened.integrityCheck() == "ok")
        }
    }

    @Test func twoStoresWritingAtOnceLoseNothing() async throws {
        try await withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("baton.sqlite").path
            let stores = [try WorkflowStore(path: path), try WorkflowStore(path: path)]
            let perWriter = 200
            let ids = try await withThrowingTaskGroup(of: [Int64].self) { group in
                for (writer, store) in stores.enumerated() {
                    group.addTask {
                        try (0..<perWriter).map { index in
                            try store.createSample("writer \(writer) #\(index)").workflowID
                        }
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }

            #expect(ids.count == 2 * perWriter)
            #expect(Set(ids).count == ids.count)
            for store in stores {
                #expect(try await store.countWorkflows() == 2 * perWriter)
                #expect(try store.integrityCheck() == "ok")
            }
            let names = Set(try await stores[0].listWorkflows().map(\.name))
            #expect(names.count == 2 * perWriter)
        }
    }

    @Test func storesOpeningANewFileAtOnceAllMigrateIt() async throws {
        try await withTemporaryFolder { folder in
            for attempt in 0..<10 {
                let path = folder.appendingPathComponent("race-\(attempt).sqlite").path
                let failures = onThreads(6) { _ in _ = try WorkflowStore(path: path).createSample() }
                #expect(failures.isEmpty, "\(failures)")
                let count = try await WorkflowStore(path: path).countWorkflows()
                #expect(count == 6)
            }
        }
    }

    @Test func aPathThatCannotBeAFolderFailsToOpen() async throws {
        try await withTemporaryFolder { folder in
            let file = folder.appendingPathComponent("plain-file")
            try Data("x".utf8).write(to: file)
            let error = #expect(throws: StoreError.self) {
                try WorkflowStore(path: file.appendingPathComponent("baton.sqlite").path)
            }
            #expect(error?.code == .cannotOpen)
        }
    }

    /// The speed of this is measured by `baton bench list`; here, only that a batch of 10,000 lands and lists right.
    @Test func listingFiftyOfTenThousand() async throws {
        try await withStore { store, _ in
            let definition = StoreFixtures.definition()
            let items = (0..<10_000).map { (definition: definition, name: "workflow \($0)", description: String?.none) }
            let ids = try store.createWorkflows(items, source: .imported)
            #expect(ids.count == 10_000)
            #expect(try await store.countWorkflows() == 10_000)
            #expect(try await store.latestVersion(workflowID: ids[1234]).definition == definition)

            let page = try await store.listWorkflows(state: nil, limit: 50)
            #expect(page.map(\.id) == Array(ids.suffix(50).reversed()), "same updatedAt, so newest id first")
        }
    }
}

/// Runs `body` on `count` threads started together, as separate processes would; returns what they threw.
private func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) throws -> Void) -> [String] {
    let failures = Mutex<[String]>([])
    let finished = DispatchGroup()
    let start = DispatchSemaphore(value: 0)
    for index in 0..<count {
        finished.enter()
        Thread {
            start.wait()
            do { try body(index) } catch { failures.withLock { $0.append("\(error)") } }
            finished.leave()
        }.start()
    }
    for _ in 0..<count { start.signal() }
    finished.wait()
    return failures.withLock { $0 }
}
