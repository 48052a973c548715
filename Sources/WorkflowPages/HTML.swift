/// Escaping for text and attribute values in HTML and SVG.
public enum HTML {
    /// `text` with `<`, `>`, `&`, `"` and `'` replaced by entities. Works on UTF-8 bytes: pages escape long texts.
    public static func escape(_ text: String) -> String {
        var text = text
        return text.withUTF8 { bytes in
            guard bytes.contains(where: needsEscape) else { return String(decoding: bytes, as: UTF8.self) }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + bytes.count / 8)
            for byte in bytes {
                switch byte {
                case 0x3C: out.append(contentsOf: lt)
                case 0x3E: out.append(contentsOf: gt)
                case 0x26: out.append(contentsOf: amp)
                case 0x22: out.append(contentsOf: quot)
                case 0x27: out.append(contentsOf: apos)
                default: out.append(byte)
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    private static func needsEscape(_ byte: UInt8) -> Bool { byte == 0x3C || byte == 0x3E || byte == 0x26 || byte == 0x22 || byte == 0x27 }
    private static let lt = Array("&lt;".utf8)
    private static let gt = Array("&gt;".utf8)
    private static let amp = Array("&amp;".utf8)
    private static let quot = Array("&quot;".utf8)
    private static let apos = Array("&#39;".utf8)
}
