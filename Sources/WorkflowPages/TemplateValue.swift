import Mustache

/// A value templates read by name through `child(named:)` instead of reflection, which costs more than the rest of
/// a long page. An absent optional reads as `false`, not nil, so a template never finds a field of the same name
/// further out (a step without an error must not show the run's).
typealias TemplateValue = MustacheParent

/// `value`, or `false` when absent.
func present(_ value: (some Any)?) -> Any { value.map { $0 as Any } ?? false }
