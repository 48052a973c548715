import Foundation
import WorkflowModel

/// The names a run's expressions can read: `input`, `run`, `trigger`, step outputs by id, loop variables and
/// `error` in handlers. A value type: parallel branches and loop iterations each work on their own copy.
struct RunScope: ExpressionScope, Sendable {
    var values: [String: JSONValue]
    var now: Date

    init(run: RunRecord, now: Date) {
        values = [
            "input": run.input,
            "trigger": run.trigger ?? .null,
            "run": .object(JSONObject([
                ("id", .string(run.id)), ("workflow", .string(run.workflowName)), ("version", .number(Double(run.version))),
                ("startedAt", .string(ISO8601Text.format(run.createdAt))),
            ])),
        ]
        self.now = now
    }

    func value(of name: String) -> JSONValue? { values[name] }

    subscript(name: String) -> JSONValue? {
        get { values[name] }
        set { values[name] = newValue }
    }

    func evaluate(_ expression: WorkflowModel.Expression, at place: String) throws(StepFailure) -> JSONValue {
        do { return try ExpressionEvaluator(scope: self).evaluate(expression) } catch { throw .expression(error, at: place) }
    }

    func render(_ template: Template, at place: String) throws(StepFailure) -> JSONValue {
        do { return try ExpressionEvaluator(scope: self).render(template) } catch { throw .expression(error, at: place) }
    }
}
