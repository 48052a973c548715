extension DiagnosticCode {
    public static let documentEncoding: Self = "document.encoding"
    public static let documentSize: Self = "document.size"
    public static let documentSteps: Self = "document.steps"
    public static let fieldLength: Self = "field.length"
    public static let jsonSyntax: Self = "json.syntax"
    public static let yamlSyntax: Self = "yaml.syntax"
    public static let fieldUnknown: Self = "field.unknown"
    public static let fieldMissing: Self = "field.missing"
    public static let fieldType: Self = "field.type"
    public static let fieldValue: Self = "field.value"
    public static let formatVersion: Self = "format.version"
    public static let stepIdDuplicate: Self = "step.id-duplicate"
    public static let stepIdInvalid: Self = "step.id-invalid"
    public static let stepIdReserved: Self = "step.id-reserved"
    public static let stepKindUnknown: Self = "step.kind-unknown"
    public static let blockEmpty: Self = "block.empty"
    public static let parallelSingleBranch: Self = "parallel.single-branch"
    public static let parallelBranchDuplicate: Self = "parallel.branch-duplicate"
    public static let inputDuplicate: Self = "input.duplicate"
    public static let inputDefaultType: Self = "input.default-type"
    public static let referenceUnknown: Self = "reference.unknown"
    public static let referenceLater: Self = "reference.later"
    public static let referenceSiblingBranch: Self = "reference.sibling-branch"
    public static let referenceConditional: Self = "reference.conditional"
    public static let referenceLoopBody: Self = "reference.loop-body"
    public static let referenceCycle: Self = "reference.cycle"
    public static let referenceInputUnknown: Self = "reference.input-unknown"
    public static let referenceErrorUnavailable: Self = "reference.error-unavailable"
    public static let expressionSyntax: Self = "expression.syntax"
    public static let expressionFunctionUnknown: Self = "expression.function-unknown"
    public static let expressionArity: Self = "expression.arity"
    public static let durationInvalid: Self = "duration.invalid"
    public static let timeoutRange: Self = "timeout.range"
    public static let retryRange: Self = "retry.range"
    public static let foreachConcurrencyRange: Self = "foreach.concurrency-range"
    public static let cronInvalid: Self = "cron.invalid"
    public static let triggerWebhookUnsigned: Self = "trigger.webhook-unsigned"
    public static let triggerPathInvalid: Self = "trigger.path-invalid"
    public static let waitTimer: Self = "wait.timer"
    public static let compensationNotAllowed: Self = "compensation.not-allowed"
    public static let compensationKind: Self = "compensation.kind"
    public static let catalogMissing: Self = "catalog.missing"
    public static let connectorUnknown: Self = "connector.unknown"
    public static let operationUnknown: Self = "operation.unknown"
    public static let parameterMissing: Self = "parameter.missing"
    public static let parameterUnknown: Self = "parameter.unknown"
    public static let parameterType: Self = "parameter.type"
    public static let bodyMissing: Self = "body.missing"
    public static let bodyUnexpected: Self = "body.unexpected"
    public static let bodyFieldMissing: Self = "body.field-missing"
    /// Reported by the composer, not the validator: a document a person writes may hold any URL.
    public static let hostOutsideCatalog: Self = "host.outside-catalog"

    /// Every code the validator can report, with a one-line summary, in the order the README lists them.
    public static let all: [(code: DiagnosticCode, summary: String)] = [
        (documentEncoding, "the file is not UTF-8 text"),
        (documentSize, "the document is larger than 1 MiB"),
        (documentSteps, "more than 1,000 steps in all, nested ones counted"),
        (jsonSyntax, "the text is not JSON (line and column given)"),
        (yamlSyntax, "the text is not YAML (line and column given)"),
        (fieldUnknown, "a field that is not part of the format, or not allowed on this step kind"),
        (fieldMissing, "a required field is absent"),
        (fieldType, "a field has the wrong JSON type"),
        (fieldValue, "a value outside the allowed set or pattern"),
        (fieldLength, "a step name over 200 characters, a description over 4,000, or any other string over 64 KiB"),
        (formatVersion, "`format` is not a supported version (1)"),
        (stepIdDuplicate, "two steps share an id"),
        (stepIdInvalid, "a step id is not lower-case letters, digits and `_`, starting with a letter"),
        (stepIdReserved, "a step id is a reserved name (`input`, `trigger`, `run`, `error`, `item`, `index`)"),
        (stepKindUnknown, "an unknown step kind"),
        (blockEmpty, "an empty list of steps, branches or cases"),
        (parallelSingleBranch, "a parallel step with one branch (warning)"),
        (parallelBranchDuplicate, "two branches of a parallel step share a name"),
        (inputDuplicate, "two inputs share a name"),
        (inputDefaultType, "an input's default does not match its type"),
        (referenceUnknown, "an expression names no step, input or other known root"),
        (referenceLater, "a reference to a step that runs later"),
        (referenceSiblingBranch, "a reference to a step in another branch of the same parallel step"),
        (referenceConditional, "a reference to a step in a branch or handler that may not have run"),
        (referenceLoopBody, "a reference into a loop body from outside the loop"),
        (referenceCycle, "a step refers to its own output or that of a block containing it"),
        (referenceInputUnknown, "`input.NAME` where NAME is not a declared input"),
        (referenceErrorUnavailable, "`error` used outside an error handler"),
        (expressionSyntax, "an expression does not parse (column given)"),
        (expressionFunctionUnknown, "a call to a function the language does not have"),
        (expressionArity, "a function called with the wrong number of arguments"),
        (durationInvalid, "a duration is not like `500ms`, `30s`, `5m`, `2h`, `7d` or `1h30m`"),
        (timeoutRange, "a timeout or wait beyond its limit (24h for steps, 365d for waits) or zero"),
        (retryRange, "a retry setting out of range, or an initial delay above the maximum delay"),
        (foreachConcurrencyRange, "a foreach concurrency outside 1 to 100"),
        (cronInvalid, "a schedule's cron expression is not valid, or never fires (`0 0 30 2 *`)"),
        (triggerWebhookUnsigned, "a webhook trigger with neither `secret` (the name of its signing secret) nor `\"auth\": \"none\"`"),
        (triggerPathInvalid, "a webhook path that does not start with `/`, holds other than letters, digits, `-`, `_`, `/`, or is over 200 characters"),
        (waitTimer, "a timer wait needs exactly one of `duration` and `until`"),
        (compensationNotAllowed, "`compensate` on a step other than `call`"),
        (compensationKind, "a compensation that is not a `call` or `group` step"),
        (catalogMissing, "no connector catalog was given, so calls were not checked (warning)"),
        (connectorUnknown, "a call names a connector that is not in the catalog"),
        (operationUnknown, "a call names an operation the connector does not have"),
        (parameterMissing, "a required path, query or header parameter is not given"),
        (parameterUnknown, "a parameter the operation does not have"),
        (parameterType, "a literal parameter of the wrong type"),
        (bodyMissing, "the operation requires a body and none is given"),
        (bodyUnexpected, "a body for an operation that takes none"),
        (bodyFieldMissing, "a literal body lacks a property the operation requires"),
        (hostOutsideCatalog, "a composed draft writes a URL whose host is no catalog connector's (the composer's check)"),
    ]
}
