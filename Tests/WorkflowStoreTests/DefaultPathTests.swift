import Testing
import WorkflowRepository
import WorkflowStore

@Suite struct DefaultPathTests {
    static let cases: [([String: String], String)] = [
        (["BATON_DB": "/srv/baton/db.sqlite", "XDG_DATA_HOME": "/xdg", "HOME": "/home/ada"], "/srv/baton/db.sqlite"),
        (["BATON_DB": "relative.sqlite"], "relative.sqlite"),
        (["XDG_DATA_HOME": "/xdg/data", "HOME": "/home/ada"], "/xdg/data/baton/baton.sqlite"),
        (["BATON_DB": "", "XDG_DATA_HOME": "/xdg/data/", "HOME": "/home/ada"], "/xdg/data/baton/baton.sqlite"),
        (["XDG_DATA_HOME": "not/absolute", "HOME": "/home/ada"], "/home/ada/.local/share/baton/baton.sqlite"),
        (["HOME": "/home/ada"], "/home/ada/.local/share/baton/baton.sqlite"),
    ]

    @Test(arguments: cases)
    func defaultPath(environment: [String: String], expected: String) {
        #expect(WorkflowStore.defaultPath(environment: environment) == expected)
    }
}
