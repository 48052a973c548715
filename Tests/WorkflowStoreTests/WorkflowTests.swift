import Foundation
import Testing
import WorkflowRepository
@testable import WorkflowStore

@Suite struct WorkflowTests {
    @Test func aCreatedWorkflowIsListedAndShown() async throws {
        try await withStore { store, clock in
            let first = try store.createSample("Lead routing")
            clock.advance(seconds: 1)
            let second = try store.createWorkflow(
                definition: StoreFixtures.oddlyFormatted, name: "Café report", description: nil, source: .imported,
                compositionID: "c-1")

            #expect(first.workflowID != second.workflowID)
            #expect(second.number == 1)
            #expect(second.source == .imported)
            #expect(second.compositionID == "c-1")

            let listed = try await store.listWorkflows()
            #expect(listed.map(\.id) == [second.workflowID, first.workflowID])
            let shown = try await store.workflow(id: second.workflowID)
            #expect(shown == listed[0])
            #expect(shown.name == "Café report")
            #expect(shown.description == nil)
            #expect(shown.state == .draft)
            #expect(shown.latestVersion == 1)
            #expect(shown.activeVersion == nil)
            #expect(shown.createdAt == clock.now)
            #expect(shown.updatedAt == clock.now)

            let stored = try await store.latestVersion(workflowID: second.workflowID)
            #expect(stored == second)
            #expect(Array(stored.definition.utf8) == Array(StoreFixtures.oddlyFormatted.utf8))
            #expect(try await store.countWorkflows() == 2)
        }
    }

    @Test func versionsAreNumberedInOrderAndNeverChange() async throws {
        try await withStore { store, clock in
            let v1 = try store.createSample("Routing")
            let id = v1.workflowID
            var stamps = [try await store.workflow(id: id).updatedAt]
            clock.advance(seconds: 60)
            let v2 = try store.addVersion(
                workflowID: id, definition: StoreFixtures.oddlyFormatted, name: "Routing, revised",
                description: "second", source: .revised, compositionID: "c-2")
            stamps.append(try await store.workflow(id: id).updatedAt)
            let v3 = try store.addVersion(
                workflowID: id, definition: StoreFixtures.definition("incident-response.json"), name: "Routing, edited",
                description: nil, source: .edited)
            stamps.append(try await store.workflow(id: id).updatedAt)

            #expect([v1.number, v2.number, v3.number] == [Int](1...3))
            #expect(try await store.versions(workflowID: id) == [v1, v2, v3])
            #expect(try await store.version(workflowID: id, number: 1) == v1)
            #expect(try await store.version(workflowID: id, number: 2) == v2)
            #expect(try await store.latestVersion(workflowID: id) == v3)

            let summary = try await store.workflow(id: id)
            #expect(summary.name == "Routing, edited")
            #expect(summary.description == nil)
            #expect(summary.latestVersion == 3)
            #expect(summary.state == .draft)
            // The clock stood still for v3, yet every write moved updatedAt forward.
            #expect(stamps == stamps.sorted() && Set(stamps).count == 3)
        }
    }

    @Test func newestUpdatedComesFirstAndPagesAndFilter() async throws {
        try await withStore { store, clock in
            var ids: [Int64] = []
            for index in 0..<5 {
                ids.append(try store.createSample("Workflow \(index)").workflowID)
                clock.advance(seconds: 1)
            }
            _ = try await store.activate(workflowID: ids[1])
            _ = try await store.activate(workflowID: ids[3])

            #expect(try await store.listWorkflows().map(\.id) == [ids[3], ids[1], ids[4], ids[2], ids[0]])
            #expect(try await store.listWorkflows(state: nil, limit: 2, offset: 1).map(\.id) == [ids[1], ids[4]])
            #expect(try await store.listWorkflows(state: nil, limit: nil, offset: 4).map(\.id) == [ids[0]])
            #expect(try await store.listWorkflows(state: .active).map(\.id) == [ids[3], ids[1]])
            #expect(try await store.listWorkflows(state: .draft, limit: 1).map(\.id) == [ids[4]])
            #expect(try await store.listWorkflows(state: .archived).isEmpty)
            #expect(try await store.countWorkflows(state: .draft) == 3)
            #expect(try await store.countWorkflows(state: .active) == 2)

            let error = await #expect(throws: StoreError.self) { try await store.listWorkflows(state: nil, limit: -1) }
            #expect(error?.code == .invalidArgument)
        }
    }

    @Test func aWorkflowIsFoundByIdOrExactName() async throws {
        try await withStore { store, _ in
            let routing = try store.createSample("Lead routing").workflowID
            let numeric = try store.createSample("2024").workflowID

            #expect(try await store.workflow("\(routing)").id == routing)
            #expect(try await store.workflow("Lead routing").id == routing)
            #expect(try await store.workflow("2024").id == numeric, "no workflow 2024, so the name is meant")

            let missing = await #expect(throws: StoreError.self) { try await store.workflow("lead routing") }
            #expect(missing?.code == .notFound)
        }
    }

    @Test func aSharedNameIsAmbiguousUntilAllButOneAreArchived() async throws {
        try await withStore { store, _ in
            let old = try store.createSample("Nightly report").workflowID
            let new = try store.createSample("Nightly report").workflowID

            let error = await #expect(throws: StoreError.self) { try await store.workflow("Nightly report") }
            #expect(error?.code == .ambiguous)
            #expect(
                error?.description == "2 workflows are named \"Nightly report\" (ids \(old), \(new)); name one by its id")

            _ = try await store.archive(workflowID: old)
            #expect(try await store.workflow("Nightly report").id == new)
            _ = try await store.archive(workflowID: new)
            await #expect(throws: StoreError.self) { try await store.workflow("Nightly report") }
        }
    }

    @Test func readingWhatDoesNotExistThrowsNotFound() async throws {
        try await withStore { store, _ in
            let id = try store.createSample().workflowID
            let reads: [(String, () async throws -> Void)] = [
                ("workflow(id:)", { _ = try await store.workflow(id: 999) }),
                ("workflow(\"999\")", { _ = try await store.workflow("999") }),
                ("versions", { _ = try await store.versions(workflowID: 999) }),
                ("latestVersion", { _ = try await store.latestVersion(workflowID: 999) }),
                ("version 2", { _ = try await store.version(workflowID: id, number: 2) }),
                ("version 0", { _ = try await store.version(workflowID: id, number: 0) }),
                ("composition", { _ = try await store.composition(id: "nope") }),
                ("addVersion", {
                    _ = try store.addVersion(
                        workflowID: 999, definition: "{}", name: "x", description: nil, source: .edited)
                }),
                ("activate", { _ = try await store.activate(workflowID: 999) }),
                ("pause", { _ = try await store.pause(workflowID: 999) }),
            ]
            for (name, read) in reads {
                let error = await #expect(throws: StoreError.self, "\(name)") { try await read() }
                #expect(error?.code == .notFound, "\(name)")
            }
            let error = await #expect(throws: StoreError.self) { try await store.version(workflowID: id, number: 2) }
            #expect(error?.description == "workflow \(id) has no version 2; its only version is 1")
        }
    }
}
