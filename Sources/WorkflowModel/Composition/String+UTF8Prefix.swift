extension String {
    /// The longest prefix of at most `maxBytes` UTF-8 bytes that ends on a character boundary.
    public func utf8Prefix(_ maxBytes: Int) -> Substring {
        guard utf8.count > maxBytes else { return self[...] }
        var end = utf8.index(utf8.startIndex, offsetBy: max(maxBytes, 0))
        while end > startIndex, String.Index(end, within: self) == nil { end = utf8.index(before: end) }
        return self[..<end]
    }
}
