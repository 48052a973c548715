import BatonTestSupport
import Foundation
import NIOHTTP1
import Testing
import WorkflowEngine
import WorkflowModel
import WorkflowRepository
import WorkflowService

/// The web pages over real HTTP: sign-in, the session cookie, form tokens, escaping, the security headers, and the
/// forms that change things (activate, archive, approve).
@Suite struct PageRouteTests {
    @Test func aPageWithoutASessionSendsTheBrowserToSignInWhichTradesTheTokenForAStrictCookie() async throws {
        let harness = try await ServerHarness.start()
        defer { Task { await harness.stop() } }

        let away = try await harness.page(.GET, "/workflows?state=active")
        #expect(away.status == 303)
        #expect(away.headers["Location"].first == "/sign-in?next=%2Fworkflows%3Fstate%3Dactive")

        let wrong = try await harness.page(.POST, "/sign-in", form: [("token", "baton_forged"), ("next", "/workflows")])
        #expect(wrong.status == 401)
        #expect(wrong.headers["Set-Cookie"].isEmpty)
        #expect(wrong.body.contains("unknown or revoked"))

        let signIn = try await harness.page(.POST, "/sign-in", form: [("token", harness.token), ("next", "/workflows?state=active")])
        #expect(signIn.status == 303)
        #expect(signIn.headers["Location"].first == "/workflows?state=active")
        let cookie = try #require(signIn.headers["Set-Cookie"].first)
        #expect(cookie.hasPrefix("baton_session=\(harness.token);"))
        for attribute in ["HttpOnly", "SameSite=Strict", "Path=/"] { #expect(cookie.contains(attribute), "\(cookie)") }
        #expect(!cookie.contains("Secure"), "plain HTTP on loopback")
        let behindTLS = try await harness.page(.POST, "/sign-in", form: [("token", harness.token)], headers: ["X-Forwarded-Proto": "https"])
        #expect(behindTLS.headers["Set-Cookie"].first?.contains("; Secure") == true)

        // A sign-in form posted from another site is refused.
        let crossSite = try await harness.page(
            .POST, "/sign-in", form: [("token", harness.token)], headers: ["Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"])
        #expect(crossSite.status == 403)
        #expect(crossSite.headers["Set-Cookie"].isEmpty)
        let sameSite = try await harness.page(
            .POST, "/sign-in", form: [("token", harness.token)], headers: ["Origin": harness.base, "Sec-Fetch-Site": "same-origin"])
        #expect(sameSite.status == 303)

        // Another site is never where sign-in leads.
        let offsite = try await harness.page(.POST, "/sign-in", form: [("token", harness.token), ("next", "//evil.example/")])
        #expect(offsite.headers["Location"].first == "/workflows")

        let page = try await harness.page(.GET, "/workflows", cookie: harness.token)
        #expect(page.status == 200)
        #expect(page.headers["Content-Type"].first == "text/html; charset=utf-8")
        let policy = try #require(page.headers["Content-Security-Policy"].first)
        #expect(policy.contains("script-src 'self'") && policy.contains("frame-ancestors 'none'") && !policy.contains("unsafe-inline"))
        #expect(page.headers["X-Content-Type-Options"].first == "nosniff")
        #expect(!page.body.contains(harness.token), "the API token is never on a page")

        // Scripts may send the token as a header instead.
        let script = try await harness.page(.GET, "/workflows", headers: ["Authorization": "Bearer \(harness.token)"])
        #expect(script.status == 200)
        let revoked = try await harness.service.repository.revokeToken(name: "tests")
        #expect(revoked.name == "tests")
        #expect(try await harness.page(.GET, "/workflows", cookie: harness.token).status == 303, "a revoked token ends the session")
    }

    @Test func aFormPostedWithoutItsTokenIsRefusedAndChangesNothing() async throws {
        let harness = try await ServerHarness.start()
        defer { Task { await harness.stop() } }
        let draft = try await saveDraft("customer-onboarding.json", in: harness)

        let page = try await harness.page(.GET, "/workflows/\(draft.id)", cookie: harness.token)
        let formToken = try #require(ServerHarness.formToken(in: page.body))
        #expect(page.body.contains("Activate version 1"))
        #expect(page.body.contains("<h1>\(draft.name)</h1>"))

        let missing = try await harness.page(.POST, "/workflows/\(draft.id)/activate", cookie: harness.token, form: [("version", "1")])
        #expect(missing.status == 403)
        #expect(missing.body.contains("form token"))
        let forged = try await harness.page(
            .POST, "/workflows/\(draft.id)/activate", cookie: harness.token, form: [("csrf", String(repeating: "0", count: 64)), ("version", "1")])
        #expect(forged.status == 403)
        #expect(try await harness.service.repository.workflow(id: draft.id).state == .draft)

        let activated = try await harness.page(.POST, "/workflows/\(draft.id)/activate", cookie: harness.token, form: [("csrf", formToken), ("version", "1")])
        #expect(activated.status == 303)
        #expect(activated.headers["Location"].first == "/workflows/\(draft.id)?done=activated")
        #expect(try await harness.service.repository.workflow(id: draft.id).state == .active)
        let after = try await harness.page(.GET, "/workflows/\(draft.id)?done=activated", cookie: harness.token)
        #expect(after.body.contains(#"<span class="badge state-active">active</span>"#))
        #expect(after.body.contains("Activated."))
        for action in ["pause", "archive"] { #expect(after.body.contains(#"action="/workflows/\#(draft.id)/\#(action)""#), "\(action)") }

        // Archiving is permanent, so the form must say the person understands.
        let unconfirmed = try await harness.page(.POST, "/workflows/\(draft.id)/archive", cookie: harness.token, form: [("csrf", formToken)])
        #expect(unconfirmed.status == 400)
        #expect(try await harness.service.repository.workflow(id: draft.id).state == .active)
        let archived = try await harness.page(
            .POST, "/workflows/\(draft.id)/archive", cookie: harness.token, form: [("csrf", formToken), ("confirm", "yes")])
        #expect(archived.status == 303)
        #expect(try await harness.service.repository.workflow(id: draft.id).state == .archived)
    }

    @Test func markupWrittenIntoAWorkflowIsShownAsText() async throws {
        let harness = try await ServerHarness.start()
        defer { Task { await harness.stop() } }
        let document = """
            {"format": 1, "name": "markup", "description": "<script>alert(1)</script>", "trigger": {"type": "manual"}, "steps": [
              {"id": "a", "name": "<img src=x onerror=alert(2)>", "kind": "transform", "output": {"note": "</pre><script>alert(3)</script>"}}]}
            """
        let workflow = try #require(WorkflowValidator(catalog: harness.service.catalog).validate(json: document).validated)
        let saved = try await harness.service.save(workflow, source: .imported).summary
        for path in ["/workflows", "/workflows/\(saved.id)"] {
            let page = try await harness.page(.GET, path, cookie: harness.token)
            #expect(page.status == 200)
            #expect(!page.body.contains("<script>alert"), "\(path)")
            #expect(!page.body.contains("<img src=x"), "\(path)")
            #expect(page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "\(path)")
        }
    }

    @Test func theApproveButtonResumesAWaitingRunWithoutShowingItsToken() async throws {
        let harness = try await ServerHarness.start()
        defer { Task { await harness.stop() } }
        let summary = try await harness.activate("purchase-approval.json")
        let live = try await harness.service.live(String(summary.id))
        let input = try #require(try JSONParser.parse(#"{"requester": "bo@example.com", "item": "laptop", "amount": 2000}"#).objectValue)
        let (started, _) = try await harness.service.start(live, input: input)
        let waiting = try await harness.service.awaitOutcome(of: started.id, timeout: .seconds(20))
        #expect(waiting.status == .waiting)
        let wait = try #require(try await harness.service.repository.runJournal().waits(of: waiting.id).first)

        let page = try await harness.page(.GET, "/runs/\(waiting.id)", cookie: harness.token)
        #expect(page.body.contains(">Approve</button>"))
        #expect(page.body.contains(#"<svg class="timeline""#))
        #expect(!page.body.contains(wait.token), "the wait's token stays off the page")
        let formToken = try #require(ServerHarness.formToken(in: page.body))

        let approved = try await harness.page(
            .POST, "/runs/\(waiting.id)/approval", cookie: harness.token,
            form: [("csrf", formToken), ("wait", wait.key), ("decision", "approve"), ("comment", "fine by me")])
        #expect(approved.status == 303)
        #expect(approved.headers["Location"].first == "/runs/\(waiting.id)?done=approved")
        let finished = try await harness.service.awaitOutcome(of: waiting.id, timeout: .seconds(20))
        #expect(finished.status == .completed)
        let resolved = try #require(try await harness.service.repository.runJournal().waits(of: waiting.id).first?.resolution)
        #expect(resolved.approved && resolved.data == .object(JSONObject([("comment", .string("fine by me"))])))

        let again = try await harness.page(
            .POST, "/runs/\(waiting.id)/approval", cookie: harness.token, form: [("csrf", formToken), ("wait", wait.key), ("decision", "reject")])
        #expect(again.status == 409, "a wait is answered once")
        let done = try await harness.page(.GET, "/runs/\(waiting.id)", cookie: harness.token)
        #expect(done.body.contains(#"<span class="badge status-completed">completed</span>"#))
        #expect(!done.body.contains(">Approve</button>"))
    }

    @Test func aRunStartsFromTheLiveVersionsPageAndBadInputIsNamed() async throws {
        let harness = try await ServerHarness.start()
        defer { Task { await harness.stop() } }
        let summary = try await harness.activate("purchase-approval.json")
        let page = try await harness.page(.GET, "/workflows/\(summary.id)", cookie: harness.token)
        #expect(page.body.contains(#"<form method="post" action="/workflows/\#(summary.id)/runs""#))
        #expect(page.body.contains("&quot;autoApproveLimit&quot;: 500"), "the form starts with the inputs' defaults")
        let formToken = try #require(ServerHarness.formToken(in: page.body))
        let path = "/workflows/\(summary.id)/runs"

        let notJSON = try await harness.page(.POST, path, cookie: harness.token, form: [("csrf", formToken), ("input", "{amount: 5")])
        #expect(notJSON.status == 400)
        #expect(notJSON.body.contains("The input is not JSON"))
        let missing = try await harness.page(.POST, path, cookie: harness.token, form: [("csrf", formToken), ("input", #"{"item": "pen"}"#)])
        #expect(missing.status == 422)
        #expect(missing.body.contains("requester"), "\(missing.body)")
        #expect(try await harness.service.runs().isEmpty, "nothing started")

        let started = try await harness.page(
            .POST, path, cookie: harness.token, form: [("csrf", formToken), ("input", #"{"requester": "a@example.com", "item": "pen", "amount": 3}"#)])
        #expect(started.status == 303)
        let location = try #require(started.headers["Location"].first)
        let runID = String(location.dropFirst("/runs/".count).prefix { $0 != "?" })
        let run = try await harness.service.awaitOutcome(of: runID, timeout: .seconds(20))
        #expect(run.status == .completed, "a small amount is approved automatically")
    }

    @Test func everyPageAnswersAndUnknownThingsArePagesToo() async throws {
        let harness = try await ServerHarness.start()
        defer { Task { await harness.stop() } }
        let summary = try await harness.activate("travel-booking-saga.json")
        for path in ["/", "/workflows", "/workflows?state=draft", "/workflows/\(summary.id)", "/runs", "/runs?status=failed", "/dead-letters", "/compose"] {
            let page = try await harness.page(.GET, path, cookie: harness.token)
            #expect(page.status == (path == "/" ? 303 : 200), "\(path): \(page.body.prefix(300))")
        }
        let missing = try await harness.page(.GET, "/workflows/999", cookie: harness.token)
        #expect(missing.status == 404)
        #expect(missing.headers["Content-Type"].first == "text/html; charset=utf-8")
        #expect(missing.body.contains("no workflow has the id or name"))
        let style = try await harness.page(.GET, "/static/baton.css")
        #expect(style.status == 200 && style.headers["Content-Type"].first == "text/css; charset=utf-8")
        #expect(try await harness.page(.GET, "/static/..%2FPackage.swift").status == 404)
        let compose = try await harness.page(.GET, "/compose", cookie: harness.token)
        #expect(compose.body.contains("no language model configured"))
    }

    private func saveDraft(_ fixture: String, in harness: ServerHarness) async throws -> WorkflowSummary {
        let text = String(decoding: Fixtures.bytes(Fixtures.validDefinitions, fixture), as: UTF8.self)
        let workflow = try #require(WorkflowValidator(catalog: harness.service.catalog).validate(json: text).validated)
        return try await harness.service.save(workflow, source: .imported).summary
    }
}
