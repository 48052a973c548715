import Testing
import WorkflowModel

@Suite struct JSONParserTests {
    @Test func parsesEveryKindOfValueAndKeepsKeyOrder() throws {
        let value = try JSONParser.parse(#"{"z": 1, "a": [true, false, null], "m": {"s": "x\n\u00e9\ud83d\ude00"}, "n": -1.5e2}"#)
        #expect(value.objectValue?.keys == ["z", "a", "m", "n"])
        #expect(value["a"] == [true, false, nil])
        #expect(value["m"]?["s"] == "x\né😀")
        #expect(value["n"] == -150)
    }

    @Test(arguments: [
        ("{\"a\": 1,}", 1, 9, "trailing comma"),
        ("{\n  \"a\": 1\n  \"b\": 2\n}", 3, 3, "where ',' or '}' was expected"),
        ("{'a': 1}", 1, 2, "double quotes"),
        ("{\"a\": [1, 2", 1, 12, "ends inside an array"),
        ("", 1, 1, "empty"),
        ("{\"a\": tru}", 1, 7, "unexpected text"),
        ("{\"a\": 01}", 1, 7, "leading zero"),
        ("{} {}", 1, 4, "after the end"),
        ("{\"a\": \"line\nbreak\"}", 1, 12, "control character"),
    ])
    func reportsLineAndColumn(text: String, line: Int, column: Int, message: String) {
        #expect {
            try JSONParser.parse(text)
        } throws: { error in
            guard let error = error as? JSONSyntaxError else { return false }
            return error.location == SourceLocation(line: line, column: column) && error.message.contains(message)
        }
    }

    @Test func recordsWhereEachValueStarts() throws {
        var parser = JSONParser(bytes: Array("{\n  \"steps\": [\n    {\"id\": \"a\"}\n  ]\n}".utf8), recordLocations: true)
        _ = try parser.parseDocument()
        #expect(parser.locations["/steps"] == SourceLocation(line: 2, column: 12))
        #expect(parser.locations["/steps/0/id"] == SourceLocation(line: 3, column: 12))
    }

    @Test func rejectsDeepNestingWithoutCrashing() {
        let text = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(text) }
    }

    @Test func pointersEscapeAndResolve() {
        let value: JSONValue = ["a/b": ["~x": [10, 20]]]
        let pointer = "/" + JSONPointer.escape("a/b") + "/" + JSONPointer.escape("~x") + "/1"
        #expect(pointer == "/a~1b/~0x/1")
        #expect(JSONPointer.resolve(pointer, in: value) == 20)
        #expect(JSONPointer.resolve("/a~1b/nope", in: value) == nil)
    }
}
