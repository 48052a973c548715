import Foundation
import Testing
import WorkflowModel
import WorkflowService
import WorkflowRepository
import WorkflowStore

/// API tokens: shown once, stored as hashes, refused once revoked.
@Suite struct TokenServiceTests {
    @Test func aTokenAuthenticatesUntilRevokedAndIsNeverStored() async throws {
        let (service, folder) = try LifecycleServiceTests.service()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (token, record) = try await service.createToken(name: "ci")
        #expect(record.name == "ci")
        #expect(token.hasPrefix("baton_") && token.count > 40)
        #expect(try await service.authenticate(token: token)?.name == "ci")
        #expect(try await service.authenticate(token: token + "x") == nil)
        #expect(try await service.authenticate(token: "Bearer nonsense") == nil)
        await #expect(throws: StoreError.self) { try await service.createToken(name: "ci") }
        await #expect(throws: ServiceError.self) { try await service.createToken(name: "two words") }
        #expect(try await service.repository.tokens().first?.lastUsedAt != nil)

        // The text of the token is nowhere in the database file.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: try #require(service.repository as? WorkflowStore).path))
        #expect(bytes.range(of: Data(token.utf8)) == nil)

        try await service.repository.revokeToken(name: "ci")
        #expect(try await service.authenticate(token: token) == nil)
        // The name is free again.
        let (renewed, _) = try await service.createToken(name: "ci")
        #expect(renewed != token)
        #expect(try await service.authenticate(token: renewed)?.name == "ci")
    }
}
