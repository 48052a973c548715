import Foundation
import WorkflowModel

/// One request of an evaluation set and what its draft must contain, read from one line of a JSONL file:
///
///     {"id": "signup", "request": "When a customer signs up, ...", "expect": {"trigger": "event", "uses": ["crm.createCustomer"]}}
///     {"id": "zendesk", "request": "Copy new Zendesk tickets ...", "expect": {"refuse": ["zendesk"]}}
public struct EvalCase: Sendable, Hashable {
    /// A short name for the request, unique in its file.
    public var id: String
    /// The English request, sent to the composer as it stands.
    public var request: String
    public var expect: Expectation
    /// The line of the file it was read from.
    public var line: Int

    public init(id: String, request: String, expect: Expectation = Expectation(), line: Int = 0) {
        self.id = id
        self.request = request
        self.expect = expect
        self.line = line
    }

    /// What the resulting draft must contain; every field is optional, and an empty expectation asks only for a
    /// valid draft. `refuse` stands alone: the request must be refused, naming each of these systems.
    public struct Expectation: Sendable, Hashable {
        public var trigger: Trigger.Kind?
        /// A schedule must name its time zone (`true`), or this one.
        public var timezone: TimezoneExpectation?
        public var kinds: [Step.Kind] = []
        public var waits: [Step.Wait.Kind] = []
        /// `connector` or `connector.operation`, each used by at least one call.
        public var uses: [String] = []
        public var compensation = false
        public var retry = false
        public var approvalTimeout = false
        /// A foreach must run at least this many items at once (`true` in the file means 2).
        public var concurrency: Int?
        /// Systems missing from the catalog that the refusal must name.
        public var refuse: [String] = []

        public enum TimezoneExpectation: Sendable, Hashable {
            case any
            case named(String)
        }

        public init(
            trigger: Trigger.Kind? = nil, timezone: TimezoneExpectation? = nil, kinds: [Step.Kind] = [],
            waits: [Step.Wait.Kind] = [], uses: [String] = [], compensation: Bool = false, retry: Bool = false,
            approvalTimeout: Bool = false, concurrency: Int? = nil, refuse: [String] = []
        ) {
            self.trigger = trigger
            self.timezone = timezone
            self.kinds = kinds
            self.waits = waits
            self.uses = uses
            self.compensation = compensation
            self.retry = retry
            self.approvalTimeout = approvalTimeout
            self.concurrency = concurrency
            self.refuse = refuse
        }

        public var expectsRefusal: Bool { !refuse.isEmpty }

        /// The keys an `expect` object may have.
        public static let keys = [
            "trigger", "timezone", "kinds", "waits", "uses", "compensation", "retry", "approvalTimeout", "concurrency", "refuse",
        ]
    }
}

/// A line of an evaluation file that cannot be used, with where it is and what is wrong.
public struct EvalFileError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var message: String

    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)" }
}

extension EvalCase {
    /// Reads a JSONL evaluation set: one JSON object per line; blank lines and lines starting with `#` or `//`
    /// are skipped. The first line that cannot be used throws, naming the file and line.
    public static func parse(jsonl text: String, file: String) throws(EvalFileError) -> [EvalCase] {
        var cases: [EvalCase] = []
        var seen: [String: Int] = [:]
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix("//") { continue }
            let parsed: EvalCase
            do {
                parsed = try parse(line: line, number: number)
            } catch {
                throw EvalFileError(file: file, line: number, message: error.message)
            }
            if let first = seen[parsed.id] {
                throw EvalFileError(file: file, line: number, message: "the id \"\(parsed.id)\" is already used on line \(first)")
            }
            seen[parsed.id] = number
            cases.append(parsed)
        }
        if cases.isEmpty { throw EvalFileError(file: file, line: 0, message: "no requests: write one JSON object per line") }
        return cases
    }

    struct LineError: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }

    static func parse(line: String, number: Int) throws(LineError) -> EvalCase {
        let value: JSONValue
        do {
            value = try JSONParser.parse(line)
        } catch {
            throw LineError("not valid JSON (column \(error.location.column): \(error.message))")
        }
        guard let object = value.objectValue else { throw LineError("expected a JSON object, found \(value.typeName)") }
        try rejectUnknown(object, allowed: ["id", "request", "expect"], in: "the line")
        guard let id = object["id"]?.stringValue, !id.isEmpty else { throw LineError("\"id\" is missing or not a string") }
        guard let request = object["request"]?.stringValue,
              !request.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        else { throw LineError("\"request\" is missing or not a non-empty string") }
        var expect = Expectation()
        if let raw = object["expect"] {
            guard let fields = raw.objectValue else { throw LineError("\"expect\" must be an object") }
            expect = try expectation(fields)
        }
        return EvalCase(id: id, request: request, expect: expect, line: number)
    }

    private static func expectation(_ fields: JSONObject) throws(LineError) -> Expectation {
        try rejectUnknown(fields, allowed: Expectation.keys, in: "\"expect\"")
        var expect = Expectation()
        if let raw = fields["trigger"] {
            expect.trigger = try oneOf(raw, Trigger.Kind.self, key: "trigger")
        }
        switch fields["timezone"] {
        case nil, .bool(false)?: break
        case .bool(true)?: expect.timezone = .any
        case .string(let zone)?: expect.timezone = .named(zone)
        default: throw LineError("\"expect.timezone\" must be true or a time zone name")
        }
        if let raw = fields["kinds"] { expect.kinds = try list(raw, key: "kinds").map { v throws(LineError) in try oneOf(v, Step.Kind.self, key: "kinds") } }
        if let raw = fields["waits"] { expect.waits = try list(raw, key: "waits").map { v throws(LineError) in try oneOf(v, Step.Wait.Kind.self, key: "waits") } }
        if let raw = fields["uses"] { expect.uses = try strings(raw, key: "uses") }
        if let raw = fields["refuse"] { expect.refuse = try strings(raw, key: "refuse") }
        expect.compensation = try flag(fields["compensation"], key: "compensation")
        expect.retry = try flag(fields["retry"], key: "retry")
        expect.approvalTimeout = try flag(fields["approvalTimeout"], key: "approvalTimeout")
        switch fields["concurrency"] {
        case nil, .bool(false)?: break
        case .bool(true)?: expect.concurrency = 2
        case .number(let n)? where n.rounded() == n && n >= 2 && n <= 100: expect.concurrency = Int(n)
        default: throw LineError("\"expect.concurrency\" must be true or a whole number from 2 to 100")
        }
        if expect.expectsRefusal {
            let others = Expectation.keys.filter { $0 != "refuse" && fields[$0] != nil }
            if !others.isEmpty {
                throw LineError("\"expect.refuse\" stands alone: a refused request has no draft to check \(others.map { "\"\($0)\"" }.joined(separator: ", ")) against")
            }
        }
        return expect
    }

    private static func rejectUnknown(_ object: JSONObject, allowed: [String], in place: String) throws(LineError) {
        if let unknown = object.keys.first(where: { !allowed.contains($0) }) {
            throw LineError("\(place) has an unknown key \"\(unknown)\"; the keys are \(allowed.joined(separator: ", "))")
        }
    }

    private static func list(_ value: JSONValue, key: String) throws(LineError) -> [JSONValue] {
        guard let items = value.arrayValue else { throw LineError("\"expect.\(key)\" must be a list") }
        return items
    }

    private static func strings(_ value: JSONValue, key: String) throws(LineError) -> [String] {
        var found: [String] = []
        for item in try list(value, key: key) {
            guard let text = item.stringValue, !text.isEmpty else { throw LineError("\"expect.\(key)\" must be a list of names") }
            found.append(text)
        }
        return found
    }

    private static func flag(_ value: JSONValue?, key: String) throws(LineError) -> Bool {
        guard let value else { return false }
        guard let flag = value.boolValue else { throw LineError("\"expect.\(key)\" must be true or false") }
        return flag
    }

    private static func oneOf<T: RawRepresentable & CaseIterable>(_ value: JSONValue, _: T.Type, key: String) throws(LineError) -> T
    where T.RawValue == String {
        if let text = value.stringValue, let found = T(rawValue: text) { return found }
        let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
        throw LineError("\"expect.\(key)\": \(value.jsonText) is not one of \(allowed)")
    }
}
