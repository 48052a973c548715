import Crypto
import Foundation
import WorkflowRepository

extension WorkflowService {
    /// Makes an API token: 256 random bits as text, returned once; only its SHA-256 is stored.
    public func createToken(name: String) async throws -> (token: String, record: APIToken) {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= 100, trimmed.allSatisfy({ $0.isLetter || $0.isNumber || "-_.@".contains($0) }) else {
            throw ServiceError(.notAllowed, "a token name is 1 to 100 letters, digits, '-', '_', '.' or '@'; \"\(name)\" is not")
        }
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        let text = "baton_" + bytes.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return (text, try await repository.addToken(name: trimmed, hash: Self.hash(text)))
    }

    /// The live token a request presented, or `nil`.
    public func authenticate(token text: String) async throws -> APIToken? {
        guard text.hasPrefix("baton_"), text.utf8.count < 200 else { return nil }
        return try await repository.useToken(hash: Self.hash(text))
    }

    static func hash(_ text: String) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in SHA256.hash(data: Data(text.utf8)) {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: hex, as: UTF8.self)
    }
}

extension WorkflowService {
    /// The token a signed-in page's forms carry: derived from the session's API token, so it needs no storage, names
    /// the session, and cannot be worked back to the API token.
    public func formToken(session token: String) -> String { Self.hash("baton-form:" + token) }
}
