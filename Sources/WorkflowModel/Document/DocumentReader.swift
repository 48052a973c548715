/// Turns a parsed JSON document into a `WorkflowDefinition`, reporting every structural problem it meets.
///
/// Reading never stops at the first problem: a missing or mistyped field gets a placeholder so that the
/// rules that run afterwards still see the rest of the document.
struct DocumentReader {
    private(set) var diagnostics: [Diagnostic] = []
    private var sites: [ExpressionSite] = []

    mutating func read(_ document: JSONValue) -> WorkflowDefinition {
        var definition = WorkflowDefinition(
            format: WorkflowDefinition.formatVersion, name: "", trigger: .manual, inputs: [], steps: [],
            onError: .default)
        guard case .object(let object) = document else {
            diagnostics.append(Diagnostic(
                .fieldType, at: "", "the document must be a JSON object, not \(article(document.typeName)) \(document.typeName)",
                hint: "Return one JSON object with \"format\", \"name\" and \"steps\"."))
            return definition
        }
        var fields = ObjectReader(object, at: "")
        let what = "the workflow"
        switch fields.value("format", required: true, what: what, into: &diagnostics) {
        case .number(let n) where n == Double(WorkflowDefinition.formatVersion): break
        case .number(let n):
            diagnostics.append(Diagnostic(
                .formatVersion, at: "/format", "format \(n.jsonText) is not supported; this version of Baton reads format 1",
                hint: "Set \"format\" to 1."))
        case .some(let other):
            diagnostics.append(Diagnostic(
                .fieldType, at: "/format", "\"format\" must be the number 1, not \(article(other.typeName)) \(other.typeName)",
                hint: "Set \"format\" to 1."))
        case .none: break
        }
        if let name = fields.string("name", required: true, what: what, into: &diagnostics) {
            definition.name = name
            if !Self.isValidName(name) {
                diagnostics.append(Diagnostic(
                    .fieldValue, at: "/name",
                    "the name \"\(name)\" must be 1 to 100 letters, digits, spaces, '-', '_' or '.', starting with a letter or digit",
                    hint: "Use a short name such as \"customer-onboarding\"."))
            }
        }
        definition.description = fields.string("description", what: what, into: &diagnostics)
        if let trigger = fields.object("trigger", what: what, into: &diagnostics) {
            definition.trigger = readTrigger(trigger)
        }
        if let inputs = fields.array("inputs", what: what, into: &diagnostics) {
            definition.inputs = inputs.enumerated().compactMap { readInput($1, at: "/inputs/\($0)") }
        }
        definition.timeout = duration(&fields, "timeout", what: what)
        if let onError = fields.object("onError", what: what, into: &diagnostics) {
            var policy = ObjectReader(onError, at: "/onError")
            let policyWhat = "the workflow's onError"
            definition.onError.action =
                policy.choice("action", WorkflowErrorPolicy.Action.self, required: true, what: policyWhat, into: &diagnostics)
                ?? .compensate
            if let steps = policy.value("steps", what: policyWhat, into: &diagnostics) {
                definition.onError.steps = readSteps(steps, at: "/onError/steps")
            }
            policy.reportUnknown(what: policyWhat, allowed: "action, steps", into: &diagnostics)
        }
        if let steps = fields.value("steps", required: true, what: what, into: &diagnostics) {
            definition.steps = readSteps(steps, at: "/steps")
        }
        fields.reportUnknown(
            what: what, allowed: "format, name, description, trigger, inputs, steps, timeout, onError", into: &diagnostics)
        return definition
    }

    static func isValidName(_ name: String) -> Bool {
        guard (1...100).contains(name.count), let first = name.unicodeScalars.first,
            first.properties.isAlphabetic || ("0"..."9").contains(first)
        else { return false }
        return name.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || " _.-".unicodeScalars.contains($0) }
    }

    mutating func readTrigger(_ object: JSONObject) -> Trigger {
        var fields = ObjectReader(object, at: "/trigger")
        let what = "the trigger"
        let kind = fields.choice("type", Trigger.Kind.self, required: true, what: what, into: &diagnostics) ?? .manual
        var trigger = Trigger(kind: kind)
        trigger.cron = fields.string("cron", required: kind == .schedule, what: "a schedule trigger", into: &diagnostics)
        trigger.timezone = fields.string("timezone", what: what, into: &diagnostics)
        trigger.event = fields.string("event", required: kind == .event, what: "an event trigger", into: &diagnostics)
        trigger.path = fields.string("path", what: what, into: &diagnostics)
        var allowed = "type, cron, timezone, event, path"
        switch kind {
        case .webhook:
            let webhook = "a webhook trigger"
            trigger.secret = fields.string("secret", what: webhook, into: &diagnostics)
            trigger.auth = fields.choice("auth", Trigger.Auth.self, what: webhook, into: &diagnostics)
            allowed += ", secret, auth"
        case .schedule:
            let schedule = "a schedule trigger"
            trigger.catchUp = fields.choice("catchUp", Trigger.CatchUp.self, what: schedule, into: &diagnostics)
            trigger.maxCatchUp = fields.integer("maxCatchUp", what: schedule, into: &diagnostics)
            trigger.overlap = fields.choice("overlap", Trigger.Overlap.self, what: schedule, into: &diagnostics)
            allowed += ", catchUp, maxCatchUp, overlap"
        case .manual, .event: break
        }
        fields.reportUnknown(what: "\(article(kind.rawValue)) \(kind.rawValue) trigger", allowed: allowed, into: &diagnostics)
        return trigger
    }

    private mutating func readInput(_ value: JSONValue, at pointer: String) -> InputParameter? {
        guard case .object(let object) = value else {
            diagnostics.append(typeDiagnostic(at: pointer, what: "an input", expected: "object", found: value))
            return nil
        }
        var fields = ObjectReader(object, at: pointer)
        let what = "an input"
        let name = fields.string("name", required: true, what: what, into: &diagnostics) ?? ""
        if !name.isEmpty, !Self.isIdentifier(name) {
            diagnostics.append(Diagnostic(
                .fieldValue, at: pointer + "/name", "the input name \"\(name)\" is not an identifier",
                hint: "Use letters, digits and '_' only, starting with a letter, e.g. \"customer_email\"."))
        }
        let type = fields.choice("type", ValueType.self, what: what, into: &diagnostics) ?? .string
        let required = fields.bool("required", what: what, into: &diagnostics) ?? false
        let defaultValue = fields.value("default", what: what, into: &diagnostics)
        let description = fields.string("description", what: what, into: &diagnostics)
        fields.reportUnknown(what: what, allowed: "name, type, required, default, description", into: &diagnostics)
        return InputParameter(
            name: name, type: type, required: required, defaultValue: defaultValue, description: description, pointer: pointer)
    }

    static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first == "_" || first.properties.isAlphabetic && first.isASCII
        else { return false }
        return text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || $0 == "_" || ("0"..."9").contains($0)) }
    }

    private func typeDiagnostic(at pointer: String, what: String, expected: String, found: JSONValue) -> Diagnostic {
        Diagnostic(
            .fieldType, at: pointer, "\(what) must be \(article(expected)) \(expected), not \(article(found.typeName)) \(found.typeName)",
            hint: "Replace the value at \(pointer) with \(article(expected)) \(expected).")
    }

    private mutating func duration(_ fields: inout ObjectReader, _ key: String, what: String) -> WorkflowDuration? {
        guard let text = fields.string(key, what: what, into: &diagnostics) else { return nil }
        guard let duration = WorkflowDuration(text) else {
            diagnostics.append(Diagnostic(
                .durationInvalid, at: fields.path(key), "\"\(text)\" is not a duration",
                hint: "Write durations like \"500ms\", \"30s\", \"5m\", \"2h\", \"7d\" or \"1h30m\"."))
            return nil
        }
        return duration
    }

    mutating func readSteps(_ value: JSONValue, at pointer: String) -> [Step] {
        guard case .array(let items) = value else {
            diagnostics.append(typeDiagnostic(at: pointer, what: "a list of steps", expected: "array", found: value))
            return []
        }
        return items.enumerated().compactMap { readStep($1, at: "\(pointer)/\($0)") }
    }

    private mutating func readStep(_ value: JSONValue, at pointer: String) -> Step? {
        guard case .object(let object) = value else {
            diagnostics.append(typeDiagnostic(at: pointer, what: "a step", expected: "object", found: value))
            return nil
        }
        let outerSites = sites
        sites = []
        defer { sites = outerSites }

        var fields = ObjectReader(object, at: pointer)
        let id = fields.string("id", required: true, what: "a step", into: &diagnostics) ?? ""
        let what = id.isEmpty ? "the step at \(pointer)" : "step \"\(id)\""
        var step = Step(id: id, body: .unknown, pointer: pointer)
        step.name = fields.string("name", what: what, into: &diagnostics)
        step.description = fields.string("description", what: what, into: &diagnostics)
        step.timeout = duration(&fields, "timeout", what: what)
        if let retry = fields.object("retry", what: what, into: &diagnostics) {
            step.retry = readRetry(retry, at: pointer + "/retry")
        }
        if let onError = fields.object("onError", what: what, into: &diagnostics) {
            step.onError = readErrorAction(onError, at: pointer + "/onError")
        }
        guard let kindName = fields.string("kind", required: true, what: what, into: &diagnostics) else {
            step.expressions = sites
            return step
        }
        guard let kind = Step.Kind(rawValue: kindName) else {
            let kinds = Step.Kind.allCases.map(\.rawValue).joined(separator: ", ")
            diagnostics.append(Diagnostic(
                .stepKindUnknown, at: pointer + "/kind", "\"\(kindName)\" is not a step kind",
                hint: "Use one of: \(kinds)."))
            step.expressions = sites
            return step
        }
        let kindWhat = "\(article(kind.rawValue)) \(kind.rawValue) step"
        step.body = readBody(kind, &fields, at: pointer, what: what)
        if kind != .call, fields.object["compensate"] != nil {
            _ = fields.value("compensate", what: what, into: &diagnostics)
            diagnostics.append(Diagnostic(
                .compensationNotAllowed, at: pointer + "/compensate",
                "\(what) is \(kindWhat), which has no side effect to undo; only call steps take \"compensate\"",
                hint: "Remove \"compensate\" from \(what), or move it to the call step whose effect it undoes."))
        }
        let allowed = StepFields.allowed(for: kind).joined(separator: ", ")
        fields.reportUnknown(what: kindWhat, allowed: allowed, into: &diagnostics)
        step.expressions = sites
        return step
    }

    private mutating func readBody(_ kind: Step.Kind, _ fields: inout ObjectReader, at pointer: String, what: String) -> Step.Body {
        switch kind {
        case .call:
            let connector = fields.string("connector", required: true, what: what, into: &diagnostics) ?? ""
            let operation = fields.string("operation", required: true, what: what, into: &diagnostics) ?? ""
            let params = fields.object("params", what: what, into: &diagnostics) ?? JSONObject()
            let members = params.map { Template.Member(key: $0.key, value: template($0.value, at: fields.path("params") + "/" + JSONPointer.escape($0.key))) }
            let literalBody = fields.value("body", what: what, into: &diagnostics)
            let body = literalBody.map { template($0, at: pointer + "/body") }
            var compensate: Step?
            if let value = fields.value("compensate", what: what, into: &diagnostics) {
                let outer = sites
                compensate = readStep(value, at: pointer + "/compensate")
                sites = outer
            }
            return .call(Step.Call(
                connector: connector, operation: operation, params: members, literalParams: params, body: body,
                literalBody: literalBody, compensate: compensate))
        case .transform:
            let output = fields.value("output", required: true, what: what, into: &diagnostics) ?? .null
            return .transform(output: template(output, at: pointer + "/output"))
        case .condition:
            let test = bareExpression(&fields, "if", required: true, what: what)
            let then = steps(&fields, "then", required: true, what: what)
            let otherwise = fields.object["else"] == nil ? nil : steps(&fields, "else", what: what)
            return .condition(Step.Condition(test: test, then: then, otherwise: otherwise))
        case .switch:
            var cases: [Step.Switch.Case] = []
            for (i, value) in (fields.array("cases", required: true, what: what, into: &diagnostics) ?? []).enumerated() {
                let casePointer = pointer + "/cases/\(i)"
                guard case .object(let object) = value else {
                    diagnostics.append(typeDiagnostic(at: casePointer, what: "a case", expected: "object", found: value))
                    continue
                }
                var caseFields = ObjectReader(object, at: casePointer)
                let when = bareExpression(&caseFields, "when", required: true, what: "a case")
                let steps = steps(&caseFields, "steps", required: true, what: "a case")
                caseFields.reportUnknown(what: "a case", allowed: "when, steps", into: &diagnostics)
                cases.append(Step.Switch.Case(when: when, steps: steps))
            }
            let defaultSteps = fields.object["default"] == nil ? nil : steps(&fields, "default", what: what)
            return .switch(Step.Switch(cases: cases, defaultSteps: defaultSteps))
        case .parallel:
            var branches: [Step.Parallel.Branch] = []
            for (i, value) in (fields.array("branches", required: true, what: what, into: &diagnostics) ?? []).enumerated() {
                let branchPointer = pointer + "/branches/\(i)"
                guard case .object(let object) = value else {
                    diagnostics.append(typeDiagnostic(at: branchPointer, what: "a branch", expected: "object", found: value))
                    continue
                }
                var branchFields = ObjectReader(object, at: branchPointer)
                let name = branchFields.string("name", required: true, what: "a branch", into: &diagnostics) ?? "branch\(i + 1)"
                if !Self.isIdentifier(name) {
                    diagnostics.append(Diagnostic(
                        .fieldValue, at: branchPointer + "/name", "the branch name \"\(name)\" is not an identifier",
                        hint: "Name branches with letters, digits and '_', e.g. \"billing\"."))
                }
                let steps = steps(&branchFields, "steps", required: true, what: "a branch")
                branchFields.reportUnknown(what: "a branch", allowed: "name, steps", into: &diagnostics)
                branches.append(Step.Parallel.Branch(name: name, steps: steps))
            }
            let failFast = fields.bool("failFast", what: what, into: &diagnostics) ?? true
            return .parallel(Step.Parallel(branches: branches, failFast: failFast))
        case .foreach:
            let items = bareExpression(&fields, "items", required: true, what: what)
            var variable = fields.string("as", what: what, into: &diagnostics) ?? "item"
            if !Self.isStepId(variable) {
                diagnostics.append(Diagnostic(
                    .fieldValue, at: pointer + "/as", "\"\(variable)\" is not a valid loop variable name",
                    hint: "Use lower-case letters, digits and '_', starting with a letter, e.g. \"vehicle\"."))
                variable = "item"
            }
            let concurrency = fields.integer("concurrency", what: what, into: &diagnostics) ?? 1
            let body = steps(&fields, "steps", required: true, what: what)
            let output = fields.value("output", what: what, into: &diagnostics).map {
                template($0, at: pointer + "/output", scope: .loopIteration)
            }
            return .foreach(Step.ForEach(items: items, variable: variable, concurrency: concurrency, steps: body, output: output))
        case .wait:
            let kind = fields.choice("for", Step.Wait.Kind.self, required: true, what: what, into: &diagnostics) ?? .timer
            var wait = Step.Wait(kind: kind, approvers: [])
            wait.duration = duration(&fields, "duration", what: what)
            if let until = fields.string("until", what: what, into: &diagnostics) {
                wait.until = template(.string(until), at: pointer + "/until")
            }
            if kind != .timer, fields.object["timeout"] == nil {
                diagnostics.append(Diagnostic(
                    .fieldMissing, at: pointer, "\(what) waits for \(article(kind.rawValue)) \(kind.rawValue) but has no \"timeout\"",
                    hint: "Add \"timeout\" (e.g. \"48h\") and, to act when it passes, \"onTimeout\" steps."))
            }
            wait.onTimeout = fields.object["onTimeout"] == nil ? nil : steps(&fields, "onTimeout", what: what)
            if let message = fields.string("message", what: what, into: &diagnostics) {
                wait.message = template(.string(message), at: pointer + "/message")
            }
            if let approvers = fields.array("approvers", what: what, into: &diagnostics) {
                for (i, approver) in approvers.enumerated() {
                    if let text = approver.stringValue { wait.approvers.append(text) } else {
                        diagnostics.append(typeDiagnostic(at: pointer + "/approvers/\(i)", what: "an approver", expected: "string", found: approver))
                    }
                }
            }
            return .wait(wait)
        case .fail:
            let error = fields.string("error", required: true, what: what, into: &diagnostics) ?? ""
            let message = fields.string("message", what: what, into: &diagnostics).map {
                template(.string($0), at: pointer + "/message")
            }
            return .fail(Step.Fail(error: error, message: message))
        case .group:
            return .group(steps: steps(&fields, "steps", required: true, what: what))
        }
    }

    static func isStepId(_ text: String) -> Bool {
        guard (1...64).contains(text.utf8.count), let first = text.utf8.first, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first)
        else { return false }
        return text.utf8.allSatisfy {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "_")
        }
    }

    private mutating func steps(_ fields: inout ObjectReader, _ key: String, required: Bool = false, what: String) -> [Step] {
        guard let value = fields.value(key, required: required, what: what, into: &diagnostics) else { return [] }
        let outer = sites
        defer { sites = outer }
        return readSteps(value, at: fields.path(key))
    }

    private mutating func bareExpression(_ fields: inout ObjectReader, _ key: String, required: Bool, what: String) -> Expression {
        guard let text = fields.string(key, required: required, what: what, into: &diagnostics) else { return .literal(.null) }
        let pointer = fields.path(key)
        do {
            let expression = try Template.parseBareExpression(text)
            sites.append(ExpressionSite(pointer: pointer, expression: expression, scope: .beforeStep))
            return expression
        } catch {
            diagnostics.append(syntaxDiagnostic(error, text: text, at: pointer))
            return .literal(.null)
        }
    }

    private mutating func template(_ value: JSONValue, at pointer: String, scope: ExpressionSite.Scope = .beforeStep) -> Template {
        switch value {
        case .string(let text):
            do {
                let compiled = try Template.parse(string: text)
                for expression in compiled.expressions {
                    sites.append(ExpressionSite(pointer: pointer, expression: expression, scope: scope))
                }
                return compiled
            } catch {
                diagnostics.append(syntaxDiagnostic(error, text: text, at: pointer))
                return .literal(value)
            }
        case .array(let items):
            let compiled = items.enumerated().map { template($1, at: "\(pointer)/\($0)", scope: scope) }
            return compiled.allSatisfy { if case .literal = $0 { true } else { false } } ? .literal(value) : .array(compiled)
        case .object(let object):
            let members = object.map {
                Template.Member(key: $0.key, value: template($0.value, at: pointer + "/" + JSONPointer.escape($0.key), scope: scope))
            }
            return members.allSatisfy { if case .literal = $0.value { true } else { false } } ? .literal(value) : .object(members)
        default:
            return .literal(value)
        }
    }

    private func syntaxDiagnostic(_ error: ExpressionSyntaxError, text: String, at pointer: String) -> Diagnostic {
        Diagnostic(
            .expressionSyntax, at: pointer, "the expression \"\(text)\" does not parse: \(error.message) (column \(error.column))",
            hint: "Fix the expression near column \(error.column); expressions look like ${step_id.field}, ${input.name} or length(list) > 0.")
    }

    private mutating func readRetry(_ object: JSONObject, at pointer: String) -> RetryPolicy {
        var fields = ObjectReader(object, at: pointer)
        let what = "a retry policy"
        var policy = RetryPolicy()
        if let n = fields.integer("maxAttempts", what: what, into: &diagnostics) { policy.maxAttempts = n }
        if let b = fields.choice("backoff", RetryPolicy.Backoff.self, what: what, into: &diagnostics) { policy.backoff = b }
        if let d = duration(&fields, "initialDelay", what: what) { policy.initialDelay = d }
        if let m = fields.number("multiplier", what: what, into: &diagnostics) { policy.multiplier = m }
        if let d = duration(&fields, "maxDelay", what: what) { policy.maxDelay = d }
        if let j = fields.choice("jitter", RetryPolicy.Jitter.self, what: what, into: &diagnostics) { policy.jitter = j }
        if let classes = fields.array("retryOn", what: what, into: &diagnostics) {
            policy.retryOn = []
            for (i, value) in classes.enumerated() {
                if let text = value.stringValue, let errorClass = RetryPolicy.ErrorClass(rawValue: text) {
                    policy.retryOn.insert(errorClass)
                } else {
                    diagnostics.append(Diagnostic(
                        .fieldValue, at: pointer + "/retryOn/\(i)", "\(value) is not an error class",
                        hint: "List \"transient\" and/or \"permanent\" in \"retryOn\"."))
                }
            }
        }
        fields.reportUnknown(
            what: what, allowed: "maxAttempts, backoff, initialDelay, multiplier, maxDelay, jitter, retryOn", into: &diagnostics)
        return policy
    }

    private mutating func readErrorAction(_ object: JSONObject, at pointer: String) -> StepErrorAction {
        var fields = ObjectReader(object, at: pointer)
        let what = "a step's onError"
        let action = fields.choice("action", StepErrorAction.Action.self, required: true, what: what, into: &diagnostics) ?? .abort
        let output = fields.value("output", what: what, into: &diagnostics).map { template($0, at: pointer + "/output") }
        let handler = fields.object["steps"] == nil ? nil : steps(&fields, "steps", what: what)
        fields.reportUnknown(what: what, allowed: "action, output, steps", into: &diagnostics)
        return StepErrorAction(action: action, output: output, steps: handler)
    }
}

extension WorkflowDefinition {
    /// The definition as far as `document` can be read, problems or not: for drawing a document that no longer
    /// validates (say, against a changed catalog). Use `WorkflowValidator` to know whether it is valid.
    public init(reading document: JSONValue) {
        var reader = DocumentReader()
        self = reader.read(document)
    }
}

extension Trigger {
    /// The trigger of a document, read without reading its steps (for lists); manual when it has none that reads.
    public init(readingFrom document: JSONValue) {
        var reader = DocumentReader()
        guard case .object(let fields)? = document["trigger"] else {
            self = .manual
            return
        }
        self = reader.readTrigger(fields)
    }
}
