import Foundation
import OpenAPIKit
import WorkflowModel

extension JSONValue {
    /// Converts a value OpenAPIKit decoded into an `AnyCodable`. Objects come back with sorted keys, since
    /// `AnyCodable` does not keep their order.
    init(anyCodable value: Any) {
        switch value {
        case let value as AnyCodable: self.init(anyCodable: value.value)
        case is NSNull, is Void: self = .null
        // Bool first: the values are Swift's own types, so a Bool never passes for a number, nor the reverse.
        case let b as Bool: self = .bool(b)
        case let i as Int: self = .number(Double(i))
        case let i as Int64: self = .number(Double(i))
        case let u as UInt: self = .number(Double(u))
        case let d as Double: self = .number(d)
        case let f as Float: self = .number(Double(f))
        case let s as String: self = .string(s)
        case let a as [Any]: self = .array(a.map(JSONValue.init(anyCodable:)))
        case let o as [String: Any]:
            self = .object(JSONObject(o.keys.sorted().map { ($0, JSONValue(anyCodable: o[$0]!)) }))
        default: self = .string(String(describing: value))
        }
    }
}
