/// The codes a run or step can fail with, each with what it means and what to do: for `baton explain` and the docs.
public struct RunErrorCode: Sendable, Hashable {
    public var code: String
    public var summary: String

    /// Every code the engine records. `http.NNN` stands for each HTTP status.
    public static let all: [RunErrorCode] = [
        .init(code: "http.NNN", summary: "The connector answered with HTTP status NNN (e.g. http.503). 408, 429 and 5xx are transient and retried under the step's retry policy; other statuses fail the step at once."),
        .init(code: "network", summary: "The connector could not be reached (connection refused or reset, DNS). Transient: retried under the step's retry policy."),
        .init(code: "timeout", summary: "The connector did not answer within the step's timeout (default 30 s), counted over the whole exchange. Transient."),
        .init(code: "response.too-large", summary: "The connector's answer was longer than the engine's limit (10 MB); reading stopped there. Permanent."),
        .init(code: "secret.missing", summary: "The connector's secret is not set: export it as an environment variable or put it in the secrets file (--secrets, $BATON_SECRETS_FILE)."),
        .init(code: "params.missing", summary: "A required or path parameter of the call evaluated to null at run time; check the expression that fills it and the run's inputs."),
        .init(code: "catalog", summary: "The call's connector or operation is not in the catalog the engine was started with, or its URL cannot be built; run with the catalog the workflow was validated against."),
        .init(code: "expression", summary: "An expression failed at run time (a missing field, a wrong type); the message names the step and field."),
        .init(code: "workflow.timeout", summary: "The workflow's own timeout passed; the run ends (compensations still run)."),
        .init(code: "wait.timeout", summary: "A callback or approval was not completed before its timeout, and the wait has no onTimeout steps."),
        .init(code: "compensation.waits", summary: "A compensation tried to wait; compensations must finish without waiting, so it counts as failed and its step stays done."),
        .init(code: "cancelled", summary: "Someone cancelled the run (baton cancel); it stopped where it was, without compensating."),
        .init(code: "validation", summary: "The definition has a step kind this engine does not know; activate a version this Baton validates."),
        .init(code: "journal", summary: "The run's records could not be read or written; the database is the place to look (baton trace, PRAGMA integrity_check)."),
        .init(code: "internal", summary: "An unexpected error inside Baton; the message says more. Please report it with the run's trace."),
    ]

    /// The entry for `code`; `http.404` finds `http.NNN`.
    public static func named(_ code: String) -> RunErrorCode? {
        if code.hasPrefix("http."), Int(code.dropFirst(5)) != nil { return all.first { $0.code == "http.NNN" } }
        return all.first { $0.code == code }
    }
}
