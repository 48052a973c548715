import Foundation
import Testing

@testable import WorkflowComposer

/// Telling an answer that has fallen into a loop from a long document that repeats a shape on purpose.
@Suite struct RepetitionTests {
    static let head = #"{"format":1,"name":"reminders","trigger":{"type":"manual"},"inputs":[],"steps":["#

    @Test func theSameStepAgainAndAgainIsALoopFromItsSecondCopy() throws {
        let step = #"{"id":"send_sms","kind":"call","connector":"sms","operation":"sendSms","body":{"to":"${input.phone}","text":"Your appointment is tomorrow."}},"#
        let text = Self.head + String(repeating: step, count: 20)
        let start = try #require(Repetition.loopStart(in: text))
        #expect(String(decoding: text.utf8.prefix(start), as: UTF8.self) == Self.head + step)
    }

    @Test func theSameStepWithTheNextNumberEachTimeIsALoopToo() throws {
        let steps = (1...40).map { #"{"id":"remind_\#($0)","kind":"wait","for":"timer","duration":"\#($0)d"},"# }
        let start = try #require(Repetition.loopStart(in: Self.head + steps.joined()))
        #expect(start == Self.head.utf8.count + steps[0].utf8.count)
    }

    @Test func aPhraseRepeatedInsideAMessageIsALoop() {
        let text = Self.head + #"{"id":"notify","kind":"call","connector":"chat","operation":"postMessage","body":{"text":""#
            + String(repeating: "Please approve the order. ", count: 60)
        #expect(Repetition.loopStart(in: text) != nil)
    }

    @Test func aLongDocumentOfDifferentStepsIsNoLoop() {
        let operations = ["searchCustomers", "createInvoice", "chargeCard", "sendEmail", "postMessage", "reserveStock", "createShipment", "sendSms"]
        let steps = operations.enumerated().map { index, operation in
            #"{"id":"step_\#(index)_\#(operation.lowercased())","kind":"call","connector":"c\#(index)","operation":"\#(operation)","#
                + #""retry":{"maxAttempts":3,"backoff":"exponential","initialDelay":"2s"},"body":{"id":"${input.id}","note":"\#(operation) done"}},"#
        }
        let text = Self.head + steps.joined() + steps.joined().replacingOccurrences(of: "step_", with: "again_")
        #expect(text.utf8.count > Repetition.minimumRun)
        #expect(Repetition.loopStart(in: text) == nil)
    }

    @Test func aShortRepeatIsNoLoopYet() {
        #expect(Repetition.loopStart(in: Self.head + String(repeating: "ab", count: 100)) == nil)
    }
}
