import Foundation
import WorkflowComposer

/// Shows on standard error what the composer is doing and for how long: a live line on a terminal, one line
/// per round otherwise. Silent when asked to be.
final class Progress: @unchecked Sendable {
    private let lock = NSLock()
    private let quiet: Bool
    private let interactive = isatty(STDERR_FILENO) == 1
    private var label = ""
    private var prefix = ""
    private var started = ContinuousClock.now
    /// The streamed answer so far: pieces (about one token each) and their rate.
    private var tokens: (count: Int, rate: Double?)?
    private var ticker: Task<Void, Never>?

    init(quiet: Bool) { self.quiet = quiet }

    /// Puts `prefix` (e.g. `[3/40] order-sync: `) before every line from now on, for commands that compose many times.
    func setPrefix(_ prefix: String) {
        lock.withLock { self.prefix = prefix }
    }

    func handle(_ event: ComposerEvent) {
        guard !quiet else { return }
        switch event {
        case .asking(let round):
            lock.withLock {
                label = prefix + (round == 1 ? "asking the model" : "asking the model to fix its answer (round \(round))")
                started = .now
                tokens = nil
            }
            if interactive {
                ticker?.cancel()
                ticker = Task { [weak self] in
                    while !Task.isCancelled {
                        self?.draw()
                        try? await Task.sleep(for: .seconds(1))
                    }
                }
            } else {
                write("\(label)…\n")
            }
        case .receiving(_, let count, let rate):
            lock.withLock { tokens = (count, rate) }
        case .answered(_, let completionTokens):
            ticker?.cancel()
            let (elapsed, streamed) = lock.withLock { (ContinuousClock.now - started, tokens) }
            var detail = (completionTokens ?? streamed?.count).map { ", \($0) tokens" } ?? ""
            if let rate = streamed?.rate { detail += String(format: " (%.1f tokens/s)", rate) }
            write((interactive ? "\r\u{1B}[K" : "") + "\(label): answered in \(Self.seconds(elapsed))\(detail)\n")
        case .finished:
            ticker?.cancel()
        }
    }

    private func draw() {
        let (text, elapsed, streamed) = lock.withLock { (label, ContinuousClock.now - started, tokens) }
        var detail = ""
        if let streamed {
            detail = ", \(streamed.count) tokens" + (streamed.rate.map { String(format: ", %.1f tokens/s", $0) } ?? "")
        }
        write("\r\u{1B}[K\(text)… \(Self.seconds(elapsed))\(detail)")
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    static func seconds(_ duration: Duration) -> String {
        String(format: "%.1fs", Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    }
}
