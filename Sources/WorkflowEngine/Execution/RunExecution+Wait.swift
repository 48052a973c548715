import Foundation
import WorkflowModel

extension RunExecution {
    /// A wait: the first pass records it with its deadline and token and suspends the run; a later pass finds it
    /// completed, fired or timed out. A timed-out wait with `onTimeout` steps takes their output.
    func performWait(_ step: Step, _ wait: Step.Wait, key: String, scope: inout RunScope, prefix: String) async throws -> JSONValue {
        if let previous = recorded[key] {
            return try await afterWait(step, wait, outcome: try replay(previous).output, scope: &scope, prefix: prefix)
        }
        var pending = waits[key]
        if pending == nil {
            try checkDeadline(step)
            let created = now
            var deadline: Date?
            switch wait.kind {
            case .timer:
                if let duration = wait.duration {
                    deadline = created.addingTimeInterval(duration.seconds)
                } else if let until = wait.until {
                    let text = try scope.render(until, at: "\(step.id).until").interpolatedText
                    guard let date = ISO8601Text.parse(text) else {
                        throw StepFailure(code: "expression", message: "\(step.id).until gave \"\(text)\", not an ISO 8601 date", transient: false)
                    }
                    deadline = date
                }
            case .callback, .approval:
                deadline = step.timeout.map { created.addingTimeInterval($0.seconds) }
            }
            let message = try wait.message.map { try scope.render($0, at: "\(step.id).message").interpolatedText }
            let record = WaitRecord(
                runID: run.id, key: key, stepID: step.id, kind: wait.kind, token: Self.newToken(), createdAt: created,
                deadline: deadline, message: message)
            try await environment.journal.write([.wait(record)], durable: false)
            pending = record
        }
        guard let pending else { return .null }
        var input = JSONObject([("for", .string(wait.kind.rawValue))])
        if wait.kind != .timer { input["token"] = .string(pending.token) }
        if let deadline = pending.deadline { input["deadline"] = .string(ISO8601Text.format(deadline)) }
        let outcome: JSONValue
        if let resolution = pending.resolution {
            outcome = resolution.output
        } else if let deadline = pending.deadline, deadline <= now {
            if wait.kind == .timer {
                outcome = .null
            } else if wait.onTimeout != nil {
                outcome = .object(JSONObject([("timedOut", .bool(true))]))
            } else {
                var failure = StepFailure(
                    code: "wait.timeout", message: "nobody completed the \(wait.kind.rawValue) within \(step.timeout?.description ?? "its timeout")",
                    transient: false, step: step.id)
                failure.input = .object(input)
                throw failure
            }
        } else {
            try checkDeadline(step)
            throw Suspension(wakeAt: pending.deadline)
        }
        try await record(step, key: key, status: .succeeded, input: .object(input), output: outcome, startedAt: pending.createdAt, durable: false)
        return try await afterWait(step, wait, outcome: outcome, scope: &scope, prefix: prefix)
    }

    private func afterWait(_ step: Step, _ wait: Step.Wait, outcome: JSONValue, scope: inout RunScope, prefix: String) async throws -> JSONValue {
        guard outcome["timedOut"] == .bool(true), let steps = wait.onTimeout else { return outcome }
        return try await runBlock(steps, scope: &scope, prefix: prefix)
    }

    /// 128 random bits as hex: a token that cannot be guessed.
    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<2).map { _ in String(generator.next() as UInt64, radix: 16).leftPadded(to: 16) }.joined()
    }
}

extension String {
    func leftPadded(to length: Int) -> String { String(repeating: "0", count: max(0, length - count)) + self }
}
