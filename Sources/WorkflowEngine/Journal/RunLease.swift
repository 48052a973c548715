import Foundation

/// Who executes runs: one engine instance. The id is `host:pid:random`, unique across machines sharing a database,
/// and it names the process so that a dead owner on this machine is recognised without waiting for its lease to end.
public struct RunOwner: Sendable, Hashable, CustomStringConvertible {
    public var id: String

    public init(id: String) { self.id = id }

    /// A new owner in this process.
    public init() {
        var generator = SystemRandomNumberGenerator()
        let random = String(generator.next() as UInt64, radix: 16).leftPadded(to: 16)
        self.init(id: "\(Self.host):\(getpid()):\(random)")
    }

    public var description: String { id }

    /// This machine's host name, as owner ids name it.
    public static let host: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }()

    /// The process the id names, when it is a process of this machine.
    var localPID: Int32? {
        let parts = id.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 3, parts.dropLast(2).joined(separator: ":") == Self.host else { return nil }
        return Int32(parts[parts.count - 2])
    }

    /// Whether the id names a process of this machine that has ended (or is a zombie its parent has not reaped):
    /// such an owner executes nothing any more, whatever its lease says.
    public var hasDiedHere: Bool {
        guard let pid = localPID, pid != getpid() else { return false }
        return !Self.isAlive(pid)
    }

    /// Whether a process of this machine can still run steps. A zombie (exited, not yet reaped by its parent) cannot,
    /// though `kill(pid, 0)` still succeeds on it.
    static func isAlive(_ pid: Int32) -> Bool {
        guard pid > 0, kill(pid, 0) == 0 || errno == EPERM else { return false }
        return !hasExited(pid)
    }

    /// Whether `/proc` shows the process as a zombie (`Z`) or dead (`X`); false where there is no `/proc`.
    static func hasExited(_ pid: Int32) -> Bool {
        let handle = open("/proc/\(pid)/stat", O_RDONLY)
        guard handle >= 0 else { return false }
        defer { close(handle) }
        var buffer = [UInt8](repeating: 0, count: 1024)
        let count = read(handle, &buffer, buffer.count)
        guard count > 0 else { return false }
        return processState(stat: String(decoding: buffer[..<count], as: UTF8.self)).map { $0 == "Z" || $0 == "X" } ?? false
    }

    /// The state letter of a `/proc/PID/stat` line: the first field after the command name, which is in
    /// parentheses and may itself hold spaces and `)`.
    static func processState(stat: String) -> Character? {
        guard let close = stat.lastIndex(of: ")") else { return nil }
        return stat[stat.index(after: close)...].first { $0 != " " }
    }
}

/// A time-limited hold of an owner on runs. While it holds, no other owner may claim them, and writes for them are
/// accepted from this owner only; the owner renews it while it executes them.
public struct RunLease: Sendable, Hashable {
    public var owner: RunOwner
    public var expiresAt: Date

    public init(owner: RunOwner, expiresAt: Date) {
        self.owner = owner
        self.expiresAt = expiresAt
    }

    /// Whether the lease still keeps others out at `now`: it has not expired, and its owner has not died on this
    /// machine.
    public func holds(at now: Date) -> Bool { expiresAt > now && !owner.hasDiedHere }

    /// Whether a run held under `holder` (or by nobody) may be taken under this lease at `now`.
    public func mayTake(from holder: RunLease?, at now: Date) -> Bool {
        guard let holder else { return true }
        return holder.owner == owner || !holder.holds(at: now)
    }
}
