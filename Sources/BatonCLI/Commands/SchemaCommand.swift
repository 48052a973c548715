import ArgumentParser
import Foundation

struct SchemaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema of the workflow document.",
        discussion: """
            The schema (JSON Schema draft 2020-12) is the contract given to language models and to editors. \
            It checks the document's shape; `baton validate` checks everything else too (references, \
            expressions, connectors).

            Example: baton schema > workflow.schema.json
            """
    )

    func run() async throws {
        print(try BundledFiles.text("prompts", "workflow.schema.json"), terminator: "")
    }
}
