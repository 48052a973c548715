import Foundation
import Testing
import WorkflowModel
import WorkflowService
import WorkflowStore

/// API tokens: shown once, stored as hashes, refused once revoked.
@Suite struct TokenServiceTests {
    @Test func aTokenAuthenticatesUntilRevokedAndIsNeverStored() throws {
        let (service, folder) = try LifecycleServiceTests.service()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (token, record) = try service.createToken(name: "ci")
        #expect(record.name == "ci")
        #expect(token.hasPrefix("baton_") && token.count > 40)
        #expect(try service.authenticate(token: token)?.name == "ci")
        #expect(try service.authenticate(token: token + "x") == nil)
        #expect(try service.authenticate(token: "Bearer nonsense") == nil)
        #expect(throws: StoreError.self) { try service.createToken(name: "ci") }
        #expect(throws: ServiceError.self) { try service.createToken(name: "two words") }
        #expect(try service.store.tokens().first?.lastUsedAt != nil)

        // The text of the token is nowhere in the database file.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: service.store.path))
        #expect(bytes.range(of: Data(token.utf8)) == nil)

        try service.store.revokeToken(name: "ci")
        #expect(try service.authenticate(token: token) == nil)
        // The name is free again.
        let (renewed, _) = try service.createToken(name: "ci")
        #expect(renewed != token)
        #expect(try service.authenticate(token: renewed)?.name == "ci")
    }
}
