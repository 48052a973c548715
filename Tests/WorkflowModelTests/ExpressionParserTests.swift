import Testing
import WorkflowModel

@Suite struct ExpressionParserTests {
    @Test func precedenceBindsAsDocumented() throws {
        let parsed = try ExpressionParser.parse("a || b && c == 1 + 2 * 3")
        guard case .binary(.or, .path, .binary(.and, .path, .binary(.equal, .path, .binary(.add, _, .binary(.multiply, _, _))))) = parsed
        else {
            Issue.record("unexpected tree \(parsed)")
            return
        }
    }

    @Test func pathsWithKeysIndexesAndQuotedNames() throws {
        let parsed = try ExpressionParser.parse("decode_vin.Results[0][\"Model Year\"].x")
        #expect(parsed.paths.first?.root == "decode_vin")
        #expect(parsed.paths.first?.components == [.key("Results"), .index(0), .key("Model Year"), .key("x")])
    }

    @Test func functionCallsListsTernaryAndIn() throws {
        let parsed = try ExpressionParser.parse("contains(lower(input.email), '@') ? 'ok' : input.tier in ['gold', 'silver']")
        #expect(parsed.calls.map(\.name) == ["contains", "lower"])
        #expect(parsed.paths.map(\.root) == ["input", "input"])
    }

    @Test(arguments: [
        ("a.b +", 6, "ends where a value was expected"),
        ("length(x", 9, "expected ')'"),
        ("a ==== b", 3, "not an operator"),
        ("a = b", 3, "compare with '=='"),
        ("'open", 1, "not closed"),
        ("a & b", 3, "use '&&'"),
        ("", 1, "empty"),
        ("a b", 3, "after a complete expression"),
        ("x.", 3, "expected a name"),
        ("(a", 3, "to close the '('"),
        ("a ? b", 6, "':'"),
        ("#", 1, "unexpected character"),
    ])
    func syntaxErrorsPointAtTheColumn(text: String, column: Int, message: String) {
        #expect {
            try ExpressionParser.parse(text)
        } throws: { error in
            guard let error = error as? ExpressionSyntaxError else { return false }
            return error.column == column && error.message.contains(message)
        }
    }

    @Test func wholeStringExpressionKeepsItsType() throws {
        #expect(try Template.parse(string: "${input.count}") == .expression(.path(.init(root: "input", components: [.key("count")], column: 1))))
        guard case .interpolation(let parts) = try Template.parse(string: "Hello ${input.name}!") else {
            Issue.record("expected interpolation")
            return
        }
        #expect(parts.count == 3)
        #expect(try Template.parse(string: "no expressions") == .literal("no expressions"))
        #expect(try Template.parse(string: "costs $${price}") == .literal("costs ${price}"))
    }

    @Test func templateErrorsCountColumnsInTheWholeString() {
        #expect {
            try Template.parse(string: "Hi ${input.name")
        } throws: { ($0 as? ExpressionSyntaxError)?.column == 4 }
        #expect {
            try Template.parse(string: "Hi ${a +}")
        } throws: { ($0 as? ExpressionSyntaxError)?.column == 9 }
    }

    @Test func bareConditionsMayBeWrapped() throws {
        #expect(try Template.parseBareExpression("${a > 1}") == (try ExpressionParser.parse("a > 1")))
        #expect(try Template.parseBareExpression("a > 1") == (try ExpressionParser.parse("a > 1")))
    }

    @Test func bracesInsideStringsDoNotCloseTheExpression() throws {
        guard case .expression(let e) = try Template.parse(string: "${default(x, '}')}") else {
            Issue.record("expected one expression")
            return
        }
        #expect(e.calls.first?.arguments.count == 2)
    }
}

@Suite struct ExpressionTextTests {
    @Test(arguments: [
        "a || b && c", "(a || b) && c", "!(a == b)", "x['Model Year'][0] + 1", "a ? b : c", "f(1, 'it\\'s', [true, null])",
        "a - (b - c)", "-x * 2", "item in ['a', 'b']",
    ])
    func textParsesBackToTheSameTree(text: String) throws {
        let parsed = try ExpressionParser.parse(text)
        #expect(parsed.description == text)
        #expect(try ExpressionParser.parse(parsed.description).description == text)
    }
}
