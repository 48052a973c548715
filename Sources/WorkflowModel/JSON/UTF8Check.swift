/// Where text that should be UTF-8 is not: every reader of outside bytes reports the offset rather than letting
/// U+FFFD stand in for what it could not read.
public enum UTF8Check {
    /// The offset of the first byte that does not start (or continue) a valid UTF-8 character, or `nil` when all
    /// of `bytes` is valid UTF-8.
    public static func firstInvalidOffset(_ bytes: some Sequence<UInt8>) -> Int? {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar): offset += scalar.count
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }
}
