import Foundation
internal import GRDB
import WorkflowRepository

extension WorkflowStore {
    /// Saves a token by the hash of its text. Refused while another live token has the name.
    public func addToken(name: String, hash: String) async throws -> APIToken {
        try await write { db in
            if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM apiToken WHERE name = ? AND revokedAt IS NULL)", arguments: [name]) == true {
                throw StoreError.tokenExists(name)
            }
            let time = self.timestamp()
            try db.execute(sql: "INSERT INTO apiToken (name, hash, createdAt) VALUES (?, ?, ?)", arguments: [name, hash, time])
            return APIToken(name: name, createdAt: Date(milliseconds: time))
        }
    }

    /// The live token with this hash, noting that it was used; `nil` for an unknown or revoked one.
    public func useToken(hash: String) async throws -> APIToken? {
        try await write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM apiToken WHERE hash = ? AND revokedAt IS NULL", arguments: [hash]) else {
                return nil
            }
            let time = self.timestamp()
            try db.execute(sql: "UPDATE apiToken SET lastUsedAt = ? WHERE hash = ?", arguments: [time, hash])
            var token = Self.token(row)
            token.lastUsedAt = Date(milliseconds: time)
            return token
        }
    }

    /// Revokes the live token of that name.
    @discardableResult
    public func revokeToken(name: String) async throws -> APIToken {
        try await write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM apiToken WHERE name = ? AND revokedAt IS NULL", arguments: [name]) else {
                throw StoreError.noLiveToken(name)
            }
            let time = self.timestamp()
            try db.execute(sql: "UPDATE apiToken SET revokedAt = ? WHERE id = ?", arguments: [time, row["id"] as Int64])
            var token = Self.token(row)
            token.revokedAt = Date(milliseconds: time)
            return token
        }
    }

    /// Every token, revoked ones included, oldest first.
    public func tokens() async throws -> [APIToken] {
        try await read { db in try Row.fetchAll(db, sql: "SELECT * FROM apiToken ORDER BY id").map(Self.token) }
    }

    private static func token(_ row: Row) -> APIToken {
        APIToken(
            name: row["name"], createdAt: Date(milliseconds: row["createdAt"]),
            revokedAt: (row["revokedAt"] as Int64?).map(Date.init(milliseconds:)),
            lastUsedAt: (row["lastUsedAt"] as Int64?).map(Date.init(milliseconds:)))
    }
}
