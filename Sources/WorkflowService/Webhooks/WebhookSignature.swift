import Crypto
import Foundation

/// Signs and verifies webhook deliveries as the Standard Webhooks specification (1.0) describes: the sender puts
/// `webhook-id`, `webhook-timestamp` (Unix seconds) and `webhook-signature` on the request, the signature being
/// `v1,` and the base64 HMAC-SHA256 of `id.timestamp.body` under the key of a `whsec_` secret. Pure: the time is
/// passed in.
public struct WebhookSignature: Sendable {
    /// How far a delivery's timestamp may be from now, either way.
    public static let tolerance: TimeInterval = 5 * 60
    /// The shortest key accepted, in bytes; the specification recommends 24 to 64.
    public static let minimumKeyBytes = 16
    static let secretPrefix = "whsec_"

    /// The key's bytes (swift-crypto's `SymmetricKey` is not `Sendable`).
    private let key: Data

    /// The signer of a secret written as `whsec_` and the key in base64.
    public init(secret: String) throws(WebhookSignatureError) {
        guard secret.hasPrefix(Self.secretPrefix), let bytes = Self.base64(secret.dropFirst(Self.secretPrefix.count)),
            bytes.count >= Self.minimumKeyBytes
        else { throw .malformedSecret }
        key = bytes
    }

    /// A new random secret (32 bytes), written as `whsec_...`: what a sender and Baton share.
    public static func generateSecret() -> String {
        secretPrefix + SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
    }

    /// The `webhook-signature` header value for a delivery: `v1,` and the base64 signature.
    public func sign(id: String, timestamp: Date, body: some DataProtocol) -> String {
        "v1," + Data(mac(id: id, timestamp: Self.seconds(timestamp), body: body)).base64EncodedString()
    }

    /// Checks a delivery's headers against its body as received (before any parsing), at `now`. Any one `v1`
    /// signature in the header that matches is enough; signatures of other versions are ignored.
    public func verify(id: String?, timestamp: String?, signature: String?, body: some DataProtocol, now: Date) throws(WebhookSignatureError) {
        guard let id, !id.isEmpty else { throw .missingHeader("webhook-id") }
        guard let timestamp, !timestamp.isEmpty else { throw .missingHeader("webhook-timestamp") }
        guard let signature, !signature.isEmpty else { throw .missingHeader("webhook-signature") }
        guard timestamp.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }), let seconds = Int64(timestamp) else {
            throw .malformedTimestamp
        }
        let age = now.timeIntervalSince1970 - Double(seconds)
        if age > Self.tolerance { throw .timestampTooOld }
        if age < -Self.tolerance { throw .timestampTooNew }
        let expected = mac(id: id, timestamp: seconds, body: body)
        for entry in signature.split(separator: " ") {
            let parts = entry.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0] == "v1", let candidate = Data(base64Encoded: String(parts[1])) else { continue }
            if expected == candidate { return }  // HMAC's comparison takes the same time wherever the bytes differ
        }
        throw .noMatchingSignature
    }

    /// Checks a delivery given its headers by name, in any case.
    public func verify(headers: [String: String], body: some DataProtocol, now: Date) throws(WebhookSignatureError) {
        func header(_ name: String) -> String? { headers.first { $0.key.lowercased() == name }?.value }
        try verify(
            id: header("webhook-id"), timestamp: header("webhook-timestamp"), signature: header("webhook-signature"), body: body,
            now: now)
    }

    private func mac(id: String, timestamp: Int64, body: some DataProtocol) -> HMAC<SHA256>.MAC {
        var hmac = HMAC<SHA256>(key: SymmetricKey(data: key))
        hmac.update(data: Array("\(id).\(timestamp).".utf8))
        hmac.update(data: body)
        return hmac.finalize()
    }

    private static func seconds(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970.rounded(.down)) }

    /// Standard base64, with or without its padding.
    private static func base64(_ text: Substring) -> Data? {
        let padded = text + String(repeating: "=", count: (4 - text.count % 4) % 4)
        return Data(base64Encoded: String(padded))
    }
}

/// Why a webhook delivery, or a secret, was refused. The description is short and stable (safe as a metrics label).
public struct WebhookSignatureError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: Hashable, Sendable {
        case missingHeader(String), malformedSecret, malformedTimestamp, timestampTooOld, timestampTooNew, noMatchingSignature
    }

    private let code: Code
    private init(_ code: Code) { self.code = code }

    /// A required header (`webhook-id`, `webhook-timestamp` or `webhook-signature`) is absent or empty.
    public static func missingHeader(_ name: String) -> Self { Self(.missingHeader(name)) }
    /// The secret is not `whsec_` and base64 of at least 16 bytes.
    public static let malformedSecret = Self(.malformedSecret)
    /// `webhook-timestamp` is not a whole number of seconds.
    public static let malformedTimestamp = Self(.malformedTimestamp)
    /// Signed more than 5 minutes ago: a replay, or a sender that retried too late.
    public static let timestampTooOld = Self(.timestampTooOld)
    /// Signed more than 5 minutes from now.
    public static let timestampTooNew = Self(.timestampTooNew)
    /// No `v1` signature in the header matches the body under the secret.
    public static let noMatchingSignature = Self(.noMatchingSignature)

    public var description: String {
        switch code {
        case .missingHeader(let name): "missing header \(name)"
        case .malformedSecret: "malformed secret"
        case .malformedTimestamp: "malformed timestamp"
        case .timestampTooOld: "timestamp too old"
        case .timestampTooNew: "timestamp too new"
        case .noMatchingSignature: "no matching signature"
        }
    }
}
