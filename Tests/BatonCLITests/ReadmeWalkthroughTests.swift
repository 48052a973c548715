import BatonTestSupport
import Foundation
import Testing

/// The README's walk-through is run as written, command after command, on a fresh database: every `$ baton ...` line
/// in its fenced blocks must exit as the README says (0 unless a `# exits N` comment says otherwise).
@Suite struct ReadmeWalkthroughTests {
    struct Command: CustomStringConvertible {
        var arguments: [String]
        var expectedStatus: Int32
        var description: String { "baton " + arguments.joined(separator: " ") }
    }

    /// The commands of the section headed `## A walk through`, continuation lines joined.
    static func walkthrough() throws -> [Command] {
        let readme = try String(contentsOf: Fixtures.root.appendingPathComponent("README.md"), encoding: .utf8)
        let lines = readme.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let start = lines.firstIndex(of: "## A walk through") else { return [] }
        let end = lines[(start + 1)...].firstIndex { $0.hasPrefix("## ") } ?? lines.count
        var commands: [Command] = []
        var inFence = false
        var i = start
        while i < end {
            let line = lines[i]
            if line.hasPrefix("```") { inFence.toggle() }
            if inFence, line.hasPrefix("$ baton ") {
                var text = String(line.dropFirst(2))
                while text.hasSuffix("\\"), i + 1 < end {
                    i += 1
                    text = String(text.dropLast()) + " " + lines[i].trimmingCharacters(in: .whitespaces)
                }
                var status: Int32 = 0
                if let hash = text.range(of: " # ") {
                    let comment = text[hash.upperBound...]
                    if comment.hasPrefix("exits "), let n = Int32(comment.dropFirst(6).prefix { $0.isNumber }) { status = n }
                    text = String(text[..<hash.lowerBound])
                }
                commands.append(Command(arguments: Array(try shellWords(text).dropFirst()), expectedStatus: status))
            }
            i += 1
        }
        return commands
    }

    /// Splits a command line as a POSIX shell would for plain words and single or double quotes.
    static func shellWords(_ text: String) throws -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        for character in text {
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "'" || character == "\"" {
                quote = character
                inWord = true
            } else if character == " " {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(character)
                inWord = true
            }
        }
        if quote != nil { throw CocoaError(.formatting) }
        if inWord { words.append(current) }
        return words
    }

    @Test func theWalkthroughRunsAsWrittenOnAFreshDatabase() throws {
        let commands = try Self.walkthrough()
        #expect(commands.count >= 10, "the walk-through lost its commands")
        let sandbox = try ComposeCommandTests.Sandbox()
        defer { sandbox.remove() }
        var run: String?
        var token: String?
        for command in commands {
            let arguments = command.arguments.map { word in
                word == "RUN" ? run ?? word : word == "TOKEN" ? token ?? word : word
            }
            let result = try sandbox.run(arguments, environment: ["EDITOR": "true"])
            #expect(result.status == command.expectedStatus, "\(command): \(result.stdout)\(result.stderr)")
            if let id = Self.match(#"run ([0-9a-f-]{36})"#, in: result.stdout) { run = id }
            if let found = Self.match(#"baton signal [0-9a-f-]{36} ([0-9a-f]+)"#, in: result.stdout) { token = found }
        }
    }

    static func match(_ pattern: String, in text: String) -> String? {
        guard let regex = try? NSRegularExpression(pattern: pattern),
            let found = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
            let range = Range(found.range(at: 1), in: text)
        else { return nil }
        return String(text[range])
    }
}
