import ArgumentParser
import Foundation
import WorkflowEngine
import WorkflowModel
import WorkflowService

struct EventCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "event", abstract: "Publish an event: start every active workflow whose trigger is that event.",
        discussion: """
            Each workflow subscribed to the event starts a run with the payload as ${trigger...}. With --id, \
            publishing the same event again starts nothing new (each workflow's run for it is shown).

            Examples:
              baton event customer.signed_up --payload '{"email": "ada@example.com"}'
              baton event order.paid --payload @order.json --id evt_123 --detach
            """)

    @Argument(help: "The event's name, as workflows' triggers name it.") var name: String
    @Option(help: ArgumentHelp("The event's payload: JSON, or @file.", valueName: "json")) var payload: String?
    @Option(help: ArgumentHelp("The event's id: the same id starts each workflow once.", valueName: "id")) var id: String?
    @Flag(help: "Only queue the runs for `baton worker` to execute, and return at once.") var detach = false
    @Flag(help: "Print the runs as JSON.") var json = false
    @OptionGroup var engine: EngineOptions
    @OptionGroup var store: StoreOptions

    func run() async throws {
        let data = try RunInput.trigger(payload, option: "--payload") ?? .object(JSONObject())
        let session = try await EngineSession.open(engine, store: store, reporter: RunReporter(showSteps: !json, logJSON: engine.logJSON))
        let started = try await serviceCall { try await session.service.publish(event: name, payload: data, id: id, queue: detach) }
        await session.close()
        if json { return RunJSON.print(.array(started.map { RunJSON.run($0.run) })) }
        guard !started.isEmpty else { return print("no active workflow is triggered by the event \(name)") }
        for (run, created) in started {
            print(RunText.summary(run) + (created ? "" : "  (already started for this event id)"))
        }
    }
}
