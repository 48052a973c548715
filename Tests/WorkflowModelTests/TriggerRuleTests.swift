import Foundation
import Testing
import WorkflowModel

/// What a trigger may say: webhook signing and paths, schedule catch-up and overlap policies.
@Suite struct TriggerRuleTests {
    static func validate(_ trigger: String) -> ValidationResult {
        WorkflowValidator().validate(json: #"{"format": 1, "name": "t", "trigger": \#(trigger), "steps": [{"id": "a", "kind": "transform", "output": 1}]}"#)
    }

    static func codes(_ trigger: String) -> [String] {
        validate(trigger).errors.map { "\($0.code) \($0.pointer)" }
    }

    @Test(arguments: [
        (#"{"type": "webhook", "path": "/hooks/leads", "secret": "LEADS_WEBHOOK_SECRET"}"#, []),
        (#"{"type": "webhook", "path": "/hooks/leads", "auth": "none"}"#, []),
        (#"{"type": "webhook", "path": "/hooks/leads"}"#, ["trigger.webhook-unsigned /trigger"]),
        (#"{"type": "webhook", "auth": "basic"}"#, ["field.value /trigger/auth", "trigger.webhook-unsigned /trigger"]),
        (#"{"type": "webhook", "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}"#, ["field.value /trigger/secret"]),
        (#"{"type": "webhook", "secret": "my secret"}"#, ["field.value /trigger/secret"]),
        (#"{"type": "webhook", "secret": "S", "auth": "none"}"#, ["field.value /trigger/auth"]),
        (#"{"type": "webhook", "path": "/hooks/a b", "secret": "S"}"#, ["trigger.path-invalid /trigger/path"]),
        (#"{"type": "webhook", "path": "https://example.com/hooks", "secret": "S"}"#, ["trigger.path-invalid /trigger/path"]),
        (#"{"type": "webhook", "path": "/\#(String(repeating: "a", count: 200))", "secret": "S"}"#, ["trigger.path-invalid /trigger/path"]),
        (#"{"type": "webhook", "path": "/\#(String(repeating: "a", count: 199))", "secret": "S"}"#, []),
        (#"{"type": "event", "event": "e", "secret": "S"}"#, ["field.unknown /trigger/secret"]),
        (#"{"type": "schedule", "cron": "0 7 * * *", "timezone": "Europe/London", "catchUp": "all", "maxCatchUp": 10, "overlap": "buffer"}"#, []),
        (#"{"type": "schedule", "cron": "0 7 * * *", "timezone": "Mars/Olympus"}"#, ["field.value /trigger/timezone"]),
        (#"{"type": "schedule", "cron": "0 7 * * *", "maxCatchUp": 1001}"#, ["field.value /trigger/maxCatchUp"]),
        (#"{"type": "schedule", "cron": "0 7 * * *", "maxCatchUp": 2.5}"#, ["field.type /trigger/maxCatchUp"]),
        (#"{"type": "schedule", "cron": "0 7 * * *", "overlap": "queue"}"#, ["field.value /trigger/overlap"]),
        (#"{"type": "manual", "overlap": "skip"}"#, ["field.unknown /trigger/overlap"]),
        (#"{"type": "schedule", "cron": "0 0 30 2 *"}"#, ["cron.invalid /trigger/cron"]),
        (#"{"type": "schedule", "cron": "0 0 31 4,6,9,11 *"}"#, ["cron.invalid /trigger/cron"]),
        (#"{"type": "schedule", "cron": "0 0 29 2 *"}"#, []),
        (#"{"type": "schedule", "cron": "0 0 30 2 MON"}"#, []),
    ] as [(String, [String])])
    func triggersAreChecked(trigger: String, expected: [String]) {
        #expect(Self.codes(trigger) == expected, "\(trigger)")
    }

    @Test func theUnsignedWebhookHintSaysHowToFixIt() throws {
        let diagnostic = try #require(Self.validate(#"{"type": "webhook", "path": "/hooks/leads"}"#).errors.first)
        #expect(diagnostic.hint.contains(#""secret": "NAME""#))
        #expect(diagnostic.hint.contains(#""auth": "none""#))
    }

    @Test func policiesHaveDefaultsAndShowInTheOutline() throws {
        let plain = try #require(Self.validate(#"{"type": "schedule", "cron": "0 7 * * *"}"#).definition?.trigger)
        #expect(plain.catchUpPolicy == .latest && plain.overlapPolicy == .skip && plain.catchUpLimit == 100)
        #expect(plain.outline == #"schedule "0 7 * * *"; catch-up latest, overlap skip"#)
        let all = try #require(
            Self.validate(#"{"type": "schedule", "cron": "0 7 * * *", "timezone": "UTC", "catchUp": "all", "maxCatchUp": 5, "overlap": "buffer"}"#)
                .definition?.trigger)
        #expect(all.outline == #"schedule "0 7 * * *" (UTC); catch-up all, at most 5, overlap buffer"#)
        let signed = try #require(Self.validate(#"{"type": "webhook", "path": "/hooks/x", "secret": "X_SECRET"}"#).definition?.trigger)
        #expect(signed.outline == "webhook /hooks/x; signed with secret X_SECRET")
        let unsigned = try #require(Self.validate(#"{"type": "webhook", "path": "/hooks/x", "auth": "none"}"#).definition?.trigger)
        #expect(unsigned.outline == "webhook /hooks/x; unsigned")
    }
}
