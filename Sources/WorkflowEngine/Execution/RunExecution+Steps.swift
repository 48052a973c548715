import Foundation
import WorkflowModel

/// A step's output and, when it was recorded on its own, the order of that record.
struct StepResult {
    var output: JSONValue
    var sequence: Int?
}

extension RunExecution {
    /// Runs steps in order and returns the last one's output.
    func runBlock(_ steps: [Step], scope: inout RunScope, prefix: String) async throws -> JSONValue {
        var last: JSONValue = .null
        for step in steps { last = try await runStep(step, scope: &scope, prefix: prefix) }
        return last
    }

    /// Runs one step, applying its `onError` action when it fails for good, and binds its output in `scope`.
    func runStep(_ step: Step, scope: inout RunScope, prefix: String, compensating: String? = nil) async throws -> JSONValue {
        try Task.checkCancellation()
        let key = prefix + step.id
        let startedAt = now
        let output: JSONValue
        do {
            let result = try await perform(step, key: key, scope: &scope, prefix: prefix, compensating: compensating)
            output = result.output
            if compensating == nil, case .call(let call) = step.body, let compensation = call.compensate, let sequence = result.sequence {
                var snapshot = scope
                snapshot[step.id] = output
                remember(SagaEntry(sequence: sequence, key: key, prefix: prefix, compensation: compensation, scope: snapshot))
            }
        } catch var failure as StepFailure {
            if failure.step == nil { failure.step = step.id }
            output = try await recover(
                from: failure, step: step, key: key, startedAt: startedAt, scope: &scope, prefix: prefix, compensating: compensating)
        }
        scope[step.id] = output
        return output
    }

    /// What a step that failed for good does: skip, run handler steps, or fail its block. Its record spans every
    /// attempt, from `startedAt`.
    private func recover(
        from failure: StepFailure, step: Step, key: String, startedAt: Date, scope: inout RunScope, prefix: String, compensating: String?
    ) async throws -> JSONValue {
        let fresh = !isRecorded(key)
        let durable = step.kind == .call
        let startedAt = start(of: step, key: key, pass: startedAt)
        // The workflow's timeout ends the run whatever the step's own error handling says.
        let action = failure.code == "workflow.timeout" ? nil : step.onError?.action
        switch action {
        case .skip:
            let output = try step.onError?.output.map { try scope.render($0, at: "\(step.id).onError.output") } ?? .null
            if fresh {
                try await record(
                    step, key: key, status: .skipped, attempts: failure.attempts, input: failure.input, output: output,
                    error: failure.runError, startedAt: startedAt, durable: durable, compensates: compensating)
            }
            return output
        case .handle:
            if fresh {
                try await record(
                    step, key: key, status: .failed, attempts: failure.attempts, input: failure.input, output: nil,
                    error: failure.runError, startedAt: startedAt, durable: durable, compensates: compensating)
            }
            var handlerScope = scope
            handlerScope["error"] = failure.runError.scopeValue
            let output = try await runBlock(step.onError?.steps ?? [], scope: &handlerScope, prefix: prefix)
            handlerScope["error"] = scope["error"]
            scope = handlerScope
            return output
        case .abort, .retry, nil:
            if fresh {
                try await record(
                    step, key: key, status: .failed, attempts: failure.attempts, input: failure.input, output: nil,
                    error: failure.runError, startedAt: startedAt, durable: durable, compensates: compensating)
            }
            throw failure
        }
    }

    /// Does what the step's kind does, reusing a recorded outcome where there is one.
    private func perform(_ step: Step, key: String, scope: inout RunScope, prefix: String, compensating: String?) async throws -> StepResult {
        let previous = recorded[key]
        switch step.body {
        case .call(let call):
            if let previous { return try replay(previous) }
            try checkDeadline(step)
            return try await performCall(step, call, key: key, scope: scope, compensating: compensating)
        case .transform(let template):
            if let previous { return try replay(previous) }
            let startedAt = now
            let output = try scope.render(template, at: "\(step.id).output")
            try await record(step, key: key, status: .succeeded, output: output, startedAt: startedAt, durable: false)
            return StepResult(output: output)
        case .fail(let fail):
            if let previous { return try replay(previous) }
            var message = "the workflow failed at \(step.id)"
            if let template = fail.message { message = try scope.render(template, at: "\(step.id).message").interpolatedText }
            throw StepFailure(code: fail.error, message: message, transient: false, step: step.id)
        case .wait(let wait):
            return StepResult(output: try await performWait(step, wait, key: key, scope: &scope, prefix: prefix))
        case .condition(let condition):
            let startedAt = now
            let holds = try scope.evaluate(condition.test, at: "\(step.id).if").isTruthy
            let steps = holds ? condition.then : condition.otherwise
            let output = try await runBlock(steps ?? [], scope: &scope, prefix: prefix)
            try await recordContainer(step, key: key, input: .object(JSONObject([("if", .bool(holds))])), output: output, startedAt: startedAt)
            return StepResult(output: output)
        case .switch(let choice):
            let startedAt = now
            var chosen: (Int?, [Step]?) = (nil, choice.defaultSteps)
            for (i, option) in choice.cases.enumerated() where try scope.evaluate(option.when, at: "\(step.id).cases[\(i)].when").isTruthy {
                chosen = (i, option.steps)
                break
            }
            let output = try await runBlock(chosen.1 ?? [], scope: &scope, prefix: prefix)
            let input: JSONValue = .object(JSONObject([("case", chosen.0.map { .number(Double($0)) } ?? .string("default"))]))
            try await recordContainer(step, key: key, input: input, output: output, startedAt: startedAt)
            return StepResult(output: output)
        case .group(let steps):
            return StepResult(output: try await performGroup(step, steps, key: key, scope: &scope, prefix: prefix))
        case .parallel(let parallel):
            return StepResult(output: try await performParallel(step, parallel, key: key, scope: &scope, prefix: prefix))
        case .foreach(let loop):
            return StepResult(output: try await performLoop(step, loop, key: key, scope: scope, prefix: prefix))
        case .unknown:
            throw StepFailure(code: "validation", message: "\(step.id) has a kind this engine does not know", transient: false)
        }
    }

    func replay(_ record: StepRecord) throws(StepFailure) -> StepResult {
        if record.status == .failed { throw StepFailure(recorded: record) }
        return StepResult(output: record.output ?? .null, sequence: record.sequence)
    }

    /// Records a block-owning step's outcome for the trace, without a commit of its own.
    func recordContainer(_ step: Step, key: String, input: JSONValue?, output: JSONValue, startedAt: Date) async throws {
        guard !isRecorded(key) else { return }
        try await record(
            step, key: key, status: .succeeded, input: input, output: output, startedAt: start(of: step, key: key, pass: startedAt),
            durable: false)
    }

    /// When a block-owning step began: in this pass, or earlier when a step inside it began before (a wait that
    /// the run was resumed from, a step recorded before a crash).
    func start(of step: Step, key: String, pass startedAt: Date) -> Date {
        // In a run's first pass every step inside began after its container.
        guard !step.blocks.isEmpty, !recorded.isEmpty || !waits.isEmpty else { return startedAt }
        var inside: Set<String> = []
        func collect(_ step: Step) { for block in step.blocks { for child in block.steps { inside.insert(child.id); collect(child) } } }
        collect(step)
        let earlier = earliestStart(prefix: String(key.dropLast(step.id.count)), stepIDs: inside)
        return min(startedAt, earlier ?? startedAt)
    }

    private func performGroup(_ step: Step, _ steps: [Step], key: String, scope: inout RunScope, prefix: String) async throws -> JSONValue {
        let startedAt = now
        let policy = step.retry ?? (step.onError?.action == .retry ? .default : nil)
        var attempt = 1
        while true {
            var attemptScope = scope
            let attemptPrefix = attempt == 1 ? prefix : prefix + "\(step.id)#\(attempt)/"
            do {
                let output = try await runBlock(steps, scope: &attemptScope, prefix: attemptPrefix)
                scope = attemptScope
                if !isRecorded(key) {
                    try await record(
                        step, key: key, status: .succeeded, attempts: attempt, output: output,
                        startedAt: start(of: step, key: key, pass: startedAt), durable: false)
                }
                return output
            } catch var failure as StepFailure {
                failure.attempts = attempt
                guard let policy, attempt < policy.maxAttempts, policy.retries(failure) else { throw failure }
                if !failure.replayed {
                    let delay = max(policy.delay(afterAttempt: attempt, random: environment.random), failure.retryAfter ?? 0)
                    if let deadline = activeDeadline, now.addingTimeInterval(delay) >= deadline { throw failure }
                    try await environment.clock.sleep(until: now.addingTimeInterval(delay))
                }
                attempt += 1
            }
        }
    }
}
