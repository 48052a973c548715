import WorkflowModel

/// Renders validation results for a person reading a terminal.
enum DiagnosticText {
    static func render(_ result: ValidationResult, file: String, outline: Bool) -> String {
        var lines: [String] = []
        for diagnostic in result.diagnostics {
            let place = diagnostic.location.map { "\(file):\($0.line):\($0.column)" } ?? file
            let pointer = diagnostic.pointer.isEmpty ? "/" : diagnostic.pointer
            lines.append("\(place): \(diagnostic.severity.rawValue) [\(diagnostic.code)] \(diagnostic.message)")
            lines.append("    at \(pointer)")
            lines.append("    hint: \(diagnostic.hint)")
        }
        let errors = result.errors.count
        let warnings = result.warnings.count
        if let definition = result.definition {
            lines.append("\(file): valid" + (warnings > 0 ? " (\(warnings) warning\(warnings == 1 ? "" : "s"))" : ""))
            if outline { lines.append(definition.outline()) }
        } else {
            lines.append("\(file): \(errors) error\(errors == 1 ? "" : "s")" + (warnings > 0 ? ", \(warnings) warning\(warnings == 1 ? "" : "s")" : ""))
        }
        return lines.joined(separator: "\n")
    }
}
