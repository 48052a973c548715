import WorkflowModel

/// Generated workflows and catalogs of a chosen size, for benchmarks and scale tests.
public enum SyntheticWorkload {
    /// A catalog of `connectors` connectors with `operations` operations each (three parameters, a JSON body).
    public static func catalog(connectors: Int, operations: Int = 10) -> ConnectorCatalog {
        ConnectorCatalog((0..<connectors).map { c in
            Connector(
                name: "system\(c)", title: "System \(c)", baseURL: "http://127.0.0.1:9/\(c)", auth: .bearer(secret: "SYSTEM\(c)_TOKEN"),
                operations: (0..<operations).map { o in
                    ConnectorOperation(
                        id: "operation\(o)", method: "POST", path: "/things/{thingId}/op\(o)", summary: "Operation \(o)",
                        parameters: [
                            OperationParameter(name: "thingId", location: .path, required: true, type: .string),
                            OperationParameter(name: "limit", location: .query, required: false, type: .integer),
                            OperationParameter(name: "mode", location: .query, required: false, type: .string,
                                               allowedValues: ["fast", "safe"]),
                        ],
                        requestBody: RequestBodyShape(required: true, requiredProperties: ["name"], shape: "{name*: string, note: string}"),
                        responseShape: "{id: string, count: integer}")
                })
        })
    }

    /// A valid workflow document with `steps` steps in all (nested ones counted), mixing calls, transforms,
    /// conditions, parallel branches and loops, each step referring to earlier outputs, over `connectors` connectors.
    public static func workflowJSON(steps total: Int, connectors: Int) -> String {
        var counter = 0
        var lastTop = "input"
        func nextId() -> String { counter += 1; return "s\(counter)" }
        func call(_ id: String, source: String) -> String {
            let connector = counter % max(connectors, 1)
            return """
                {"id": "\(id)", "kind": "call", "connector": "system\(connector)", "operation": "operation\(counter % 10)",
                 "params": {"thingId": "${\(source).id}", "limit": 10, "mode": "safe"},
                 "body": {"name": "item ${\(source).id}", "note": "${upper(toString(\(source).count))}"},
                 "retry": {"maxAttempts": 3, "backoff": "exponential", "initialDelay": "1s", "maxDelay": "1m"},
                 "timeout": "30s"}
                """
        }
        var items: [String] = []
        while counter < total {
            let remaining = total - counter
            let pattern = items.count % 5
            let source = lastTop == "input" ? "input" : lastTop
            if pattern == 0 || remaining < 4 {
                let id = nextId()
                items.append(call(id, source: source))
                lastTop = id
            } else if pattern == 1 {
                let id = nextId()
                items.append("""
                    {"id": "\(id)", "kind": "transform", "output": {"id": "${\(source).id}", "count": "${length(\(source).id) + 1}",
                     "label": "Thing ${\(source).id} at ${now()}"}}
                    """)
                lastTop = id
            } else if pattern == 2 {
                let id = nextId()
                let a = nextId()
                let b = nextId()
                items.append("""
                    {"id": "\(id)", "kind": "condition", "if": "\(source).count > 3 && \(source).id != ''",
                     "then": [\(call(a, source: source))], "else": [\(call(b, source: source))]}
                    """)
            } else if pattern == 3 {
                let id = nextId()
                let a = nextId()
                let b = nextId()
                items.append("""
                    {"id": "\(id)", "kind": "parallel", "branches": [
                      {"name": "left", "steps": [\(call(a, source: source))]},
                      {"name": "right", "steps": [\(call(b, source: source))]}]}
                    """)
                lastTop = a
            } else {
                let id = nextId()
                let a = nextId()
                items.append("""
                    {"id": "\(id)", "kind": "foreach", "items": "\(source).id in ['x'] ? [1, 2] : [3]", "as": "thing", "concurrency": 4,
                     "steps": [{"id": "\(a)", "kind": "transform", "output": {"id": "${thing}", "index": "${index}", "from": "${\(source).id}"}}]}
                    """)
            }
        }
        return """
            {"format": 1, "name": "synthetic-\(total)", "description": "Generated for benchmarks.",
             "inputs": [{"name": "id", "type": "string", "required": true}, {"name": "count", "type": "integer", "default": 1}],
             "steps": [\(items.joined(separator: ",\n"))]}
            """
    }
}
