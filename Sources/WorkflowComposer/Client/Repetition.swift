/// Tells an answer that has fallen into a loop: a small model under a grammar may write the same piece again and
/// again (a step, a phrase in a message, the same step with the next number) until `max_tokens`, which at a few
/// tokens a second is minutes lost on every such round.
enum Repetition {
    /// The shortest run of repeats that counts: longer than anything a workflow document repeats on purpose.
    static let minimumRun = 1_200
    /// The fewest copies of the repeated piece in that run.
    static let minimumCopies = 3
    /// The longest piece looked for: a step written out in full.
    static let maximumPeriod = 600

    /// Where the loop at the end of `text` begins, as a count of UTF-8 bytes; nil when the text does not end in one.
    /// Runs of digits count as one character, so that a piece written again with the next number is a repeat too.
    static func loopStart(in text: String) -> Int? {
        let bytes = Array(text.utf8)
        // Each digit run folded to one 0, with where every kept byte sits in the text.
        var folded: [UInt8] = []
        var origin: [Int] = []
        folded.reserveCapacity(bytes.count)
        origin.reserveCapacity(bytes.count)
        let digits = UInt8(ascii: "0")...UInt8(ascii: "9")
        for (index, byte) in bytes.enumerated() {
            if digits.contains(byte), index > 0, digits.contains(bytes[index - 1]) { continue }
            folded.append(digits.contains(byte) ? UInt8(ascii: "0") : byte)
            origin.append(index)
        }
        let count = folded.count
        guard count >= minimumRun else { return nil }
        for period in 1...min(maximumPeriod, count / minimumCopies) {
            // How far back the text equals itself shifted by one period.
            var matched = 0
            while matched + period < count, folded[count - 1 - matched] == folded[count - 1 - matched - period] {
                matched += 1
            }
            let run = matched + period
            guard run >= minimumRun, run / period >= minimumCopies else { continue }
            // The loop starts after the first copy of the piece.
            let start = count - matched
            return origin[start]
        }
        return nil
    }
}
