/// Finds the names of systems in a request that nothing in the catalog matches: `Salesforce` in "sync the new
/// Salesforce contacts", `Zendesk` in "a ticket in Zendesk", `robot` in "the warehouse robot API".
///
/// A name is a capitalised word inside a sentence (or any word right before "API") that the catalog's vocabulary
/// lacks, in a place where a system is named: before a word such as "API", "account", "contacts" or "issue"
/// (certain), or after "in", "from", "to", "via" ... (possible: "in London" reads the same; certain for a name in
/// camel case, `to QuickBooks`, or after "into").
public enum SystemNames {
    public struct Unmatched: Sendable, Hashable {
        public var name: String
        /// Named so plainly that the request is refused without asking the model.
        public var certain: Bool
    }

    public static func unmatched(in request: String, vocabulary: Set<String>) -> [Unmatched] {
        let tokens = Self.tokens(request)
        var found: [Unmatched] = []
        for (i, token) in tokens.enumerated() {
            let word = token.word
            guard word.count > 1, word.allSatisfy({ $0.isLetter }), !commonNames.contains(word.lowercased()) else { continue }
            let next = i + 1 < tokens.count && !token.endsClause ? tokens[i + 1].word.lowercased() : ""
            let beforeAPI = next == "api" || next == "apis"
            let capitalised = word.first!.isUppercase && !token.startsSentence
            guard beforeAPI || capitalised, !known(word, vocabulary) else { continue }
            let named = beforeAPI || systemNouns.contains(SearchTerms.stem(next))
            var previous = i - 1
            while previous >= 0, determiners.contains(tokens[previous].word.lowercased()), !tokens[previous].endsClause { previous -= 1 }
            let afterPreposition = previous >= 0 && !tokens[previous].endsClause
                && prepositions.contains(tokens[previous].word.lowercased())
            // "a ticket in Zendesk", "the contacts from HubSpot": a thing kept in a system, then the system.
            var holder = previous - 1
            while holder >= 0, determiners.contains(tokens[holder].word.lowercased()) { holder -= 1 }
            let kept = afterPreposition && holder >= 0 && !tokens[holder].endsClause
                && keptThings.contains(SearchTerms.stem(tokens[holder].word.lowercased()))
            guard named || afterPreposition else { continue }
            // A product's name written in camel case (`QuickBooks`, `HubSpot`), or data moved "into" a name, is a system.
            let camelCase = zip(word, word.dropFirst()).contains { $0.isLowercase && $1.isUppercase }
            let into = afterPreposition && tokens[previous].word.lowercased() == "into"
            let certain = named || kept || afterPreposition && (camelCase || into)
            if let index = found.firstIndex(where: { $0.name.lowercased() == word.lowercased() }) {
                found[index].certain = found[index].certain || certain
            } else {
                found.append(Unmatched(name: word, certain: certain))
            }
        }
        return found
    }

    /// Whether the catalog knows the word, whole, stemmed, or as the words it is made of (`HubSpot` is not
    /// known by `hub` alone).
    static func known(_ word: String, _ vocabulary: Set<String>) -> Bool {
        let lower = word.lowercased()
        if vocabulary.contains(lower) || vocabulary.contains(SearchTerms.stem(lower)) { return true }
        let parts = SearchTerms.terms(word)
        return parts.count > 1 && parts.allSatisfy(vocabulary.contains)
    }

    struct Token {
        var word: String
        var startsSentence: Bool
        /// Followed by `.`, `,`, `;`, `:` or the like, so the next word does not belong with it.
        var endsClause: Bool
    }

    static func tokens(_ text: String) -> [Token] {
        var tokens: [Token] = []
        var sentenceStart = true
        for raw in text.split(whereSeparator: { $0.isWhitespace || $0 == "/" }) {
            let word = raw.drop { !$0.isLetter && !$0.isNumber }.reversed().drop { !$0.isLetter && !$0.isNumber }.reversed()
            let trailing = raw.reversed().prefix { !$0.isLetter && !$0.isNumber }
            let endsClause = trailing.contains { ".,;:!?()\"".contains($0) }
            tokens.append(Token(word: String(word), startsSentence: sentenceStart, endsClause: endsClause))
            sentenceStart = trailing.contains { ".!?:;".contains($0) } || word.isEmpty && sentenceStart
        }
        return tokens
    }

    /// Words that name a system or what lives in one, after the system's name.
    static let systemNouns: Set<String> = Set([
        "api", "app", "application", "system", "service", "platform", "integration", "instance", "portal", "workspace",
        "issue", "ticket", "deal", "contact", "opportunity", "store", "shop", "sheet", "spreadsheet", "bucket", "repo",
        "repository", "database", "crm", "erp", "bot", "webhook", "campaign", "subscription", "inbox", "order",
        "invoice", "payment", "email", "message",
    ].map(SearchTerms.stem))

    /// What lives in a system, before "in", "from" ... and its name.
    static let keptThings: Set<String> = Set([
        "ticket", "issue", "deal", "opportunity", "record", "card", "task", "row", "page", "document", "channel", "board",
        "project", "workspace", "sheet", "spreadsheet", "repo", "repository", "folder", "file", "lead", "contact", "account",
    ].map(SearchTerms.stem))

    static let prepositions: Set<String> = ["in", "into", "from", "to", "via", "through", "using", "with", "on", "onto", "inside"]
    static let determiners: Set<String> = ["the", "our", "my", "a", "an", "their", "your", "its", "his", "her", "new"]

    /// Capitalised words that are not systems: days, months, zones, and common abbreviations.
    static let commonNames: Set<String> = [
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march",
        "april", "may", "june", "july", "august", "september", "october", "november", "december", "utc", "gmt", "cet",
        "est", "pst", "europe", "america", "asia", "africa", "australia", "pacific", "atlantic", "i", "id", "ok", "api",
        "url", "http", "https", "json", "csv", "pdf", "sms", "email", "vip", "ceo", "cfo", "cto", "hr", "it", "qa",
    ]
}
