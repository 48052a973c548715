/// Expressions call only functions the language has, with the right number of arguments.
struct FunctionRule: ValidationRule {
    func check(_ context: ValidationContext) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for step in context.definition.allSteps {
            for site in step.expressions {
                for call in site.expression.calls {
                    guard let signature = ExpressionFunctions.byName[call.name] else {
                        let names = ExpressionFunctions.all.map(\.name).joined(separator: ", ")
                        diagnostics.append(Diagnostic(
                            .expressionFunctionUnknown, at: site.pointer, "there is no function \"\(call.name)\"",
                            hint: "Use one of: \(names)."))
                        continue
                    }
                    if !signature.arity.contains(call.arguments.count) {
                        let expected = signature.arity.count == 1
                            ? "\(signature.arity.lowerBound)" : "\(signature.arity.lowerBound) to \(signature.arity.upperBound)"
                        diagnostics.append(Diagnostic(
                            .expressionArity, at: site.pointer,
                            "\(call.name)() takes \(expected) argument\(signature.arity == 1...1 ? "" : "s"), not \(call.arguments.count)",
                            hint: "\(call.name): \(signature.summary); call it with \(expected) argument(s)."))
                    }
                }
            }
        }
        return diagnostics
    }
}
