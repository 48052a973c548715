import Foundation
import Testing
import WorkflowRepository
import WorkflowService

/// Standard Webhooks signatures: the specification's test vector, and every way a delivery is refused.
@Suite struct WebhookSignatureTests {
    // The test vector of the Standard Webhooks reference libraries.
    static let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    static let id = "msg_p5jXN8AQM9LWM0D4loKWxJek"
    static let timestamp = Date(timeIntervalSince1970: 1_614_265_330)
    static let body = Array(#"{"test": 2432232314}"#.utf8)
    static let expected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="

    static let signer = try! WebhookSignature(secret: secret)

    static func verify(
        id: String? = id, timestamp: String? = "1614265330", signature: String? = expected, body: [UInt8] = body,
        now: Date = timestamp, secret: String = secret
    ) -> WebhookSignatureError? {
        do {
            try WebhookSignature(secret: secret).verify(id: id, timestamp: timestamp, signature: signature, body: body, now: now)
            return nil
        } catch {
            return error
        }
    }

    @Test func signsTheSpecificationsTestVector() {
        #expect(Self.signer.sign(id: Self.id, timestamp: Self.timestamp, body: Self.body) == Self.expected)
        #expect(Self.signer.sign(id: Self.id, timestamp: Self.timestamp.addingTimeInterval(0.9), body: Self.body) == Self.expected)
    }

    @Test func acceptsTheTestVectorWithinFiveMinutes() {
        #expect(Self.verify() == nil)
        #expect(Self.verify(now: Self.timestamp.addingTimeInterval(300)) == nil)
        #expect(Self.verify(now: Self.timestamp.addingTimeInterval(-300)) == nil)
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        var why: String
        var id: String? = WebhookSignatureTests.id
        var timestamp: String? = "1614265330"
        var signature: String? = WebhookSignatureTests.expected
        var body = WebhookSignatureTests.body
        var now = WebhookSignatureTests.timestamp
        var error: WebhookSignatureError
        var testDescription: String { why }
    }

    static let refusals: [Refusal] = [
        Refusal(why: "tampered body", body: Array(#"{"test": 2432232315}"#.utf8), error: .noMatchingSignature),
        Refusal(why: "tampered id", id: "msg_p5jXN8AQM9LWM0D4loKWxJel", error: .noMatchingSignature),
        Refusal(why: "tampered timestamp", timestamp: "1614265331", error: .noMatchingSignature),
        Refusal(why: "a signature one bit off", signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OA=", error: .noMatchingSignature),
        Refusal(why: "the right signature under another version", signature: "v1a,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
                error: .noMatchingSignature),
        Refusal(why: "v2 of the right bytes", signature: "v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", error: .noMatchingSignature),
        Refusal(why: "no version", signature: "g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", error: .noMatchingSignature),
        Refusal(why: "not base64", signature: "v1,not base64!", error: .noMatchingSignature),
        Refusal(why: "stale by a second", now: WebhookSignatureTests.timestamp.addingTimeInterval(301), error: .timestampTooOld),
        Refusal(why: "a day old", now: WebhookSignatureTests.timestamp.addingTimeInterval(86_400), error: .timestampTooOld),
        Refusal(why: "from the future", now: WebhookSignatureTests.timestamp.addingTimeInterval(-301), error: .timestampTooNew),
        Refusal(why: "timestamp not a number", timestamp: "hello", error: .malformedTimestamp),
        Refusal(why: "timestamp with a fraction", timestamp: "1614265330.5", error: .malformedTimestamp),
        Refusal(why: "negative timestamp", timestamp: "-1614265330", error: .malformedTimestamp),
        Refusal(why: "timestamp too large", timestamp: "99999999999999999999999", error: .malformedTimestamp),
        Refusal(why: "no id", id: nil, error: .missingHeader("webhook-id")),
        Refusal(why: "empty id", id: "", error: .missingHeader("webhook-id")),
        Refusal(why: "no timestamp", timestamp: nil, error: .missingHeader("webhook-timestamp")),
        Refusal(why: "no signature", signature: nil, error: .missingHeader("webhook-signature")),
    ]

    @Test(arguments: refusals)
    func refuses(_ r: Refusal) {
        #expect(Self.verify(id: r.id, timestamp: r.timestamp, signature: r.signature, body: r.body, now: r.now) == r.error)
    }

    @Test func anyOneOfSeveralSignaturesIsEnough() {
        let several = [
            "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=", "v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=",
            "v1a,anything", Self.expected, "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=",
        ]
        #expect(Self.verify(signature: several.joined(separator: " ")) == nil)
        #expect(Self.verify(signature: several.filter { $0 != Self.expected }.joined(separator: " ")) == .noMatchingSignature)
    }

    @Test func aRotatedKeySignsAlongsideTheOldOne() throws {
        // During a rotation the sender signs with both keys; a receiver that knows either accepts.
        let newer = try WebhookSignature(secret: WebhookSignature.generateSecret())
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let header = [Self.signer, newer].map { $0.sign(id: "msg_1", timestamp: now, body: Self.body) }.joined(separator: " ")
        for receiver in [Self.signer, newer] {
            try receiver.verify(id: "msg_1", timestamp: "1800000000", signature: header, body: Self.body, now: now)
        }
    }

    @Test(arguments: [
        "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_", "whsec_not*base64", "whsec_c2hvcnQ=", "WHSEC_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "",
    ])
    func refusesAMalformedSecret(secret: String) {
        #expect(throws: WebhookSignatureError.malformedSecret) { try WebhookSignature(secret: secret) }
    }

    @Test func acceptsASecretWithoutItsBase64Padding() throws {
        let padded = "whsec_" + Data(repeating: 7, count: 32).base64EncodedString()
        #expect(padded.hasSuffix("="))
        let unpadded = String(padded.drop { $0 != "_" }.dropFirst().prefix { $0 != "=" })
        let a = try WebhookSignature(secret: padded).sign(id: "m", timestamp: Self.timestamp, body: Self.body)
        let b = try WebhookSignature(secret: "whsec_" + unpadded).sign(id: "m", timestamp: Self.timestamp, body: Self.body)
        #expect(a == b)
    }

    @Test func headersAreFoundInAnyCase() throws {
        let headers = ["Webhook-Id": Self.id, "WEBHOOK-TIMESTAMP": "1614265330", "webhook-signature": Self.expected]
        try Self.signer.verify(headers: headers, body: Self.body, now: Self.timestamp)
        #expect(throws: WebhookSignatureError.missingHeader("webhook-signature")) {
            try Self.signer.verify(headers: headers.filter { $0.key != "webhook-signature" }, body: Self.body, now: Self.timestamp)
        }
    }

    @Test func generatedSecretsAreFreshAndUsable() throws {
        let a = WebhookSignature.generateSecret()
        let b = WebhookSignature.generateSecret()
        #expect(a != b && a.hasPrefix("whsec_"))
        let signer = try WebhookSignature(secret: a)
        let now = Date()
        try signer.verify(
            id: "msg_x", timestamp: String(Int(now.timeIntervalSince1970)), signature: signer.sign(id: "msg_x", timestamp: now, body: Self.body),
            body: Self.body, now: now)
    }

    @Test func errorsDescribeThemselvesWithoutTheSecret() {
        let all: [WebhookSignatureError] = [
            .missingHeader("webhook-id"), .malformedSecret, .malformedTimestamp, .timestampTooOld, .timestampTooNew, .noMatchingSignature,
        ]
        #expect(Set(all.map(\.description)).count == all.count)
        #expect(!all.map(\.description).joined().contains("MfKQ"))
    }
}
