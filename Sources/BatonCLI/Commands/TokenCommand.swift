import ArgumentParser
import Foundation
import WorkflowModel
import WorkflowRepository
import WorkflowService
import WorkflowStore

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Create, list and revoke the API tokens that the server's API asks for.",
        discussion: """
            A token is shown once, when it is made; only its SHA-256 is stored. Send it as \
            `Authorization: Bearer TOKEN`.

            Examples:
              baton token create ci-deploys
              baton token list
              baton token revoke ci-deploys
            """,
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make a token and print it (the only time it is shown).")
        @Argument(help: "A name for the token: who or what uses it.") var name: String
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let service = WorkflowService(repository: try await store.open(create: true), catalog: ConnectorCatalog())
            let (token, record) = try await serviceCall { try await service.createToken(name: name) }
            if json {
                return RunJSON.print(.object(JSONObject([("name", .string(record.name)), ("token", .string(token))])))
            }
            print(token)
            FileHandle.standardError.write(Data("token \(record.name) created; it is shown only now: keep it somewhere safe\n".utf8))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens: names and dates, never their text.")
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let database = try await store.open()
            let tokens = try await serviceCall { try await database.tokens() }
            if json { return try printJSON(tokens) }
            guard !tokens.isEmpty else { return print("no tokens; make one with: baton token create NAME") }
            let rows = tokens.map { token in
                [
                    token.name, ISO8601Text.format(token.createdAt), token.lastUsedAt.map(ISO8601Text.format) ?? "never",
                    token.revokedAt.map { "revoked " + ISO8601Text.format($0) } ?? "live",
                ]
            }
            print(Table.render(header: ["NAME", "CREATED", "LAST USED", "STATE"], rows: rows))
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token: requests bearing it are refused from now on.")
        @Argument(help: "The token's name.") var name: String
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let database = try await store.open()
            let token = try await serviceCall { try await database.revokeToken(name: name) }
            print("token \(token.name) revoked")
        }
    }
}
