/// Timeouts, waits, retry settings and loop concurrency stay within their limits.
struct TimingRule: ValidationRule {
    static let stepTimeoutLimit = WorkflowDuration.hours(24)
    static let waitLimit = WorkflowDuration.days(365)

    func check(_ context: ValidationContext) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        if let timeout = context.definition.timeout {
            diagnostics += limit(timeout, Self.waitLimit, at: "/timeout", what: "the workflow timeout")
        }
        for step in context.definition.allSteps {
            var timeoutLimit = Self.stepTimeoutLimit
            switch step.body {
            case .wait(let wait):
                timeoutLimit = Self.waitLimit
                if let duration = wait.duration {
                    diagnostics += limit(duration, Self.waitLimit, at: step.pointer + "/duration", what: "a wait")
                }
                // Presence is read from the document, so a malformed duration is not also reported as missing.
                let hasDuration = JSONPointer.resolve(step.pointer + "/duration", in: context.document) != nil
                if wait.kind == .timer, hasDuration == (wait.until != nil) {
                    let problem = hasDuration ? "has both \"duration\" and \"until\"" : "has neither \"duration\" nor \"until\""
                    diagnostics.append(Diagnostic(
                        .waitTimer, at: step.pointer, "the timer wait \"\(step.id)\" \(problem)",
                        hint: "Give a timer wait exactly one of \"duration\" (e.g. \"2h\") or \"until\" (a date-time expression)."))
                }
            case .foreach(let loop) where !(1...100).contains(loop.concurrency):
                diagnostics.append(Diagnostic(
                    .foreachConcurrencyRange, at: step.pointer + "/concurrency",
                    "the concurrency of \"\(step.id)\" is \(loop.concurrency); it must be 1 to 100",
                    hint: "Set \"concurrency\" between 1 and 100 (1 runs items one at a time)."))
            default: break
            }
            if let timeout = step.timeout {
                diagnostics += limit(timeout, timeoutLimit, at: step.pointer + "/timeout", what: "the timeout of \"\(step.id)\"")
            }
            if let retry = step.retry { diagnostics += check(retry, at: step.pointer + "/retry") }
        }
        return diagnostics
    }

    private func limit(_ duration: WorkflowDuration, _ limit: WorkflowDuration, at pointer: String, what: String) -> [Diagnostic] {
        guard duration.milliseconds == 0 || duration > limit else { return [] }
        return [Diagnostic(
            .timeoutRange, at: pointer, "\(what) is \(duration); it must be more than 0 and at most \(limit)",
            hint: "Use a duration between 1ms and \(limit).")]
    }

    private func check(_ retry: RetryPolicy, at pointer: String) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        func add(_ field: String, _ message: String, _ hint: String) {
            diagnostics.append(Diagnostic(.retryRange, at: pointer + "/" + field, message, hint: hint))
        }
        if !RetryPolicy.attemptsRange.contains(retry.maxAttempts) {
            add("maxAttempts", "maxAttempts is \(retry.maxAttempts); it must be 1 to 20 (counting the first attempt)",
                "Set \"maxAttempts\" between 1 and 20.")
        }
        if !RetryPolicy.multiplierRange.contains(retry.multiplier) {
            add("multiplier", "multiplier is \(retry.multiplier.jsonText); it must be 1 to 10", "Set \"multiplier\" between 1 and 10, e.g. 2.")
        }
        if retry.maxDelay > RetryPolicy.maxDelayLimit {
            add("maxDelay", "maxDelay is \(retry.maxDelay); it must be at most 24h", "Set \"maxDelay\" to 24h or less.")
        }
        if retry.initialDelay > RetryPolicy.maxDelayLimit {
            add("initialDelay", "initialDelay is \(retry.initialDelay); it must be at most 24h", "Set \"initialDelay\" to 24h or less.")
        } else if retry.initialDelay > retry.maxDelay {
            add("initialDelay", "initialDelay (\(retry.initialDelay)) is larger than maxDelay (\(retry.maxDelay))",
                "Make \"initialDelay\" smaller than \"maxDelay\", or raise \"maxDelay\".")
        }
        return diagnostics
    }
}
