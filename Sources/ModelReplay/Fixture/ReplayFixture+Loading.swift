import Foundation

extension ReplayFixture {
    /// Reads one fixture file; its `name` must be the file name without `.json`.
    public static func load(contentsOf file: URL) throws(ReplayError) -> ReplayFixture {
        let fileName = file.lastPathComponent
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw ReplayError(.unreadable, "cannot read \(file.path)")
        }
        let fixture: ReplayFixture
        do {
            fixture = try JSONDecoder().decode(ReplayFixture.self, from: data)
        } catch {
            throw ReplayError(.invalidFixture, "\(fileName) is not a replay fixture: \(Self.explain(error))")
        }
        let expected = file.deletingPathExtension().lastPathComponent
        guard fixture.name == expected else {
            throw ReplayError(
                .invalidFixture, "\(fileName) is named \"\(fixture.name)\"; the name must be \"\(expected)\"")
        }
        return fixture
    }

    /// Reads every `*.json` file in `directory`, sorted by file name.
    public static func loadAll(in directory: URL) throws(ReplayError) -> [ReplayFixture] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw ReplayError(.unreadable, "cannot list \(directory.path)")
        }
        var fixtures: [ReplayFixture] = []
        for name in names.sorted() where name.hasSuffix(".json") {
            fixtures.append(try load(contentsOf: directory.appendingPathComponent(name)))
        }
        return fixtures
    }

    /// A decoding error in one line: the path to the bad value and what was wrong.
    private static func explain(_ error: any Error) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return keys.isEmpty ? "the top level" : keys
        }
        switch error as? DecodingError {
        case .keyNotFound(let key, let context): return "\(path(context)) lacks \"\(key.stringValue)\""
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(path(context)): \(context.debugDescription)"
        default: return "\(error)"
        }
    }
}
