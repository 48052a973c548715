extension ConnectorCatalog {
    /// A compact text listing of every connector and operation, to ground a language model on what exists. Each
    /// operation is written with its connector, as a call names the pair.
    ///
    ///     connector crm — Acme CRM
    ///       crm.searchCustomers: GET /customers — Search customers
    ///         params: email?: string (query), limit?: integer (query)
    ///         returns: {items: [{id: string, ...}], total: integer}
    public func listing() -> String {
        var lines: [String] = []
        for connector in connectors {
            lines.append("connector \(connector.name) — \(connector.title)")
            for op in connector.operations {
                lines.append("  \(connector.name).\(op.id): \(op.method) \(op.path)" + (op.summary.map { " — \($0)" } ?? ""))
                if !op.parameters.isEmpty {
                    let params = op.parameters.map { p in
                        "\(p.name)\(p.required ? "" : "?"): \(p.type.rawValue) (\(p.location.rawValue))"
                            + (p.allowedValues.map { " one of " + $0.map(\.compactText).joined(separator: "|") } ?? "")
                    }
                    lines.append("    params: " + params.joined(separator: ", "))
                }
                if let body = op.requestBody { lines.append("    body\(body.required ? "" : "?"): \(body.shape)") }
                if let shape = op.responseShape { lines.append("    returns: \(shape)") }
            }
        }
        return lines.joined(separator: "\n")
    }
}

extension JSONValue {
    /// The value as short, single-line JSON-like text for listings and messages.
    public var compactText: String {
        switch self {
        case .null: "null"
        case .bool(let b): b ? "true" : "false"
        case .number(let n): n.jsonText
        case .string(let s): s
        case .array(let a): "[" + a.map(\.compactText).joined(separator: ", ") + "]"
        case .object(let o): "{" + o.map { "\($0.key): \($0.value.compactText)" }.joined(separator: ", ") + "}"
        }
    }
}
