import WorkflowModel

/// The undo steps a request asks for in words ("if any booking fails, cancel the ones already made"), added where
/// the catalog says how: a call that made something an operation of its connector undoes (`bookFlight`, undone by
/// `cancelFlight`) gets that operation as its `compensate`, reading the identifier the call returned
/// (`${book_flight.bookingId}`). Small models leave undo steps out more often than anything else a request asks
/// for, and a round asking for them seldom adds them; the catalog alone settles what they are.
///
/// Only an undo the request says: its verb (`cancel`, `release`), or "undo", "roll back" or "revert" for all. Only
/// a call whose answer names something new to undo: `deleteVehicle` with the `vin` an upsert was given would also
/// delete a vehicle that was there before.
enum UndoSteps {
    /// `document` with a `compensate` on each call the request asks to undo that has none, and a note for each;
    /// nil when none is added.
    static func added(to document: JSONValue, for request: String, catalog: ConnectorCatalog) -> (document: JSONValue, notes: [String])? {
        let text = RequestCoverage.normalized(request)
        guard RequestCoverage.undoCue(in: text) != nil else { return nil }
        let verbs = Set(SearchTerms.terms(request))
        let everything = RequestCoverage.said([" undo", " roll back", " revert"], in: text) != nil
        var taken = Set(DiagnosticRepairer.stepIds(in: document))
        var notes: [String] = []
        let completed = document.mappingStepLists { at, steps in
            steps.enumerated().map { index, step in
                guard case .object(var call) = step, call["kind"] == "call", call["compensate"] == nil, case .string(let id)? = call["id"],
                    let connector = call["connector"]?.stringValue.flatMap({ catalog[$0] }),
                    let operation = call["operation"]?.stringValue.flatMap(connector.operation)
                else { return step }
                let partners = Retriever.undoPartners(of: operation.id, in: connector).filter { partner in
                    everything || SearchTerms.terms(partner.id).first.map(verbs.contains) == true
                }
                guard partners.count == 1, let undo = partners.first, let params = arguments(of: undo, from: id, of: operation)
                else { return step }
                let undoId = DiagnosticRepairer.freeId("undo_\(id)", among: taken)
                taken.insert(undoId)
                var compensation = JSONObject([
                    ("id", .string(undoId)), ("kind", "call"), ("connector", .string(connector.name)), ("operation", .string(undo.id)),
                ])
                if !params.isEmpty { compensation["params"] = .object(params) }
                call["compensate"] = .object(compensation)
                notes.append("\(at)/\(index): the request says to undo it when something fails: \(connector.name).\(undo.id) undoes it (\"compensate\")")
                return .object(call)
            }
        }
        return notes.isEmpty ? nil : (completed, notes)
    }

    /// `document` with each compensation that undoes nothing the request asks to undo made the step after its call:
    /// in a request that says nothing of failing or undoing, a small model writes "then post a warning" as the call's
    /// `compensate`, which would run only if a later step failed. Nil when there is none, or the request speaks of
    /// failing or undoing.
    static func unasked(_ document: JSONValue, for request: String, catalog: ConnectorCatalog) -> (document: JSONValue, notes: [String])? {
        let text = RequestCoverage.normalized(request)
        guard RequestCoverage.said(RequestCoverage.failureCues + [" undo", " roll back", " revert", " compensat"], in: text) == nil
        else { return nil }
        var notes: [String] = []
        let changed = document.mappingStepLists { at, steps in
            var result: [JSONValue] = []
            for step in steps {
                guard case .object(var call) = step, call["kind"] == "call", let undo = call["compensate"], undo["kind"] == "call",
                    let operation = undo["operation"]?.stringValue, !Retriever.isUndo(operation)
                else {
                    result.append(step)
                    continue
                }
                call["compensate"] = nil
                result += [.object(call), undo]
                notes.append("\(at)/\(result.count - 1): \(undo["id"]?.stringValue ?? operation) undoes nothing the request asks to undo, so it runs after \(call["id"]?.stringValue ?? "its call") instead of as its \"compensate\"")
            }
            return result
        }
        return notes.isEmpty ? nil : (changed, notes)
    }

    /// The parameters `undo` needs, each read from the answer of the call `id` to `operation` (`bookingId` from a
    /// `bookingId`, a `customerId` from an `id`) and none the call was given; nil when one cannot be, or when
    /// `undo` needs a body.
    static func arguments(of undo: ConnectorOperation, from id: String, of operation: ConnectorOperation) -> JSONObject? {
        guard undo.requestBody?.required != true else { return nil }
        let fields = operation.responseFields
        let given = Set(operation.parameters.map(\.name))
        var params = JSONObject()
        for parameter in undo.parameters where parameter.required || parameter.location == .path {
            if given.contains(parameter.name) {
                return nil
            } else if fields.contains(parameter.name) {
                params[parameter.name] = .string("${\(id).\(parameter.name)}")
            } else if parameter.name.hasSuffix("Id"), fields.contains("id") {
                params[parameter.name] = .string("${\(id).id}")
            } else {
                return nil
            }
        }
        return params
    }
}
