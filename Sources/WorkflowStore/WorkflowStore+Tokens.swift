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

    /// The live token with this hash, noting when it was used to the minute; `nil` for an unknown or revoked one.
    /// Most uses only read: a token noted less than a minute ago is not written again.
    public func useToken(hash: String) async throws -> APIToken? {
        let found = try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM apiToken WHERE hash = ? AND revokedAt IS NULL", arguments: [hash]).map(Self.token)
        }
        let time = timestamp()
        guard var token = found, RepositoryRules.notesUse(lastUsed: token.lastUsedAt?.milliseconds, now: time) else { return found }
        let noted = try await write { db in
            try db.execute(sql: "UPDATE apiToken SET lastUsedAt = ? WHERE hash = ? AND revokedAt IS NULL", arguments: [time, hash])
            return db.changesCount > 0
        }
        guard noted else { return nil }
        token.lastUsedAt = Date(milliseconds: time)
        return token
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
