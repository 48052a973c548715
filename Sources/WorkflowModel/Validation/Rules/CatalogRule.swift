/// Calls name connectors and operations that exist, with the parameters and body their API asks for.
struct CatalogRule: ValidationRule {
    func check(_ context: ValidationContext) -> [Diagnostic] {
        let calls = context.definition.allSteps.compactMap { step -> (Step, Step.Call)? in
            if case .call(let call) = step.body { (step, call) } else { nil }
        }
        guard let catalog = context.catalog else {
            guard let (first, _) = calls.first else { return [] }
            return [Diagnostic(
                .catalogMissing, at: first.pointer, "no connector catalog was given, so \(calls.count) call step(s) were not checked",
                hint: "Pass a catalog (--catalog DIR) to check connectors, operations and parameters.", severity: .warning)]
        }
        var diagnostics: [Diagnostic] = []
        for (step, call) in calls where !call.connector.isEmpty && !call.operation.isEmpty {
            guard let connector = catalog[call.connector] else {
                let names = catalog.connectors.map(\.name).joined(separator: ", ")
                let hint = catalog.connectors.isEmpty
                    ? "The catalog has no connectors at all: point BATON_CATALOG (or --catalog) at a folder of *.connector.yaml files."
                    : "Use one of the catalog's connectors: \(names). If none fits, the request cannot be done with this catalog."
                diagnostics.append(Diagnostic(
                    .connectorUnknown, at: step.pointer + "/connector", "there is no connector \"\(call.connector)\" in the catalog",
                    hint: hint))
                continue
            }
            guard let operation = connector.operation(call.operation) else {
                let ids = connector.operations.map(\.id).joined(separator: ", ")
                diagnostics.append(Diagnostic(
                    .operationUnknown, at: step.pointer + "/operation",
                    "the connector \"\(connector.name)\" has no operation \"\(call.operation)\"",
                    hint: "Use one of \(connector.name)'s operations: \(ids)."))
                continue
            }
            diagnostics += checkParameters(step, call, operation, context)
            diagnostics += checkBody(step, call, operation)
        }
        return diagnostics
    }

    private func checkParameters(_ step: Step, _ call: Step.Call, _ operation: ConnectorOperation, _ context: ValidationContext) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let paramsPointer = step.pointer + "/params"
        let missing = operation.parameters.filter { $0.required && call.literalParams[$0.name] == nil }
        if !missing.isEmpty {
            let wrote = JSONPointer.resolve(paramsPointer, in: context.document) != nil
            let names = missing.map { "\"\($0.name)\" (\($0.location.rawValue), \($0.type.rawValue))" }.joined(separator: ", ")
            diagnostics.append(Diagnostic(
                .parameterMissing, at: wrote ? paramsPointer : step.pointer,
                "\(call.connector).\(call.operation) requires \(names), which \"\(step.id)\" does not give",
                hint: "Add \(missing.map { "\"\($0.name)\"" }.joined(separator: ", ")) to \"params\"."))
        }
        for (name, value) in call.literalParams {
            let pointer = paramsPointer + "/" + JSONPointer.escape(name)
            guard let parameter = operation.parameter(name) else {
                let known = operation.parameters.map(\.name)
                let bodyHint = operation.requestBody != nil ? " Request body fields go in \"body\", not \"params\"." : ""
                diagnostics.append(Diagnostic(
                    .parameterUnknown, at: pointer, "\(call.connector).\(call.operation) has no parameter \"\(name)\"",
                    hint: (known.isEmpty ? "This operation takes no parameters." : "Its parameters are: \(known.joined(separator: ", ")).") + bodyHint))
                continue
            }
            if case .string(let text) = value, text.contains("${") { continue }
            if !parameter.type.accepts(value) {
                diagnostics.append(Diagnostic(
                    .parameterType, at: pointer,
                    "the parameter \"\(name)\" of \(call.connector).\(call.operation) is \(article(parameter.type.rawValue)) \(parameter.type.rawValue), but \(value.compactText) is \(article(value.typeName)) \(value.typeName)",
                    hint: "Give \"\(name)\" \(article(parameter.type.rawValue)) \(parameter.type.rawValue) value (or an expression)."))
            } else if let allowed = parameter.allowedValues, !allowed.contains(value) {
                diagnostics.append(Diagnostic(
                    .parameterType, at: pointer,
                    "\(value.compactText) is not an allowed value of \"\(name)\" (\(allowed.map(\.compactText).joined(separator: ", ")))",
                    hint: "Set \"\(name)\" to one of: \(allowed.map(\.compactText).joined(separator: ", "))."))
            }
        }
        return diagnostics
    }

    private func checkBody(_ step: Step, _ call: Step.Call, _ operation: ConnectorOperation) -> [Diagnostic] {
        guard let shape = operation.requestBody else {
            guard call.literalBody != nil else { return [] }
            return [Diagnostic(
                .bodyUnexpected, at: step.pointer + "/body", "\(call.connector).\(call.operation) takes no request body",
                hint: "Remove \"body\"; pass values through \"params\" instead.")]
        }
        guard let body = call.literalBody else {
            guard shape.required else { return [] }
            return [Diagnostic(
                .bodyMissing, at: step.pointer, "\(call.connector).\(call.operation) needs a request body, which \"\(step.id)\" does not give",
                hint: "Add \"body\": \(shape.shape).")]
        }
        guard case .object(let object) = body else { return [] }
        let missing = shape.requiredProperties.filter { object[$0] == nil }
        guard !missing.isEmpty else { return [] }
        return [Diagnostic(
            .bodyFieldMissing, at: step.pointer + "/body",
            "the body of \"\(step.id)\" lacks \(missing.map { "\"\($0)\"" }.joined(separator: ", ")), required by \(call.connector).\(call.operation)",
            hint: "Add \(missing.map { "\"\($0)\"" }.joined(separator: ", ")) to \"body\"; its shape is \(shape.shape).")]
    }
}
