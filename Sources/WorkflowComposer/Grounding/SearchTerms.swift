/// Turns English and API names into search terms: words split at case changes, `_`, `-` and punctuation,
/// lower-cased, common words dropped, and lightly stemmed so that `bookings`, `booking` and `book` meet.
enum SearchTerms {
    /// A channel as chat apps write it (`#payments-ops`): a place to post, whatever words its name holds.
    static let channel = #"#[A-Za-z][\w-]*"#

    /// The terms of `text`, in order, repeats kept.
    static func terms(_ text: String) -> [String] {
        words(text).compactMap { word in
            let lower = word.lowercased()
            guard lower.count > 1 || lower.first?.isNumber == true, !stopWords.contains(lower) else { return nil }
            return stem(lower)
        }
    }

    /// The terms of `text` and, for a word an API would name differently, the words it would use.
    static func queryTerms(_ text: String) -> [String] {
        terms(text).flatMap { term in [term] + (synonyms[term] ?? []) }
    }

    /// `searchCustomers`, `customer_id`, `VINDecoder` and `e-mail` split into words.
    static func words(_ text: String) -> [Substring] {
        var words: [Substring] = []
        var start: String.Index?
        var previous: Character?
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character.isLetter || character.isNumber {
                if let begin = start, let last = previous {
                    let next = text.index(after: index) < text.endIndex ? text[text.index(after: index)] : nil
                    // A new word: lower to upper (`searchCustomers`), the last capital of a run before lower case
                    // (`VINDecoder`), or letters meeting digits.
                    let caseBreak = last.isLowercase && character.isUppercase
                        || last.isUppercase && character.isUppercase && next?.isLowercase == true
                    let digitBreak = last.isNumber != character.isNumber
                    if caseBreak || digitBreak {
                        words.append(text[begin..<index])
                        start = index
                    }
                } else if start == nil {
                    start = index
                }
            } else if let begin = start {
                words.append(text[begin..<index])
                start = nil
            }
            previous = character
            index = text.index(after: index)
        }
        if let begin = start { words.append(text[begin...]) }
        return words
    }

    /// A light suffix-stripping stemmer: plurals, -ing, -ed, -ation, -ment, and a final e.
    static func stem(_ word: String) -> String {
        guard word.count > 3, word.allSatisfy(\.isLetter) else { return word }
        var w = word
        if w.hasSuffix("ies"), w.count > 4 { w = String(w.dropLast(3)) + "y" }
        else if w.hasSuffix("sses") { w = String(w.dropLast(2)) }
        else if ["ches", "shes", "xes", "zes"].contains(where: w.hasSuffix) { w = String(w.dropLast(2)) }
        else if w.hasSuffix("s"), !w.hasSuffix("ss"), !w.hasSuffix("us"), !w.hasSuffix("is") { w = String(w.dropLast()) }
        for suffix in ["ation", "ment", "ing", "ed"] where w.hasSuffix(suffix) && w.count - suffix.count >= 3 {
            w = String(w.dropLast(suffix.count))
            break
        }
        if w.hasSuffix("e"), w.count > 3 { w = String(w.dropLast()) }
        // `shipping` → `ship`, `cancelled` → `cancel`, and `bill` → `bil` to match `billing`.
        if w.count > 3, let last = w.last, !"aeiouy".contains(last), w.dropLast().last == last { w = String(w.dropLast()) }
        return w
    }

    static let stopWords: Set<String> = [
        "a", "an", "the", "and", "or", "but", "to", "of", "for", "in", "on", "at", "by", "with", "from", "into", "onto",
        "as", "is", "are", "was", "were", "be", "been", "it", "its", "this", "that", "these", "those", "them", "they",
        "their", "there", "then", "than", "when", "whenever", "if", "else", "so", "do", "does", "done", "not", "no",
        "we", "our", "us", "you", "your", "i", "me", "my", "he", "she", "his", "her", "who", "what", "which", "each",
        "every", "all", "any", "some", "one", "also", "just", "only", "up", "out", "about", "after", "before", "once",
        "again", "same", "time", "new", "via", "please", "should", "would", "could", "can", "will", "must", "may",
        "have", "has", "had", "got", "give", "given", "make", "made", "way", "how", "whether", "while", "until",
        "more", "most", "less", "over", "under", "other", "own", "such", "too", "very", "per", "id", "ids",
        "workflow", "step", "steps",
    ]

    /// Words people use for what APIs name otherwise, stemmed. Kept to verbs and nouns that mean the same in
    /// any business API, so that no one catalog is favoured.
    static let synonyms: [String: [String]] = [
        "text": ["sms"], "mail": ["email"],
        "find": ["search", "get", "list"], "look": ["search", "get"], "lookup": ["search", "get"],
        "check": ["get", "search"], "fetch": ["get"], "retriev": ["get"], "read": ["get"], "query": ["search", "list"],
        "add": ["creat"], "open": ["creat"], "rais": ["creat"], "register": ["creat"], "submit": ["creat"],
        "insert": ["creat"], "remov": ["delet"], "eras": ["delet"], "undo": ["cancel", "delet", "releas"],
        "void": ["cancel"], "chang": ["updat"], "modify": ["updat"], "mark": ["updat"], "set": ["updat"],
        "notify": ["messag", "send", "post"], "tell": ["messag", "send"], "alert": ["messag", "post"],
        "announc": ["post", "messag"], "ping": ["messag"], "writ": ["creat", "updat"], "stor": ["creat", "upsert"],
        "sav": ["creat", "upsert"], "sync": ["upsert", "list", "creat"], "bil": ["invoic", "charg"], "pay": ["charg"],
    ]
}
