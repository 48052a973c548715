import ArgumentParser
import Foundation
import WorkflowEngine
import WorkflowModel

/// A run's input from the command line: `--input-file` (a JSON object) and `--input NAME=VALUE` pairs, which win.
enum RunInput {
    static func read(pairs: [String], file: String?, declared: [InputParameter]) throws -> JSONObject {
        var input = JSONObject()
        if let file {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw CommandError(description: "cannot read the input file \(file)")
            }
            do {
                guard case .object(let object) = try JSONParser.parse(String(decoding: data, as: UTF8.self)) else {
                    throw CommandError(description: "\(file): the input file must hold a JSON object of input names to values")
                }
                input = object
            } catch let error as JSONSyntaxError {
                throw CommandError(description: "\(file): not JSON: \(error)")
            }
        }
        for pair in pairs {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                throw CommandError(description: "--input \(pair): expected NAME=VALUE", exitCode: .validationFailure)
            }
            let name = String(pair[..<equals])
            input[name] = RunInputs.value(of: String(pair[pair.index(after: equals)...]), for: declared.first { $0.name == name })
        }
        return input
    }

    /// `--trigger`: JSON text, or `@file` holding it.
    static func trigger(_ text: String?, option: String = "--trigger") throws -> JSONValue? {
        guard var text else { return nil }
        if text.hasPrefix("@") {
            let file = String(text.dropFirst())
            guard let data = FileManager.default.contents(atPath: file) else { throw CommandError(description: "\(option): cannot read the file \(file)") }
            text = String(decoding: data, as: UTF8.self)
        }
        do {
            return try JSONParser.parse(text)
        } catch {
            throw CommandError(description: "\(option) is not JSON: \(error)", exitCode: .validationFailure)
        }
    }
}
