/// A journal that can tell idle workers that work has arrived (a pending run, a completed wait, a cancellation),
/// so that they need not look often to start it soon.
public protocol WorkSignalling: Sendable {
    /// Returns when work is announced, `limit` has passed, or the task is cancelled, whichever comes first.
    func waitForWork(upTo limit: Duration) async
}
