/// How large a workflow document may be. A document beyond these is invalid, so a model's oversized answer is
/// refused rather than saved, and nothing downstream (the store, the engine, repair prompts) sees one.
public enum WorkflowLimits {
    /// The document, as UTF-8 text (or, once parsed, as compact JSON): 1 MiB.
    public static let maxDocumentBytes = 1 << 20
    /// Steps in all, nested ones, compensations and error handlers counted.
    public static let maxSteps = 1_000
    /// A step's `name`, in characters.
    public static let maxNameLength = 200
    /// A `description` (of the workflow, an input or a step), in characters.
    public static let maxDescriptionLength = 4_000
    /// Any other string, in UTF-8 bytes: 64 KiB.
    public static let maxStringBytes = 64 << 10
}
