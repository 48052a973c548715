import Foundation
import Testing
import WorkflowModel

/// Expressions evaluated against a scope, as the engine does for every step.
@Suite struct ExpressionEvaluatorTests {
    struct Scope: ExpressionScope {
        var values: [String: JSONValue]
        var now = Date(timeIntervalSince1970: 1_800_000_000.25)
        func value(of name: String) -> JSONValue? { values[name] }
    }

    static let scope = Scope(values: [
        "input": .object(JSONObject([("name", .string("Ada")), ("count", .number(3)), ("tags", .array([.string("a"), .string("b")]))])),
        "lookup": .object(JSONObject([("Results", .array([.object(JSONObject([("Make", .string("BMW"))]))]))])),
        "empty": .null,
    ])

    static func value(_ text: String) throws -> JSONValue {
        try ExpressionEvaluator(scope: scope).evaluate(try Template.parseBareExpression(text))
    }

    @Test(arguments: [
        ("input.count * 2 + 1", JSONValue.number(7)),
        ("input.name + ' ' + input.count", .string("Ada 3")),
        ("lookup.Results[0].Make", .string("BMW")),
        ("lookup.Results[5].Make", .null),
        ("empty.anything.at[2]", .null),
        ("missing_step.id", .null),
        ("input.count > 2 && !(input.name == 'Bob')", .bool(true)),
        ("'b' in input.tags", .bool(true)),
        ("'da' in input.name", .bool(true)),
        ("'name' in input", .bool(true)),
        ("input.count >= 5 ? 'many' : 'few'", .string("few")),
        ("default(empty, 'fallback')", .string("fallback")),
        ("coalesce(empty, null, input.name)", .string("Ada")),
        ("length(input.tags) + length(input.name)", .number(5)),
        ("upper(trim('  x '))", .string("X")),
        ("join(input.tags, '|')", .string("a|b")),
        ("toNumber('12.5') - 0.5", .number(12)),
        ("formatDate('2026-11-21T10:00:00Z', 'yyyy/MM/dd')", .string("2026/11/21")),
        ("now()", .string("2027-01-15T08:00:00.250Z")),
        ("keys(input)", .array([.string("name"), .string("count"), .string("tags")])),
        ("7 % 4", .number(3)),
        ("empty || input.name", .bool(true)),
    ])
    func evaluates(_ text: String, _ expected: JSONValue) throws {
        #expect(try Self.value(text) == expected)
    }

    @Test(arguments: ["input.name - 1", "input.count / 0", "input.name.first", "input.count[0]", "toNumber('x')", "input.tags < 3"])
    func incompatibleOperandsAreErrors(_ text: String) {
        #expect(throws: ExpressionEvaluationError.self) { try Self.value(text) }
    }

    @Test func templatesKeepTypesAndInterpolateText() throws {
        let evaluator = ExpressionEvaluator(scope: Self.scope)
        #expect(try evaluator.render(try Template.parse(string: "${input.count}")) == .number(3))
        #expect(try evaluator.render(try Template.parse(string: "Hi ${input.name}, ${input.count} tags: ${input.tags}${empty}")) == .string(#"Hi Ada, 3 tags: ["a","b"]"#))
        #expect(try evaluator.render(try Template.parse(string: "$${literal}")) == .string("${literal}"))
    }

    @Test func isoStampsMatchAFormatter() {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'"
        for seconds in [0, 1_800_000_000.25, 951_782_400.999, -86_400.5, 4_102_444_799.001] {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(ISO8601Text.format(date) == formatter.string(from: date), "\(seconds)")
            #expect(ISO8601Text.parse(ISO8601Text.format(date)).map { abs($0.timeIntervalSince(date)) < 0.001 } == true)
        }
    }
}
