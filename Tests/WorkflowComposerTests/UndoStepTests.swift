import BatonTestSupport
import Testing
import WorkflowModel

@testable import WorkflowComposer

/// A request that says to undo what was done when something fails gets the undo steps the catalog names, reading
/// what each call returned; nothing is added that the request does not say or the catalog cannot settle.
@Suite struct UndoStepTests {
    static func check(_ steps: [String], request: String) -> Composer.Attempt {
        Composer.check(
            #"{"format": 1, "name": "t", "inputs": [{"name": "traveler", "required": true}], "steps": [\#(steps.joined(separator: ", "))]}"#,
            validator: WorkflowValidator(catalog: Fixtures.catalog), request: request)
    }

    static func book(_ what: String, _ body: String) -> String {
        #"{"id": "book_\#(what.lowercased())", "kind": "call", "connector": "travel", "operation": "book\#(what)", "body": {"traveler": "${input.traveler}", \#(body)}}"#
    }

    static let flight = book("Flight", #""from": "BER", "to": "LIS", "date": "2026-12-24""#)
    static let hotel = book("Hotel", #""city": "Lisbon", "checkIn": "2026-12-24", "nights": 3"#)
    static let charge = #"{"id": "charge", "kind": "call", "connector": "payments", "operation": "createCharge", "body": {"amount": 100, "currency": "EUR", "customerId": "${input.traveler}"}}"#

    @Test func eachBookingTheRequestSaysToCancelGetsItsCancellation() throws {
        let attempt = Self.check(
            [Self.flight, Self.hotel], request: "Book a flight and a hotel for a traveler; if any booking fails, cancel the ones already made.")
        let document = try #require(attempt.workflow?.document, "\(attempt.diagnostics)")
        #expect(JSONPointer.resolve("/steps/0/compensate/operation", in: document) == "cancelFlight")
        #expect(JSONPointer.resolve("/steps/0/compensate/params/bookingId", in: document) == "${book_flight.bookingId}")
        #expect(JSONPointer.resolve("/steps/1/compensate/operation", in: document) == "cancelHotel")
        #expect(JSONPointer.resolve("/steps/1/compensate/id", in: document) == "undo_book_hotel")
        #expect(attempt.repairs.contains { $0.hasPrefix("/steps/0: the request says to undo it") && $0.contains("travel.cancelFlight") })
    }

    @Test func onlyAnUndoTheRequestSaysIsAdded() throws {
        // "cancel" names the cancellations; nothing says to refund the charge.
        let attempt = Self.check(
            [Self.flight, Self.charge],
            request: "Book a flight and charge the traveller's account; if the charge fails, cancel the flight.")
        let document = try #require(attempt.workflow?.document, "\(attempt.diagnostics)")
        #expect(JSONPointer.resolve("/steps/0/compensate/operation", in: document) == "cancelFlight")
        #expect(JSONPointer.resolve("/steps/1/compensate", in: document) == nil)
        // "undo" is every undo the catalog has.
        let undone = try #require(Self.check(
            [Self.flight, Self.charge], request: "Book a flight and charge the traveller's account; if anything fails, undo what was done."
        ).workflow?.document)
        #expect(JSONPointer.resolve("/steps/1/compensate/operation", in: undone) == "refundCharge")
        #expect(JSONPointer.resolve("/steps/1/compensate/params/chargeId", in: undone) == "${charge.chargeId}")
    }

    @Test func nothingIsAddedUnlessTheRequestSaysToUndoOnFailure() throws {
        let attempt = Self.check([Self.flight, Self.hotel], request: "Book a flight and a hotel for a traveler, then cancel the old hotel.")
        let document = try #require(attempt.workflow?.document, "\(attempt.diagnostics)")
        #expect(!document.jsonText.contains("compensate"))
        #expect(attempt.repairs.isEmpty)
    }

    @Test func aCompensationTheDraftHasIsKeptAndAnUndoOfWhatWasGivenIsNotAdded() throws {
        let own = #"{"id": "book_flight", "kind": "call", "connector": "travel", "operation": "bookFlight", "body": {"traveler": "${input.traveler}", "from": "BER", "to": "LIS", "date": "2026-12-24"}, "compensate": {"id": "drop_flight", "kind": "call", "connector": "travel", "operation": "cancelFlight", "params": {"bookingId": "${book_flight.bookingId}"}}}"#
        // An upsert names its vehicle: deleting it would also delete one that was there before.
        let upsert = #"{"id": "store", "kind": "call", "connector": "inventory", "operation": "upsertVehicle", "params": {"vin": "1HGCM82633A004352"}, "body": {"make": "Honda", "model": "Accord", "year": 2003}}"#
        let attempt = Self.check([own, upsert], request: "Book a flight and store the car; if anything fails, undo what was done.")
        let document = try #require(attempt.workflow?.document, "\(attempt.diagnostics)")
        #expect(JSONPointer.resolve("/steps/0/compensate/id", in: document) == "drop_flight")
        #expect(JSONPointer.resolve("/steps/1/compensate", in: document) == nil)
    }

    @Test func aReservationIsReleasedByTheIdItsAnswerGives() throws {
        let reserve = #"{"id": "hold", "kind": "call", "connector": "inventory", "operation": "reserveVehicle", "params": {"vin": "1HGCM82633A004352"}, "body": {"customerId": "c1"}}"#
        let note = #"{"id": "note", "kind": "call", "connector": "crm", "operation": "addNote", "params": {"customerId": "c1"}, "body": {"text": "Reserved"}}"#
        let attempt = Self.check([reserve, note], request: "Reserve the vehicle and add a note to the CRM; if the note fails, release the reservation.")
        let document = try #require(attempt.workflow?.document, "\(attempt.diagnostics)")
        #expect(JSONPointer.resolve("/steps/0/compensate/operation", in: document) == "releaseReservation")
        #expect(JSONPointer.resolve("/steps/0/compensate/params/reservationId", in: document) == "${hold.reservationId}")
    }
}
