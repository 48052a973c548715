import BatonTestSupport
import Foundation
import Testing
import WorkflowCatalog
import WorkflowModel

@Suite struct YAMLDocumentTests {
    @Test func parsesScalarsWithTheCoreSchema() throws {
        let text = """
            plain: hello
            quoted: "true"
            single: '12'
            bool: true
            yes: yes
            country: NO
            int: 42
            negative: -7
            float: 1.5
            exponent: 1e3
            hex: 0x1F
            nothing: ~
            empty:
            date: 2024-06-03
            time: 1:30
            explicit: !!str 12
            """
        let (value, _) = try YAMLDocument.parse(text)
        let expected: JSONValue = [
            "plain": "hello", "quoted": "true", "single": "12", "bool": true, "yes": "yes", "country": "NO",
            "int": 42, "negative": -7, "float": 1.5, "exponent": 1000, "hex": 31, "nothing": nil, "empty": nil,
            "date": "2024-06-03", "time": "1:30", "explicit": "12",
        ]
        #expect(value == expected)
        #expect(value.objectValue?.keys.first == "plain")
        #expect(value.objectValue?.keys.last == "explicit")
    }

    @Test(arguments: [
        (".5", 0.5), ("-.5", -0.5), ("+12", 12), ("1.", 1), ("0o17", 15), ("1.5e-7", 1.5e-7), ("-0", 0),
    ] as [(String, JSONValue)])
    func plainNumbers(text: String, value: JSONValue) throws {
        #expect(try YAMLDocument.parse("n: \(text)").value["n"] == value)
    }

    @Test(arguments: ["1_000", "0x", "-0x1F", "1e", "1.2.3", "12abc", "+", ".", "0b101", "Yes", "ON", "2024-06-03T10:00:00Z"])
    func plainTextsThatStayStrings(text: String) throws {
        #expect(try YAMLDocument.parse("s: \(text)").value["s"] == .string(text))
    }

    @Test func recordsWhereEachValueStarts() throws {
        let text = """
            name: demo
            steps:
              - id: fetch
                call: crm.getCustomer
              - id: "notify"
            """
        let (value, locations) = try YAMLDocument.parse(text)
        #expect(JSONPointer.resolve("/steps/0/id", in: value) == "fetch")
        #expect(locations["/steps/0/id"] == SourceLocation(line: 3, column: 9))
        #expect(locations["/steps/0/call"] == SourceLocation(line: 4, column: 11))
        #expect(locations["/steps/1"] == SourceLocation(line: 5, column: 5))
        #expect(locations["/steps/1/id"] == SourceLocation(line: 5, column: 9))
        #expect(locations["/name"] == SourceLocation(line: 1, column: 7))
        #expect(locations[""] == SourceLocation(line: 1, column: 1))
    }

    @Test func columnsCountBytes() throws {
        let (_, locations) = try YAMLDocument.parse("title: \"é\"\nlist: [\"ü\", x]\n")
        #expect(locations["/list/1"] == SourceLocation(line: 2, column: 14))
    }

    @Test func expandsAliasesAndMergeKeys() throws {
        let text = """
            defaults: &defaults
              retries: 3
              timeout: 10s
            step:
              <<: *defaults
              timeout: 30s
            copy: *defaults
            """
        let (value, _) = try YAMLDocument.parse(text)
        #expect(value["step"] == ["timeout": "30s", "retries": 3])
        #expect(value["copy"] == ["retries": 3, "timeout": "10s"])
    }

    @Test(arguments: [
        ("name: [unclosed\n", 2),
        ("a: 1\n  b: 2\n", 2),
        ("key: \"unterminated\n", 2),
        ("a: 1\na: 2\n", 2),
        ("list:\n  - a: 1\n    b: 2\n    a: 3\n", 4),
        ("x: .inf\n", 1),
    ])
    func syntaxErrorsHaveALine(text: String, line: Int) {
        #expect {
            try YAMLDocument.parse(text)
        } throws: { error in
            guard let error = error as? YAMLSyntaxError else { return false }
            return error.location?.line == line && !error.message.isEmpty
        }
    }

    @Test func anEmptyDocumentIsAnError() {
        #expect(throws: YAMLSyntaxError.self) { try YAMLDocument.parse("# nothing here\n") }
    }

    @Test func rendersReadableBlockYAML() {
        let value: JSONValue = [
            "name": "demo", "count": 3, "ratio": 0.5, "enabled": true, "missing": nil,
            "tricky": ["true", "12", "", "yes", "a: b", "- x", "#hash", " padded "],
            "text": "line one\nline two\n",
            "empty": [:], "none": [],
        ]
        let text = YAMLDocument.render(value)
        #expect(text.hasPrefix("name: demo\ncount: 3\nratio: 0.5\nenabled: true\nmissing: null\n"))
        #expect(text.contains("text: |\n"))
        #expect(text.contains("empty: {}"))
    }

    static let handWritten: [JSONValue] = [
        ["a": 1, "b": [1.5, -2, 1e20, 1e-7], "c": ["d": nil, "e": false]],
        [
            "strings": [
                "true", "False", "null", "~", "", "0x10", "0o7", "1e3", ".5", "yes", "no", "on", "2024-01-01",
                "1:30", "<<", "=", "-", "?", ":", "a: b", "a #b", "'", "\"", "multi\nline", "trailing\n\n",
                "  lead", "tab\there", "é ü 🎉", "\u{7}bell", "!tag", "&anchor", "*alias", "%pct", "@at", "`tick",
                "{", "[", "|", ">", "Y", "n", "YES", "Off", "NULL", "Null", "ready", "a-b.c", "x_1", "e3", "inf", "NaN", "nan",
            ]
        ],
        ["keys": ["true": 1, "12": 2, "": 3, "a b": 4, "a: b": 5, "multi\nline": 6]],
        "just a string",
        42,
        nil,
        [],
        [[], [:], [[1]]],
    ]

    @Test(arguments: handWritten)
    func renderThenParseGivesTheSameValue(value: JSONValue) throws {
        let text = YAMLDocument.render(value)
        let (parsed, _) = try YAMLDocument.parse(text)
        #expect(parsed == value, "\(text)")
    }

    @Test(arguments: Fixtures.files(in: Fixtures.validDefinitions, extensions: ["json"]))
    func validDefinitionsRoundTrip(name: String) throws {
        let text = try String(contentsOf: Fixtures.validDefinitions.appendingPathComponent(name), encoding: .utf8)
        let value = try JSONParser.parse(text)
        let yaml = YAMLDocument.render(value)
        let (parsed, _) = try YAMLDocument.parse(yaml)
        #expect(parsed == value)
        #expect(parsed.objectValue?.keys == value.objectValue?.keys)
    }
}
