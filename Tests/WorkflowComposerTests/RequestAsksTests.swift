import Testing

@testable import WorkflowComposer

/// The checklist said back to the model: what a request plainly asks for, and nothing it does not.
@Suite struct RequestAsksTests {
    @Test(arguments: [
        ("Raise a purchase request; if it costs more than 1000, wait up to 3 days for a manager to approve it.",
         ["a condition step", "a wait step for approval with a \"timeout\""]),
        ("Every Monday at 9am, post the week's new customers to the sales channel.", ["a schedule trigger"]),
        ("For each overdue invoice, email the customer, 5 at a time.", ["a foreach step over the list, with \"concurrency\""]),
        ("Charge the card, retrying up to 3 times, and if anything fails undo the booking.",
         ["a \"retry\" policy", "\"compensate\" steps"]),
        ("Route incidents by severity: page on-call for sev1, post to chat otherwise.", ["a switch step"]),
        ("When a lead comes in through the website webhook, add them to the CRM.", ["a webhook trigger"]),
        ("Send a getting-started email 30 minutes later.", ["a wait step for a timer"]),
        ("Check stock and credit in parallel, then create the order.", ["a parallel step"]),
    ])
    func aRequestsPlainAsksAreListed(request: String, expected: [String]) {
        let asks = RequestAsks.checklist(for: request)
        #expect(asks.count == expected.count, "\(asks)")
        for (ask, start) in zip(asks, expected) { #expect(ask.hasPrefix(start), "\(asks)") }
    }

    @Test(arguments: [
        "When a customer signs up, create them in the CRM and email them a confirmation.",
        "Create an ERP order for a customer and add a note to their CRM record with the new order number.",
        "When a payment is refunded, add a note to the customer's CRM record.",
    ])
    func nothingIsAskedThatTheRequestDoesNotSay(request: String) {
        #expect(RequestAsks.checklist(for: request).isEmpty, "\(RequestAsks.checklist(for: request))")
        #expect(RequestAsks.text(for: request).isEmpty)
    }

    @Test func theChecklistComesBeforeTheRequestWhichStaysLast() {
        let text = RequestAsks.text(for: "Retry the charge up to 5 times.")
        #expect(text.hasPrefix("The request below asks for: a \"retry\" policy on the step that may fail."))
    }
}
