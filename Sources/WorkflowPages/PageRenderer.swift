import Foundation
import Mustache

/// Turns page views into HTML with the bundled templates (Mustache: every `{{value}}` is escaped; only the SVG the
/// pages draw themselves goes in unescaped), and serves the bundled style sheet and script.
public struct PageRenderer: Sendable {
    private let library: MustacheLibrary

    public struct MissingResources: Error, CustomStringConvertible {
        public var description: String { "the page templates are missing from the program's resources" }
    }

    public init() throws {
        guard let folder = Bundle.module.url(forResource: "templates", withExtension: nil) else { throw MissingResources() }
        var library = MustacheLibrary()
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasSuffix(".mustache") {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            try library.register(text, named: String(name.dropLast(".mustache".count)))
        }
        self.library = library
    }

    public func render(_ view: WorkflowListView) -> String { render(view, "workflows") }
    public func render(_ view: WorkflowView) -> String { render(view, "workflow") }
    public func render(_ view: RunListView) -> String { render(view, "runs") }
    public func render(_ view: RunView) -> String { render(view, "run") }
    public func render(_ view: ComposeView) -> String { render(view, "compose") }
    public func render(_ view: CompositionView) -> String { render(view, "composition") }
    public func render(_ view: SignInView) -> String { render(view, "signin") }
    public func render(_ view: MessageView) -> String { render(view, "message") }

    private func render(_ view: Any, _ template: String) -> String {
        library.render(view, withTemplate: template) ?? "<!doctype html><title>Baton</title><p>The page could not be drawn.</p>"
    }

    /// A bundled file under `/static/`: its bytes and content type, or nil.
    public static func asset(_ name: String) -> (bytes: [UInt8], contentType: String)? {
        let types = ["css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8", "svg": "image/svg+xml"]
        guard !name.contains("/"), !name.hasPrefix("."), let type = types[(name as NSString).pathExtension],
            let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "static"), let data = try? Data(contentsOf: url)
        else { return nil }
        return ([UInt8](data), type)
    }
}

/// A page that only says something: not found, refused, done.
public struct MessageView: Sendable {
    var frame: PageFrame
    var heading: String
    var detail: String
    var back: String?

    public init(frame: PageFrame, heading: String, detail: String, back: String? = nil) {
        self.frame = frame
        self.heading = heading
        self.detail = detail
        self.back = back
    }
}

extension MessageView: TemplateValue {
    public func child(named lookup: String) -> Any? {
        switch lookup {
        case "frame": frame
        case "heading": heading
        case "detail": detail
        case "back": present(back)
        default: nil
        }
    }
}
