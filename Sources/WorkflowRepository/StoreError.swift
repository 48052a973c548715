/// Why the store refused or failed a request, in words a person reads:
///
///     workflow 3 is archived: archived workflows cannot be activated
///     workflow 3 is draft; only an active workflow can be paused
///
/// Match on `code`, never on the wording. A refused request changes nothing.
public struct StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of problem, for callers and tests to match on.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case notFound, ambiguous, archived, invalidTransition, invalidArgument
            case busy, missing, cannotOpen, unsupportedSchema, corrupt, readOnly, database
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// No workflow, version or composition has that id, number or name.
        public static let notFound = Code(.notFound)
        /// More than one workflow has that name; use its id.
        public static let ambiguous = Code(.ambiguous)
        /// The workflow is archived, and archived workflows are never changed again.
        public static let archived = Code(.archived)
        /// The lifecycle does not allow that from the workflow's state (pausing a draft, resuming an active one).
        public static let invalidTransition = Code(.invalidTransition)
        /// An argument is out of range, such as a negative limit.
        public static let invalidArgument = Code(.invalidArgument)
        /// Another process held the database for longer than the busy timeout.
        public static let busy = Code(.busy)
        /// There is no database file where one was to be read.
        public static let missing = Code(.missing)
        /// The database file or its folder could not be created or opened.
        public static let cannotOpen = Code(.cannotOpen)
        /// The database was migrated by a newer Baton, whose schema this one does not know.
        public static let unsupportedSchema = Code(.unsupportedSchema)
        /// The file is damaged (SQLite finds it malformed or not a database), or a stored value could not be read
        /// back (a composition record that is not valid JSON, an unknown state).
        public static let corrupt = Code(.corrupt)
        /// The database cannot be written: the file or its folder is read-only, or it was opened for reading only.
        public static let readOnly = Code(.readOnly)
        /// SQLite failed in some other way (disk full, I/O error).
        public static let database = Code(.database)

        public var description: String { base.rawValue }
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
