/// SVG markup built up as text, every attribute value and text node escaped.
struct SVGText {
    private(set) var text = ""

    init() { text.reserveCapacity(16_384) }

    mutating func open(_ name: String, _ attributes: [(String, String)]) {
        text += "<" + name
        append(attributes)
        text += ">"
    }

    mutating func element(_ name: String, _ attributes: [(String, String)]) {
        text += "<" + name
        append(attributes)
        text += "/>"
    }

    mutating func close(_ name: String) { text += "</" + name + ">" }

    mutating func leaf(_ name: String, _ content: String) { text += "<\(name)>\(HTML.escape(content))</\(name)>" }

    mutating func text(_ content: String, x: Double, y: Double, class name: String) {
        text += "<text x=\"\(GraphSVG.n(x))\" y=\"\(GraphSVG.n(y))\" class=\"\(name)\">\(HTML.escape(content))</text>"
    }

    mutating func raw(_ markup: String) { text += markup }

    private mutating func append(_ attributes: [(String, String)]) {
        for (name, value) in attributes { text += " \(name)=\"\(HTML.escape(value))\"" }
    }
}
