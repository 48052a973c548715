import Foundation
import WorkflowModel

/// A step's failure as the engine handles it: what went wrong, and whether trying again may help.
public struct StepFailure: Error, Sendable, Hashable {
    public var code: String
    public var message: String
    /// Network errors, timeouts, 408, 429 and 5xx are transient; everything else is permanent.
    public var transient: Bool
    /// A delay the callee asked for (`Retry-After`), in seconds.
    public var retryAfter: TimeInterval?
    /// The step the failure comes from, once known.
    public var step: String?
    /// How many attempts were made, and what the failing step worked on, for its record.
    var attempts = 1
    var input: JSONValue?
    /// Whether the failure was read back from the journal rather than happening now.
    var replayed = false

    public init(code: String, message: String, transient: Bool, retryAfter: TimeInterval? = nil, step: String? = nil) {
        self.code = code
        self.message = message
        self.transient = transient
        self.retryAfter = retryAfter
        self.step = step
    }

    init(recorded record: StepRecord) {
        let error = record.error ?? RunError(step: record.stepID, code: "failed", message: "the step failed")
        self.init(code: error.code, message: error.message, transient: false, step: error.step ?? record.stepID)
        replayed = true
    }

    var runError: RunError { RunError(step: step, code: code, message: message) }

    static func expression(_ error: ExpressionEvaluationError, at place: String) -> StepFailure {
        StepFailure(code: "expression", message: "\(place): \(error.message)", transient: false)
    }

    /// The failure a response status stands for, or `nil` for a success.
    static func from(_ response: ConnectorResponse, now: Date) -> StepFailure? {
        let status = response.status
        guard !(200..<300).contains(status) else { return nil }
        let transient = status == 408 || status == 429 || status >= 500
        var detail = String(decoding: response.body.prefix(300), as: UTF8.self)
        if let message = response.value["message"]?.stringValue ?? response.value["error"]?.stringValue { detail = message }
        return StepFailure(
            code: "http.\(status)", message: "HTTP \(status)" + (detail.isEmpty ? "" : ": \(detail)"), transient: transient,
            retryAfter: response.headers["retry-after"].flatMap { retryAfterSeconds($0, now: now) })
    }

    /// `Retry-After` as seconds or as an HTTP date.
    static func retryAfterSeconds(_ text: String, now: Date) -> TimeInterval? {
        if let seconds = TimeInterval(text.trimmingCharacters(in: .whitespaces)), seconds >= 0 { return seconds }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text).map { max(0, $0.timeIntervalSince(now)) }
    }
}
