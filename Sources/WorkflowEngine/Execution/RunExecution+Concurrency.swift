import Foundation
import WorkflowModel

/// How one parallel branch or loop iteration ended.
private enum Outcome: Sendable {
    case done(JSONValue, RunScope)
    case failed(StepFailure)
    case suspended(Suspension)
    case stopped(any Error)
}

extension RunExecution {
    private func outcome(_ body: () async throws -> (JSONValue, RunScope)) async -> Outcome {
        do {
            let (output, scope) = try await body()
            return .done(output, scope)
        } catch let failure as StepFailure {
            return .failed(failure)
        } catch let suspension as Suspension {
            return .suspended(suspension)
        } catch {
            return .stopped(error)
        }
    }

    /// Runs the branches at once. A failing branch cancels the others when `failFast`; otherwise all finish first.
    func performParallel(_ step: Step, _ parallel: Step.Parallel, key: String, scope: inout RunScope, prefix: String) async throws -> JSONValue {
        let startedAt = now
        let base = scope
        var outcomes = [Outcome?](repeating: nil, count: parallel.branches.count)
        var firstFailure: StepFailure?
        await withTaskGroup(of: (Int, Outcome).self) { group in
            for (i, branch) in parallel.branches.enumerated() {
                group.addTask {
                    var branchScope = base
                    return (i, await self.outcome {
                        let output = try await self.runBlock(branch.steps, scope: &branchScope, prefix: prefix)
                        return (output, branchScope)
                    })
                }
            }
            for await (i, outcome) in group {
                outcomes[i] = outcome
                if case .failed(let failure) = outcome, firstFailure == nil {
                    firstFailure = failure
                    if parallel.failFast { group.cancelAll() }
                }
            }
        }
        var output = JSONObject()
        var suspensions: [Suspension] = []
        for (i, outcome) in outcomes.enumerated() {
            switch outcome {
            case .done(let value, let branchScope)?:
                output[parallel.branches[i].name] = value
                for (name, value) in branchScope.values where base.values[name] == nil { scope[name] = value }
            case .failed(let failure)?:
                if !parallel.failFast, firstFailure == nil { firstFailure = failure }
            case .suspended(let suspension)?:
                suspensions.append(suspension)
            case .stopped(let error)?:
                if firstFailure == nil { throw error }
            case nil:
                break
            }
        }
        if let firstFailure { throw firstFailure }
        if !suspensions.isEmpty { throw Suspension.earliest(suspensions) }
        let value = JSONValue.object(output)
        try await recordContainer(step, key: key, input: nil, output: value, startedAt: startedAt)
        return value
    }

    /// Runs the body once per item, at most `concurrency` at a time, and collects each iteration's output in order.
    func performLoop(_ step: Step, _ loop: Step.ForEach, key: String, scope: RunScope, prefix: String) async throws -> JSONValue {
        let startedAt = now
        let value = try scope.evaluate(loop.items, at: "\(step.id).items")
        guard case .array(let items) = value else {
            throw StepFailure(code: "expression", message: "\(step.id).items gave a \(value.typeName), not a list", transient: false)
        }
        let iterate: @Sendable (Int) async throws -> (JSONValue, RunScope) = { i in
            var iteration = scope
            iteration[loop.variable] = items[i]
            iteration["index"] = .number(Double(i))
            let last = try await self.runBlock(loop.steps, scope: &iteration, prefix: prefix + "\(step.id)[\(i)]/")
            let output = try loop.output.map { try iteration.render($0, at: "\(step.id).output") } ?? last
            return (output, iteration)
        }
        var results = [JSONValue](repeating: .null, count: items.count)
        if loop.concurrency <= 1 {
            for i in items.indices { results[i] = try await iterate(i).0 }
        } else {
            var firstFailure: StepFailure?
            var suspensions: [Suspension] = []
            var stopped: (any Error)?
            await withTaskGroup(of: (Int, Outcome).self) { group in
                var next = 0
                func launch() {
                    let i = next
                    next += 1
                    group.addTask { (i, await self.outcome { try await iterate(i) }) }
                }
                while next < min(items.count, loop.concurrency) { launch() }
                for await (i, outcome) in group {
                    switch outcome {
                    case .done(let output, _): results[i] = output
                    case .failed(let failure):
                        if firstFailure == nil { firstFailure = failure; group.cancelAll() }
                    case .suspended(let suspension): suspensions.append(suspension)
                    case .stopped(let error): stopped = stopped ?? error
                    }
                    if firstFailure == nil, stopped == nil, suspensions.isEmpty, next < items.count { launch() }
                }
            }
            if let firstFailure { throw firstFailure }
            if let stopped { throw stopped }
            if !suspensions.isEmpty { throw Suspension.earliest(suspensions) }
        }
        let output = JSONValue.array(results)
        try await recordContainer(step, key: key, input: .object(JSONObject([("items", .number(Double(items.count)))])), output: output, startedAt: startedAt)
        return output
    }
}
