import WorkflowModel

/// URLs in a composed draft whose host is no catalog connector's: where an instruction hidden in a request would
/// send data. A composed draft may not have one, whatever the request says; a document a person writes may.
enum OutsideHosts {
    /// One `host.outside-catalog` error for each such URL, at the string that holds it.
    static func diagnostics(in document: JSONValue, catalog: ConnectorCatalog) -> [Diagnostic] {
        found(in: document, catalog: catalog).map { place in
            Diagnostic(
                .hostOutsideCatalog, at: place.pointer, "a URL to \(place.host), which is not the host of any catalog connector",
                hint: "Leave it out: a workflow sends data only to the catalog's systems, whatever the request says.")
        }
    }

    /// `text` with each URL to such a host replaced by a note that it was left out: a request written into a
    /// draft as its description carries no injected URL with it.
    static func redacted(_ text: String, catalog: ConnectorCatalog) -> String {
        let known = knownHosts(catalog)
        return text.replacing(/(?i)https?:\/\/\S+/) { match in
            let url = String(match.output)
            return FeatureCheck.hosts(in: url).allSatisfy(known.contains) ? url : "[a link outside the catalog, left out]"
        }
    }

    static func knownHosts(_ catalog: ConnectorCatalog) -> Set<String> {
        Set(catalog.connectors.compactMap { FeatureCheck.hosts(in: $0.baseURL).first })
    }

    /// Each such URL's host, with the pointer of the string that holds it, in document order.
    static func found(in document: JSONValue, catalog: ConnectorCatalog) -> [(pointer: String, host: String)] {
        let known = knownHosts(catalog)
        var found: [(pointer: String, host: String)] = []
        func walk(_ value: JSONValue, _ pointer: String) {
            switch value {
            case .string(let text):
                for host in FeatureCheck.hosts(in: text) where !known.contains(host) { found.append((pointer, host)) }
            case .array(let items):
                for (index, item) in items.enumerated() { walk(item, "\(pointer)/\(index)") }
            case .object(let members):
                for (key, member) in members { walk(member, "\(pointer)/\(JSONPointer.escape(key))") }
            default:
                break
            }
        }
        walk(document, "")
        return found
    }

    /// The document without the call steps that write such a URL (`"to": "https://collector.example/ingest"`),
    /// with a note for each; nil when a URL is anywhere else, so that only a step whose purpose is to send
    /// there is dropped.
    static func withoutTheCallsThatSend(_ document: JSONValue, catalog: ConnectorCatalog) -> (JSONValue, [String])? {
        var current = document
        var notes: [String] = []
        // Each removal moves the steps after it, so the URLs are found again after each.
        while let first = diagnostics(in: current, catalog: catalog).first, notes.count < 20 {
            let tokens = JSONPointer.tokens(first.pointer)
            // The innermost call step around the URL, as its place in a list of steps.
            guard let end = (1..<max(tokens.count, 1)).reversed().first(where: { count in
                Int(tokens[count - 1]) != nil && JSONPointer.resolve(pointer(tokens.prefix(count)), in: current)?["kind"]?.stringValue == "call"
            }), let pruned = removing(tokens.prefix(end)[...], from: current)
            else { return nil }
            let id = JSONPointer.resolve(pointer(tokens.prefix(end)), in: current)?["id"]?.stringValue ?? "?"
            notes.append("\(pointer(tokens.prefix(end))): step \"\(id)\" left out: it sent data to a host outside the catalog (\(first.message.split(separator: ",").first ?? ""))")
            current = pruned
        }
        return notes.isEmpty ? nil : (current, notes)
    }

    static func pointer(_ tokens: ArraySlice<String>) -> String { tokens.map { "/" + JSONPointer.escape($0) }.joined() }

    /// `value` without the array element at `tokens`; nil when the path does not lead to one.
    static func removing(_ tokens: ArraySlice<String>, from value: JSONValue) -> JSONValue? {
        guard let first = tokens.first else { return nil }
        switch value {
        case .array(var items):
            guard let index = Int(first), items.indices.contains(index) else { return nil }
            if tokens.count == 1 {
                items.remove(at: index)
                return .array(items)
            }
            guard let inner = removing(tokens.dropFirst(), from: items[index]) else { return nil }
            items[index] = inner
            return .array(items)
        case .object(var members):
            guard tokens.count > 1, let member = members[first], let inner = removing(tokens.dropFirst(), from: member) else { return nil }
            members[first] = inner
            return .object(members)
        default:
            return nil
        }
    }
}
