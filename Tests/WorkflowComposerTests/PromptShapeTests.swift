import BatonTestSupport
import Foundation
import Synchronization
import Testing
import WorkflowModel

@testable import WorkflowComposer

/// A model whose endpoint enforces the schema, answering from a list (the last answer repeats).
final class ScriptedSchemaModel: LanguageModel {
    let answers: [String]
    let requests = Mutex<[ModelRequest]>([])

    init(_ answers: [String]) { self.answers = answers }

    var endpointDescription: String { "scripted" }
    var enforcesSchema: Bool { true }

    func complete(_ request: ModelRequest) async throws(ModelError) -> ModelResponse {
        let count = requests.withLock { $0.append(request); return $0.count }
        return ModelResponse(text: answers[min(count, answers.count) - 1], promptTokens: ContextBudget.estimate(request.messages) * 3 / 4)
    }
}

/// What is sent when the endpoint enforces the schema: a short prompt, a schema cut to the retrieved operations,
/// repair rounds without the examples, and nothing that cannot fit the context.
@Suite struct PromptShapeTests {
    static let signup = "When a customer signs up, check the CRM for a duplicate by email, create the customer if new, and send a welcome email."
    static let broken = #"{"format": 1, "name": "t", "steps": [{"id": "a", "kind": "call", "connector": "crm", "operation": "createCustomer"}]}"#

    static func composer(_ model: any LanguageModel, context: ContextBudget? = nil, rounds: Int = 2) -> Composer {
        Composer(
            model: model, catalog: Fixtures.catalog, prompts: AnswerLimitTests.prompts, maxRepairRounds: rounds, provider: "openai",
            modelName: "scripted", context: context)
    }

    @Test func theFirstRequestIsShortAndItsSchemaNamesOnlyTheRetrievedOperations() async throws {
        let model = ScriptedSchemaModel([Self.broken])
        _ = await Self.composer(model).compose(Self.signup)
        let request = try #require(model.requests.withLock { $0.first })
        let system = request.messages[0].content
        #expect(!system.contains("\"$schema\"") && !system.contains("Catalog"))
        let user = request.messages[1].content
        #expect(user.hasSuffix(Self.signup + "\n") || user.hasSuffix(Self.signup))
        #expect(user.contains("searchCustomers") && !user.contains("bookFlight"))
        #expect(ContextBudget.estimate(request.messages) <= 2_600, "\(ContextBudget.estimate(request.messages)) estimated tokens")
        let schema = try #require(request.schema)
        let operations = schema["$defs"]?["step"]?["anyOf"]?.arrayValue?.compactMap { $0["properties"]?["operation"]?["const"]?.stringValue } ?? []
        #expect(operations.contains("searchCustomers") && operations.contains("sendEmail") && !operations.contains("bookFlight"))
        // Only what a grammar engine enforces: llama.cpp's converter rejects a schema that is only a description or
        // `false`, and would copy a rule a thousand times for maxItems.
        let text = schema.jsonText
        for keyword in ["\"description\":\"", "\"allOf\"", "\"maxItems\"", "\"maxLength\"", ":false}", "\"if\":{\"properties\""] {
            #expect(!text.contains(keyword), "\(keyword)")
        }
        #expect(schema["$defs"]?["step"]?["anyOf"]?.arrayValue?.last?["properties"]?["then"] != nil, "a property named like a keyword stays")
        // The published schema is untouched.
        #expect(AnswerLimitTests.prompts.schema["$defs"]?["step"]?["properties"]?["operation"]?["enum"] == nil)
    }

    @Test func aSystemPromptIsTheSameForEveryRequest() async throws {
        let model = ScriptedSchemaModel([Self.broken])
        let composer = Self.composer(model, rounds: 0)
        _ = await composer.compose(Self.signup)
        _ = await composer.compose("Book a flight and a hotel; if the hotel fails, cancel the flight.")
        let systems = model.requests.withLock { $0.map { $0.messages[0].content } }
        #expect(systems.count == 2 && systems[0] == systems[1])
    }

    @Test func repairRoundsSendTheProblemsAndTheAnswerNotTheExamples() async throws {
        let model = ScriptedSchemaModel([Self.broken, Self.broken.replacingOccurrences(of: "\"a\"", with: "\"b\"")])
        let composition = await Self.composer(model).compose(Self.signup)
        let requests = model.requests.withLock { $0 }
        #expect(requests.count == 3)
        let repair = try #require(requests.last)
        #expect(repair.messages.count == 2)
        #expect(repair.messages[1].content.contains("body.missing"))
        #expect(repair.messages[1].content.contains(Self.signup))
        #expect(!repair.messages[1].content.contains("Example."))
        #expect(ContextBudget.estimate(repair.messages) < ContextBudget.estimate(requests[0].messages))
        #expect(composition.record.outcome == .rejected)
    }

    /// A server that keeps the last prompt's state (llama.cpp's does) reads only what follows the longest shared start:
    /// each round of a request opens with the catalog, so only the rest of a repair round is read anew.
    @Test func everyRoundOfARequestBeginsWithTheSameCatalog() async throws {
        let wholeRepair = Self.broken.replacingOccurrences(of: "\"steps\"", with: "\"stepz\"")
        let model = ScriptedSchemaModel([Self.broken, Self.broken.replacingOccurrences(of: "\"a\"", with: "\"b\""), wholeRepair])
        _ = await Self.composer(model, rounds: 3).compose(Self.signup)
        let users = model.requests.withLock { $0.map { $0.messages[1].content } }
        #expect(users.count == 4)
        let listing = Retriever(catalog: Fixtures.catalog).ground(Self.signup).listing
        let opening = "Catalog: the operations that fit this request (params with ? are optional; body fields with * are required).\n" + listing
        for (round, user) in users.enumerated() {
            #expect(user.hasPrefix(opening), "round \(round + 1): \(user.prefix(200))")
        }
        #expect(Set(users).count == users.count, "each round asks something else after the catalog")
    }

    /// The same answer twice: the question is asked once more, sampled more freely; the same again ends the rounds.
    @Test func anAnswerRepeatedWordForWordIsAskedOnceMoreThenEndsTheRounds() async {
        let model = ScriptedSchemaModel([Self.broken])
        let composition = await Self.composer(model).compose(Self.signup)
        let requests = model.requests.withLock { $0 }
        #expect(requests.map(\.temperature) == [nil, nil, Composer.resampleTemperature])
        #expect(requests[2].messages == requests[1].messages, "the same question")
        #expect(composition.record.rounds.count == 3)
        #expect(composition.record.error?.contains("same answer") == true)
        // Another answer then goes on as any other.
        let fixed = Self.broken.replacingOccurrences(of: #""createCustomer"}"#, with: #""createCustomer", "body": {"name": "A", "email": "a@example.com"}}"#)
        let moved = ScriptedSchemaModel([Self.broken, Self.broken, fixed])
        let saved = await Self.composer(moved).compose(Self.signup)
        #expect(saved.record.outcome == .repairedByModel && saved.record.rounds.count == 3)
        // With no round left, the same answer twice ends the rounds at once.
        let once = ScriptedSchemaModel([Self.broken])
        let ended = await Self.composer(once, rounds: 1).compose(Self.signup)
        #expect(once.requests.withLock { $0.count } == 2 && ended.record.error?.contains("same answer") == true)
    }

    @Test func aRequestThatCannotFitIsNotSent() async {
        let model = ScriptedSchemaModel([Self.broken])
        let composition = await Self.composer(model, context: ContextBudget(contextTokens: 2_048, answerTokens: 4_096)).compose(Self.signup)
        #expect(model.requests.withLock { $0.isEmpty })
        #expect(composition.record.outcome == .rejected)
        #expect(composition.record.error?.contains("does not fit:") == true, "\(composition.record.error ?? "")")
        #expect(composition.record.error?.contains("> 2048 context tokens") == true)
    }

    @Test func theAnswerGetsWhatTheContextLeaves() async throws {
        let model = ScriptedSchemaModel([Self.broken, Self.broken + " "])
        _ = await Self.composer(model, context: ContextBudget(contextTokens: 8_192, answerTokens: 4_096)).compose(Self.signup)
        let requests = model.requests.withLock { $0 }
        for request in requests {
            let limit = try #require(request.maxTokens)
            #expect(limit <= 4_096 && ContextBudget.estimate(request.messages) * 3 / 4 + limit <= 8_192)
        }
    }

    @Test func examplesAreChosenForWhatTheRequestAsksFor() {
        let examples = AnswerLimitTests.prompts.examples
        #expect(examples.count >= 5)
        let loop = PromptExample.chosen(for: "For each order in the list, ship it, three at a time.", from: examples)
        #expect(loop.first?.workflow.jsonText.contains("\"foreach\"") == true)
        let approval = PromptExample.chosen(for: "Ask the manager to approve the refund and give them a day.", from: examples)
        #expect(approval.first?.workflow.jsonText.contains("\"approval\"") == true)
        #expect(approval.count <= 2)
    }

    /// Asked to post in #sales, the first example must post in a channel too, not email: a small model copies
    /// the first example's calls.
    @Test func theFirstExampleCallsWhatRetrievalRanksFirst() {
        let examples = AnswerLimitTests.prompts.examples
        let request = "Post a message to #sales whenever a new ERP order over 5000 euros comes in."
        let grounding = Retriever(catalog: Fixtures.catalog).ground(request)
        let chosen = PromptExample.chosen(for: request, from: examples, operations: grounding.operations)
        let first = chosen.first.map { Composer.calledOperations(in: $0.workflow) } ?? []
        #expect(first.contains("chat.postMessage"))
        #expect(!(PromptExample.chosen(for: request, from: examples).first.map { Composer.calledOperations(in: $0.workflow) } ?? [])
            .contains("chat.postMessage"), "without the operations, the words alone choose an example that emails")
    }

    @Test func everyBundledExampleIsAValidWorkflow() {
        let validator = WorkflowValidator(catalog: Fixtures.catalog)
        for example in AnswerLimitTests.prompts.examples {
            #expect(validator.validate(document: example.workflow).isValid, "\(example.request)")
        }
    }

    /// A small model copies the examples' references, so `${create_invoice.FIELD}` must name a field the
    /// operation returns.
    @Test func everyBundledExampleReadsOnlyFieldsItsCallsReturn() throws {
        let reference = try NSRegularExpression(pattern: #"\$\{([a-z_0-9]+)\.([A-Za-z]+)"#)
        for example in AnswerLimitTests.prompts.examples {
            var calls: [String: String] = [:]
            func collect(_ value: JSONValue) {
                if let id = value["id"]?.stringValue, value["kind"] == "call", let connector = value["connector"]?.stringValue,
                    let operation = value["operation"]?.stringValue
                {
                    calls[id] = Fixtures.catalog[connector]?.operation(operation)?.responseShape ?? ""
                }
                for child in value.objectValue?.map(\.value) ?? value.arrayValue ?? [] { collect(child) }
            }
            collect(example.workflow)
            let text = example.workflow.jsonText
            for match in reference.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let step = String(text[Range(match.range(at: 1), in: text)!]), field = String(text[Range(match.range(at: 2), in: text)!])
                guard let shape = calls[step] else { continue }
                #expect(shape.hasPrefix("{\(field):") || shape.contains(", \(field):"), "\(example.request): \(step).\(field) in \(shape)")
            }
        }
    }

    /// The model is not asked for a description: a draft without one gets the request (or, revised, the one it had).
    @Test func theRequestIsTheDescriptionOfADraftThatHasNone() async throws {
        let undescribed = #"{"format": 1, "name": "welcome", "trigger": {"type": "manual"}, "steps": [{"id": "mail", "kind": "call", "operation": "sendEmail", "connector": "email", "body": {"to": "a@example.com", "subject": "Hi", "text": "Welcome"}}]}"#
        let request = "  Email a@example.com a welcome message.\n"
        let composed = await Self.composer(ScriptedSchemaModel([undescribed])).compose(request)
        let document = try #require(composed.document)
        #expect(document["description"] == "Email a@example.com a welcome message.")
        #expect(document.objectValue?.keys.prefix(3) == ["format", "name", "description"], "after the name, as a person would write it")
        #expect(composed.definition?.description == "Email a@example.com a welcome message.")
        // One the model wrote stays; a revision keeps the description the workflow had.
        let described = undescribed.replacingOccurrences(of: #""name": "welcome","#, with: #""name": "welcome", "description": "Mine","#)
        #expect(await Self.composer(ScriptedSchemaModel([described])).compose(request).document?["description"] == "Mine")
        let revised = await Self.composer(ScriptedSchemaModel([undescribed])).revise(document, instruction: "Say hello instead.")
        #expect(revised.document?["description"] == "Email a@example.com a welcome message.")
    }

    @Test func anExampleAnswerWritesTheStepsLastAsTheSchemaSentDoes() throws {
        let (schema, _) = RequestSchemaTests.schema()
        let order = schema["properties"]?.objectValue?.keys ?? []
        #expect(order.last == "steps" && schema["required"]?.arrayValue?.contains("steps") == false, "\(order)")
        // The composer writes the description: neither the schema nor an example asks the model for one.
        #expect(!order.contains("description") && schema["required"]?.arrayValue?.contains("description") == false)
        for example in AnswerLimitTests.prompts.examples {
            let answer = try JSONParser.parse(example.answerText)
            #expect(answer.objectValue?.keys.last == "steps", "\(example.request)")
            #expect(answer["description"] == nil && example.workflow["description"] != nil)
            #expect(answer.objectValue?.count == (example.workflow.objectValue?.count ?? 0) - 1)
            for (key, value) in example.workflow.objectValue ?? JSONObject() where key != "description" { #expect(answer[key] == value) }
        }
        // An example written in another order is shown in the schema's: steps last, a call's operation first.
        let reversed = try JSONParser.parse(
            #"{"steps": [{"connector": "crm", "operation": "getCustomer", "kind": "call", "id": "get"}], "onError": {"action": "abort"}, "format": 1}"#)
        #expect(PromptExample(request: "r", workflow: reversed).answerText
            == #"{"format":1,"onError":{"action":"abort"},"steps":[{"id":"get","kind":"call","operation":"getCustomer","connector":"crm"}]}"#)
    }
}
