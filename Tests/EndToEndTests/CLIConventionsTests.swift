import Foundation
import Testing

/// The rough edges a new user meets: times, search input, revision names, messages.
@Suite("End to end: CLI conventions")
struct CLIConventionsTests {
    @Test("a time with an offset is stored in UTC, and sorts by the moment it names")
    func timeZones() throws {
        let pm = try PMCMSRun()
        defer { pm.cleanup() }
        #expect(try pm.run(["new", "--kind", "question", "--title", "Early?", "--set", "edited_at=2026-12-01T01:00:00+05:00"]).status == 0)
        #expect(try pm.run(["new", "--kind", "question", "--title", "Late?", "--set", "edited_at=2026-11-30T21:00:00Z"]).status == 0)
        #expect(try pm.run(["new", "--kind", "question", "--title", "Day?", "--set", "edited_at=2026-11-29"]).status == 0)
        #expect(try pm.run(["edit", "3", "--set", "edited_at=2026-11-29T23:30:00-01:00"]).status == 0)
        let early = try pm.run(["show", "early", "--json"]).object()
        #expect(early["edited_at"] as? String == "2026-11-30T20:00:00Z")
        #expect(try pm.run(["show", "late", "--json"]).object()["edited_at"] as? String == "2026-11-30T21:00:00Z")
        #expect(try pm.run(["show", "day", "--json"]).object()["edited_at"] as? String == "2026-11-30T00:30:00Z")
        #expect(try pm.run(["edit", "3", "--set", "edited_at=2026-11-28"]).status == 0)
        #expect(try pm.run(["show", "day", "--json"]).object()["edited_at"] as? String == "2026-11-28")
        let sorted = try pm.run(["list", "--sort", "edited", "--json"]).json() as? [[String: Any]] ?? []
        #expect(sorted.compactMap { $0["slug"] as? String } == ["late", "early", "day"])
    }
}
