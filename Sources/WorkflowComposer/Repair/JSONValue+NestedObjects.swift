import WorkflowModel

extension JSONValue {
    /// Every object in this value, itself first and then those inside it, in the order they are written.
    var nestedObjects: [JSONObject] {
        var objects: [JSONObject] = []
        func walk(_ value: JSONValue) {
            switch value {
            case .object(let object):
                objects.append(object)
                object.values.forEach(walk)
            case .array(let items):
                items.forEach(walk)
            default:
                break
            }
        }
        walk(self)
        return objects
    }
}
