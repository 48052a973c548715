import Foundation
import Testing
import WorkflowRepository
@testable import WorkflowStore

@Suite struct LifecycleTests {
    /// One action tried from one state, and what must come of it.
    struct Transition: Sendable, CustomTestStringConvertible {
        enum Expected: Sendable { case state(LifecycleState), refused(StoreError.Code) }
        var from: LifecycleState
        var action: LifecycleAction
        var expected: Expected

        var testDescription: String {
            switch expected {
            case .state(let state): "\(action.rawValue) from \(from.rawValue) → \(state.rawValue)"
            case .refused(let code): "\(action.rawValue) from \(from.rawValue) refused: \(code)"
            }
        }
    }

    static let transitions: [Transition] = [
        .init(from: .draft, action: .activate, expected: .state(.active)),
        .init(from: .draft, action: .pause, expected: .refused(.invalidTransition)),
        .init(from: .draft, action: .resume, expected: .refused(.invalidTransition)),
        .init(from: .draft, action: .archive, expected: .state(.archived)),
        .init(from: .draft, action: .edit, expected: .state(.draft)),
        .init(from: .active, action: .activate, expected: .state(.active)),
        .init(from: .active, action: .pause, expected: .state(.paused)),
        .init(from: .active, action: .resume, expected: .refused(.invalidTransition)),
        .init(from: .active, action: .archive, expected: .state(.archived)),
        .init(from: .active, action: .edit, expected: .state(.active)),
        .init(from: .paused, action: .activate, expected: .state(.active)),
        .init(from: .paused, action: .pause, expected: .refused(.invalidTransition)),
        .init(from: .paused, action: .resume, expected: .state(.active)),
        .init(from: .paused, action: .archive, expected: .state(.archived)),
        .init(from: .paused, action: .edit, expected: .state(.paused)),
        .init(from: .archived, action: .activate, expected: .refused(.archived)),
        .init(from: .archived, action: .pause, expected: .refused(.archived)),
        .init(from: .archived, action: .resume, expected: .refused(.archived)),
        .init(from: .archived, action: .archive, expected: .refused(.archived)),
        .init(from: .archived, action: .edit, expected: .refused(.archived)),
    ]

    @Test func theTableCoversEveryStateAndAction() {
        let covered = Set(Self.transitions.map { "\($0.from)-\($0.action)" })
        #expect(covered.count == LifecycleState.allCases.count * LifecycleAction.allCases.count)
        #expect(covered.count == Self.transitions.count)
    }

    @Test(arguments: transitions)
    func transition(_ transition: Transition) async throws {
        try await withStore { store, clock in
            let id = try await Self.workflow(in: transition.from, store: store)
            clock.advance(seconds: 1)
            let before = try await store.workflow(id: id)
            let versionsBefore = try await store.versions(workflowID: id)

            switch transition.expected {
            case .state(let state):
                let after = try await Self.perform(transition.action, on: id, store: store)
                #expect(after.state == state)
                #expect(after == (try await store.workflow(id: id)))
                #expect(after.updatedAt > before.updatedAt)
            case .refused(let code):
                let error = await #expect(throws: StoreError.self) {
                    try await Self.perform(transition.action, on: id, store: store)
                }
                #expect(error?.code == code)
                #expect(try await store.workflow(id: id) == before, "a refused transition changes nothing")
                #expect(try await store.versions(workflowID: id) == versionsBefore)
            }
        }
    }

    @Test func refusalsSayWhatIsWrong() async throws {
        try await withStore { store, _ in
            let id = try store.createSample().workflowID
            let pause = await #expect(throws: StoreError.self) { try await store.pause(workflowID: id) }
            #expect(pause?.description == "workflow \(id) is draft; only an active workflow can be paused")
            let resume = await #expect(throws: StoreError.self) { try await store.resume(workflowID: id) }
            #expect(resume?.description == "workflow \(id) is draft; only a paused workflow can be resumed")

            _ = try await store.archive(workflowID: id)
            let activate = await #expect(throws: StoreError.self) { try await store.activate(workflowID: id) }
            #expect(activate?.description == "workflow \(id) is archived: archived workflows cannot be activated")
            let edit = #expect(throws: StoreError.self) {
                try store.addVersion(workflowID: id, definition: "{}", name: "x", description: nil, source: .edited)
            }
            #expect(edit?.description == "workflow \(id) is archived: archived workflows cannot be edited")
            let archive = await #expect(throws: StoreError.self) { try await store.archive(workflowID: id) }
            #expect(archive?.description == "workflow \(id) is already archived")
        }
    }

    @Test func aSpecificOlderVersionCanBeMadeLive() async throws {
        try await withStore { store, _ in
            let id = try store.createSample().workflowID
            for number in 2...3 {
                _ = try store.addVersion(
                    workflowID: id, definition: StoreFixtures.definition(), name: "v\(number)", description: nil,
                    source: .edited)
            }
            let first = try await store.activate(workflowID: id, version: 1)
            #expect(first.state == .active)
            #expect(first.activeVersion == 1)
            #expect(first.latestVersion == 3)

            #expect(try await store.activate(workflowID: id, version: 2).activeVersion == 2)
            #expect(try await store.activate(workflowID: id).activeVersion == 3, "by default the latest")

            let before = try await store.workflow(id: id)
            let missing = await #expect(throws: StoreError.self) { try await store.activate(workflowID: id, version: 4) }
            #expect(missing?.code == .notFound)
            #expect(try await store.workflow(id: id) == before)
        }
    }

    @Test func anEditedActiveWorkflowStaysLiveOnItsOldVersionUntilActivated() async throws {
        try await withStore { store, _ in
            let id = try store.createSample("Routing").workflowID
            _ = try await store.activate(workflowID: id)
            let draft = try store.addVersion(
                workflowID: id, definition: StoreFixtures.oddlyFormatted, name: "Routing 2", description: nil,
                source: .revised)

            let edited = try await store.workflow(id: id)
            #expect(edited.state == .active)
            #expect(edited.activeVersion == 1)
            #expect(edited.latestVersion == draft.number)
            #expect(edited.name == "Routing 2", "names follow the latest version")

            let live = try await store.activate(workflowID: id)
            #expect(live.state == .active)
            #expect(live.activeVersion == 2)
        }
    }

    @Test func pauseAndResumeKeepTheLiveVersion() async throws {
        try await withStore { store, _ in
            let id = try store.createSample().workflowID
            _ = try store.addVersion(workflowID: id, definition: "{}", name: "v2", description: nil, source: .edited)
            _ = try await store.activate(workflowID: id, version: 1)

            let paused = try await store.pause(workflowID: id)
            #expect(paused.state == .paused)
            #expect(paused.activeVersion == 1)
            let resumed = try await store.resume(workflowID: id)
            #expect(resumed.state == .active)
            #expect(resumed.activeVersion == 1)

            _ = try await store.pause(workflowID: id)
            let activated = try await store.activate(workflowID: id)
            #expect(activated.state == .active)
            #expect(activated.activeVersion == 2, "activating a paused workflow takes the latest by default")

            let archived = try await store.archive(workflowID: id)
            #expect(archived.state == .archived)
            #expect(archived.activeVersion == 2, "archived keeps the version that was live")
        }
    }

    /// A new workflow brought to `state` through the public API.
    static func workflow(in state: LifecycleState, store: WorkflowStore) async throws -> Int64 {
        let id = try store.createSample().workflowID
        switch state {
        case .draft: break
        case .active: _ = try await store.activate(workflowID: id)
        case .paused:
            _ = try await store.activate(workflowID: id)
            _ = try await store.pause(workflowID: id)
        case .archived: _ = try await store.archive(workflowID: id)
        }
        #expect(try await store.workflow(id: id).state == state)
        return id
    }

    @discardableResult
    static func perform(_ action: LifecycleAction, on id: Int64, store: WorkflowStore) async throws -> WorkflowSummary {
        switch action {
        case .activate: return try await store.activate(workflowID: id)
        case .pause: return try await store.pause(workflowID: id)
        case .resume: return try await store.resume(workflowID: id)
        case .archive: return try await store.archive(workflowID: id)
        case .edit:
            _ = try store.addVersion(
                workflowID: id, definition: StoreFixtures.oddlyFormatted, name: "edited", description: nil,
                source: .edited)
            return try await store.workflow(id: id)
        }
    }
}
