import BatonTestSupport
import Foundation
import Testing
import WorkflowModel

/// Malformed input never crashes or hangs the parser or the validator; it always yields diagnostics.
@Suite struct FuzzTests {
    static let seeds: [[UInt8]] = Fixtures.files(in: Fixtures.validDefinitions, extensions: ["json"]).compactMap {
        FileManager.default.contents(atPath: Fixtures.validDefinitions.appendingPathComponent($0).path).map { [UInt8]($0) }
    }

    static let fragments: [[UInt8]] = [
        "{", "}", "[", "]", ",", ":", "\"", "${", "}", "null", "true", "\"kind\": \"call\"", "\"id\": \"x\"",
        "\"steps\": []", "\\u12", "\u{FF}", "1e999", "-", "${a.b[", "'", "\n", "\"${lower()}\"", "\"${x ==== y}\"",
    ].map { Array($0.utf8) } + [[0xFF, 0xFE], [0xC3], [0xED, 0xA0, 0x80]]

    static func mutate(_ input: [UInt8], _ rng: inout SplitMix) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            let position = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &rng)
            switch Int.random(in: 0..<5, using: &rng) {
            case 0: if !bytes.isEmpty { bytes.remove(at: position) }
            case 1: bytes.insert(contentsOf: fragments.randomElement(using: &rng)!, at: position)
            case 2: if !bytes.isEmpty { bytes[position] = UInt8.random(in: 0...255, using: &rng) }
            case 3: bytes = Array(bytes.prefix(position))
            default:
                let end = min(bytes.count, position + Int.random(in: 1...200, using: &rng))
                if position < end { bytes.removeSubrange(position..<end) }
            }
        }
        return bytes
    }

    @Test func tenThousandMalformedDocuments() {
        #expect(!Self.seeds.isEmpty)
        var rng = SplitMix(state: 42)
        let validator = WorkflowValidator()
        var invalid = 0
        for i in 0..<10_000 {
            let document = Self.mutate(Self.seeds[i % Self.seeds.count], &rng)
            let result = validator.validate(bytes: document)
            if !result.isValid {
                invalid += 1
                #expect(!result.errors.isEmpty)
            }
            for diagnostic in result.diagnostics {
                #expect(!diagnostic.message.isEmpty && !diagnostic.hint.isEmpty && !diagnostic.code.rawValue.isEmpty)
            }
        }
        // Most mutations break something; a few land in strings and stay valid.
        #expect(invalid > 5_000)
    }

    @Test func tenThousandMalformedExpressions() {
        var rng = SplitMix(state: 7)
        let seeds = [
            "length(search.items) == 0 && !contains(lower(input.email), '@')",
            "a.b[0][\"k\"] + 1 * (2 - c) % 3 >= 4 ? 'x' : coalesce(d, e, [1, 2])",
            "input.tier in ['gold', 'silver'] || default(x.y, 0) != 1.5e3",
        ]
        let alphabet = Array("abc.[]()'\"!=<>&|+-*/%?:, 0123456789_${}\\")
        for i in 0..<10_000 {
            var chars = Array(seeds[i % seeds.count])
            for _ in 0..<Int.random(in: 1...5, using: &rng) {
                let position = Int.random(in: 0...chars.count, using: &rng)
                if Bool.random(using: &rng), position < chars.count {
                    chars.remove(at: position)
                } else {
                    chars.insert(alphabet.randomElement(using: &rng)!, at: position)
                }
            }
            let text = String(chars)
            do {
                _ = try ExpressionParser.parse(text)
            } catch {
                #expect(error.column >= 1 && error.column <= text.count + 1, "\(text): \(error)")
            }
            _ = try? Template.parse(string: "x ${" + text + "} y")
        }
    }
}
