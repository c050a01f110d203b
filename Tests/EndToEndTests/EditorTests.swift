import Foundation
import Testing
import TestSupport

@Suite("End to end: pmcms edit in the editor")
struct EditorTests {
    /// A store with one published question at r4.
    func publishedQuestion() throws -> PMCMSRun {
        let pm = try PMCMSRun()
        #expect(try pm.run(["new", "--kind", "question", "--title", "What is a PMO?", "--body-file", "-"], input: "First line.\n\nSecond line.").status == 0)
        for step in ["submit", "approve", "publish"] { #expect(try pm.run([step, "1"]).status == 0) }
        return pm
    }

    func revisionCount(_ pm: PMCMSRun) throws -> Int {
        Int(try pm.query("SELECT COUNT(*) FROM revision;").stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    @Test("an editor that changes the body makes one draft revision; the published one stays live")
    func editsOnce() throws {
        let pm = try publishedQuestion()
        defer { pm.cleanup() }
        let editor = try pm.script("edit.sh", "sed -i 's/^Second line.$/Second line, edited./' \"$1\"\n")
        let result = try pm.run(["edit", "1", "-m", "tighten"], env: ["EDITOR": editor])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try revisionCount(pm) == 5)
        let shown = try pm.run(["show", "1", "--json"]).object()
        #expect(shown["body"] as? String == "First line.\n\nSecond line, edited.")
        #expect(shown["status"] as? String == "draft")
        #expect(shown["live_revision"] as? Int == 4)
        #expect(try pm.run(["show", "1"]).stdout.contains("live: r4 · latest: r5 (draft)"))
        #expect(try pm.query("SELECT message FROM revision WHERE number = 5;").stdout == "tighten\n")
    }

    @Test("$VISUAL wins over $EDITOR, and the command runs through the shell")
    func visualAndShell() throws {
        let pm = try publishedQuestion()
        defer { pm.cleanup() }
        let editor = try pm.script("never.sh", "exit 7\n")
        let swapped = try pm.script("swap.sh", "sed -i 's/^title: .*/title: What does a PMO do?/' \"$1\"\n")
        let result = try pm.run(["edit", "1"], env: ["VISUAL": "\(swapped)", "EDITOR": editor])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try pm.run(["show", "1", "--json"]).object()["title"] as? String == "What does a PMO do?")
        // An editor command with its own arguments, as `code --wait` has.
        let withArgs = try pm.script("args.sh", "[ \"$1\" = --wait ] || exit 9\nsed -i 's/^title: .*/title: What is a PMO for?/' \"$2\"\n")
        let second = try pm.run(["edit", "1"], env: ["EDITOR": "\(withArgs) --wait"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(try pm.run(["show", "1", "--json"]).object()["title"] as? String == "What is a PMO for?")
    }

    @Test("invalid front matter reopens the editor with the error; fixing it gives one revision")
    func invalidThenFixed() throws {
        let pm = try publishedQuestion()
        defer { pm.cleanup() }
        let editor = try pm.script("fix.sh", """
            if [ ! -f "$0.ran" ]; then
                touch "$0.ran"
                sed -i 's/^title: .*/title: [unclosed/' "$1"
                sed -i 's/^Second line.$/My careful new text./' "$1"
            else
                grep -q '^# ERROR:' "$1" || exit 5
                grep -q '^My careful new text.$' "$1" || exit 6
                sed -i 's/^title: .*/title: What is a PMO, really?/' "$1"
            fi

            """)
        let result = try pm.run(["edit", "1"], env: ["EDITOR": editor])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.components(separatedBy: "reopening the editor").count - 1 == 1)
        #expect(result.stderr.contains("not valid YAML"))
        #expect(try revisionCount(pm) == 5)
        let shown = try pm.run(["show", "1", "--json"]).object()
        #expect(shown["title"] as? String == "What is a PMO, really?")
        #expect((shown["body"] as? String)?.contains("My careful new text.") == true)
    }

    @Test("unknown keys and bad dates are errors too, and an unchanged retry aborts with the text kept")
    func validationErrors() throws {
        let pm = try publishedQuestion()
        defer { pm.cleanup() }
        // The first pass types a body line and a bad date; the second saves unchanged. Each
        // pass keeps a copy of the file as the editor left it: what the user typed.
        let editor = try pm.script("bad.sh", """
            if [ ! -f "$0.ran" ]; then
                touch "$0.ran"
                sed -i 's/^edited_at: .*/edited_at: last tuesday/' "$1"
                sed -i 's/^Second line.$/Typed words that must survive./' "$1"
            fi
            cp "$1" "$0.typed"

            """)
        let result = try pm.run(["edit", "1"], env: ["EDITOR": editor])
        #expect(result.status == 1)
        #expect(result.stderr.contains("edited_at"))
        // Beside the store (a file), else in the state folder (PostgreSQL).
        #expect(result.stderr.contains(pm.isPostgres ? "/state/pmcms/recovery/" : ".pmcms-recovery/"), "\(result.stderr)")
        #expect(try revisionCount(pm) == 4)
        // The recovery file holds exactly the text as last saved in the editor.
        let path = try #require(result.stderr.components(separatedBy: " ").first { $0.contains("recovery/") }?
            .trimmingCharacters(in: CharacterSet(charactersIn: ";\n`")))
        let recovered = try String(contentsOfFile: path, encoding: .utf8)
        let typed = try String(contentsOfFile: editor + ".typed", encoding: .utf8)
        #expect(recovered == typed)
        #expect(recovered.contains("Typed words that must survive.") && recovered.contains("edited_at: last tuesday"))
        let unknown = try pm.script("unknown.sh", "sed -i 's/^summary:.*/colour: red/' \"$1\"\n")
        let second = try pm.run(["edit", "1"], env: ["EDITOR": unknown])
        #expect(second.stderr.contains("unknown key 'colour'"))
        #expect(try revisionCount(pm) == 4)
    }

    @Test("an editor exiting non-zero writes nothing and keeps the text in a recovery file; --recover resumes")
    func editorFails() throws {
        let pm = try publishedQuestion()
        defer { pm.cleanup() }
        let failing = try pm.script("fail.sh", "sed -i 's/^Second line.$/Words I must not lose./' \"$1\"\nexit 1\n")
        let result = try pm.run(["edit", "1"], env: ["EDITOR": failing])
        #expect(result.status == 1)
        #expect(try revisionCount(pm) == 4)
        let path = try #require(result.stderr.components(separatedBy: " ").first { $0.contains("recovery/") }?
            .trimmingCharacters(in: CharacterSet(charactersIn: ";\n`")))
        let kept = try String(contentsOfFile: path, encoding: .utf8)
        #expect(kept.contains("Words I must not lose."))

        let accept = try pm.script("accept.sh", "exit 0\n")
        let resumed = try pm.run(["edit", "1", "--recover", path], env: ["EDITOR": accept])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try revisionCount(pm) == 5)
        #expect((try pm.run(["show", "1", "--json"]).object()["body"] as? String)?.contains("Words I must not lose.") == true)
    }

    @Test("saving unchanged or emptying the file aborts: exit 1, \"aborted\", nothing written")
    func noChange() throws {
        let pm = try publishedQuestion()
        defer { pm.cleanup() }
        let unchanged = try pm.script("same.sh", "exit 0\n")
        let same = try pm.run(["edit", "1"], env: ["EDITOR": unchanged])
        #expect(same.status == 1)
        #expect(same.stderr.contains("pmcms: error: aborted"))
        let emptier = try pm.script("empty.sh", ": > \"$1\"\n")
        let emptied = try pm.run(["edit", "1"], env: ["EDITOR": emptier])
        #expect(emptied.status == 1)
        #expect(emptied.stderr.contains("aborted"))
        #expect(try pm.run(["new", "--kind", "question", "--edit"], env: ["EDITOR": unchanged]).status == 1)
        #expect(try revisionCount(pm) == 4)
    }

    @Test("the message line gives the revision its message; -m fills it in")
    func messageLine() throws {
        let pm = try publishedQuestion()
        defer { pm.cleanup() }
        let typing = try pm.script("msg.sh", "sed -i 's/^# message:.*/# message: reword the answer/; s/^Second line.$/Second, reworded./' \"$1\"\n")
        #expect(try pm.run(["edit", "1"], env: ["EDITOR": typing]).status == 0)
        #expect(try pm.query("SELECT message FROM revision WHERE number = 5;").stdout == "reword the answer\n")
        let keeping = try pm.script("keep.sh", "grep -q '^# message: from the flag$' \"$1\" || exit 5\nsed -i 's/^First line.$/First, reworded./' \"$1\"\n")
        let flagged = try pm.run(["edit", "1", "-m", "from the flag"], env: ["EDITOR": keeping])
        #expect(flagged.status == 0, "\(flagged.stderr)")
        #expect(try pm.query("SELECT message FROM revision WHERE number = 6;").stdout == "from the flag\n")
    }

    @Test("a YAML error's line number counts the lines of the file the editor shows")
    func yamlErrorLines() throws {
        let pm = try publishedQuestion()
        defer { pm.cleanup() }
        // First save: a bad summary line. Second and third: the file shown must have the line
        // the error names as its summary line (the third shows the error of the second).
        let editor = try pm.script("lines.sh", """
            n=$(cat "$0.n" 2>/dev/null || echo 0); echo $((n + 1)) > "$0.n"
            if [ "$n" = 0 ]; then sed -i 's/^summary:.*/summary: a: b/' "$1"; exit 0; fi
            line=$(sed -n 's/^# ERROR: the front matter is not valid YAML: line \\([0-9]*\\),.*/\\1/p' "$1")
            sed -n "${line}p" "$1" | grep -q '^summary: a: b' || exit 7
            if [ "$n" = 1 ]; then echo '# a line of mine' >> "$1"; exit 0; fi
            : > "$1"

            """)
        let result = try pm.run(["edit", "1"], env: ["EDITOR": editor])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("aborted"), "\(result.stderr)")
        #expect(result.stderr.components(separatedBy: "reopening the editor").count - 1 == 2)
    }

    @Test("two edits from the same revision: the second exits 3, its text is recoverable, nothing is lost")
    func staleEdit() throws {
        let pm = try publishedQuestion()
        defer { pm.cleanup() }
        // While this editor is open, someone else edits the entry with --set.
        let racing = try pm.script("race.sh", """
            sed -i 's/^Second line.$/Text from the slow editor./' "$1"
            "$PMCMS_BIN" edit 1 --set 'title=Changed meanwhile' -m 'fast edit' > /dev/null || exit 4

            """)
        let result = try pm.run(["edit", "1", "-m", "slow edit"], env: ["EDITOR": racing, "PMCMS_BIN": PMCMSRun.executable.path])
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains("pmcms diff what-is-a-pmo 4 5"))
        #expect(try revisionCount(pm) == 5)
        #expect(try pm.run(["show", "1", "--json"]).object()["title"] as? String == "Changed meanwhile")
        let path = try #require(result.stderr.split(separator: "\n").first { $0.contains("your text:") }?
            .components(separatedBy: "your text:").last?.trimmingCharacters(in: .whitespaces))
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains("Text from the slow editor."))
        let editedBefore = try pm.query("SELECT edited_at FROM revision WHERE number = 5;").stdout
        // Retrying from the recovery file applies the slow editor's change on top of r5: the
        // fast editor's title stays, the original message is kept, the recovery file goes.
        let accept = try pm.script("accept.sh", "exit 0\n")
        let resumed = try pm.run(["edit", "1", "--recover", path], env: ["EDITOR": accept])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try revisionCount(pm) == 6)
        let shown = try pm.run(["show", "1", "--json"]).object()
        #expect(shown["title"] as? String == "Changed meanwhile")
        #expect(shown["body"] as? String == "First line.\n\nText from the slow editor.")
        #expect(try pm.query("SELECT message FROM revision WHERE number = 6;").stdout == "slow edit\n")
        #expect(try pm.query("SELECT edited_at FROM revision WHERE number = 6;").stdout >= editedBefore)
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("resuming when both changed the same lines: exit 3 with both off a terminal; on one, the editor shows both")
    func staleEditConflict() throws {
        let pm = try publishedQuestion()
        defer { pm.cleanup() }
        let racing = try pm.script("race.sh", """
            sed -i 's/^Second line.$/Mine./' "$1"
            "$PMCMS_BIN" edit 1 --set 'body=First line.

            Theirs.' -m 'fast edit' > /dev/null || exit 4

            """)
        let result = try pm.run(["edit", "1", "-m", "slow edit"], env: ["EDITOR": racing, "PMCMS_BIN": PMCMSRun.executable.path])
        #expect(result.status == 3, "\(result.stderr)")
        let path = try #require(result.stderr.split(separator: "\n").first { $0.contains("your text:") }?
            .components(separatedBy: "your text:").last?.trimmingCharacters(in: .whitespaces))
        let accept = try pm.script("accept.sh", "exit 0\n")
        let refused = try pm.run(["edit", "1", "--recover", path], env: ["EDITOR": accept])
        #expect(refused.status == 3, "\(refused.stderr)")
        #expect(refused.stdout.contains("<<<<<<< yours\nMine.\n=======\nTheirs.\n>>>>>>> r5"))
        #expect(try revisionCount(pm) == 5)
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(try pm.run(["show", "1", "--json"]).object()["body"] as? String == "First line.\n\nTheirs.")

        // On a terminal (script(1) gives one) the editor opens with both; saving with the
        // markers still in reopens it; keeping both lines resolves the conflict.
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else { return }
        let resolve = try pm.script("resolve.sh", """
            if [ ! -f "$0.ran" ]; then touch "$0.ran"; grep -q '^<<<<<<< yours$' "$1" || exit 5; echo >> "$1"; exit 0; fi
            grep -q '^# ERROR: the body still has conflict markers' "$1" || exit 6
            sed -i '/^<<<<<<< yours$/d; /^=======$/d; /^>>>>>>> /d' "$1"

            """)
        let terminal = try pm.runInTerminal("edit 1 --recover '\(path)'", env: ["EDITOR": resolve])
        #expect(terminal.status == 0, "\(terminal.stdout)")
        #expect(try revisionCount(pm) == 6)
        #expect(try pm.run(["show", "1", "--json"]).object()["body"] as? String == "First line.\n\nMine.\nTheirs.")
        #expect(try pm.query("SELECT message FROM revision WHERE number = 6;").stdout == "slow edit\n")
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("links in the front matter: known slugs resolve, unknown URLs are kept with a warning")
    func links() throws {
        let pm = try publishedQuestion()
        defer { pm.cleanup() }
        #expect(try pm.run(["new", "--kind", "article", "--title", "Managing small projects"]).status == 0)
        let editor = try pm.script("links.sh", """
            sed -i 's|^articles: \\[\\]|articles:\\n- managing-small-projects|' "$1"
            sed -i 's|^related: \\[\\]|related:\\n- https://www.example.org/faq/am-i-qualified|' "$1"

            """)
        let result = try pm.run(["edit", "1"], env: ["EDITOR": editor])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("kept as a URL"))
        let shown = try pm.run(["show", "1", "--json"]).object()
        let articles = try #require(shown["articles"] as? [[String: Any]])
        #expect(articles.first?["slug"] as? String == "managing-small-projects")
        let related = try #require(shown["related"] as? [[String: Any]])
        #expect(related.first?["url"] as? String == "https://www.example.org/faq/am-i-qualified")
        #expect(related.first?["slug"] is NSNull)
    }

    @Test("new --edit writes a draft through the editor")
    func newInEditor() throws {
        let pm = try PMCMSRun()
        defer { pm.cleanup() }
        let editor = try pm.script("new.sh", "sed -i \"s/^title:.*/title: 'Can PMO become a project manager?'/\" \"$1\"\necho 'Yes, often.' >> \"$1\"\n")
        let result = try pm.run(["new", "--kind", "question", "--edit"], env: ["EDITOR": editor])
        #expect(result.status == 0, "\(result.stderr)")
        let shown = try pm.run(["show", "can-pmo-become-a-project-manager", "--json"]).object()
        #expect(shown["body"] as? String == "Yes, often.")
        #expect(shown["status"] as? String == "draft")
    }

    @Test("the review queue lists entries in review with who sent them")
    func reviewQueue() throws {
        let pm = try PMCMSRun()
        defer { pm.cleanup() }
        try pm.run(["new", "--kind", "question", "--title", "Q1?"])
        try pm.run(["new", "--kind", "question", "--title", "Q2?"])
        try pm.run(["submit", "2", "-m", "please look"], env: ["PMCMS_AUTHOR": "ana"])
        let review = try pm.run(["review"])
        #expect(review.stdout.contains("q2"))
        #expect(!review.stdout.contains("q1"))
        #expect(review.stdout.contains("by ana"))
        let listed = try pm.run(["list", "--status", "in_review"])
        #expect(listed.stdout.contains("by ana"))
        #expect(try pm.run(["reject", "2"]).status == 2)
        #expect(try pm.run(["reject", "2", "-m", "needs a source"]).status == 0)
        #expect(try pm.query("SELECT origin || ' ' || message FROM revision WHERE entry_id = 2 ORDER BY number DESC LIMIT 1;").stdout == "workflow needs a source\n")
    }
}

@Suite("End to end: editing imported entries")
struct EditImportedTests {
    @Test("an editor edit of an imported entry changes only what was edited, links included")
    func linksStayAsStored() throws {
        let pm = try PMCMSRun()
        defer { pm.cleanup() }
        let site = ImportTests.site
        #expect(try pm.run(["import", site.path, "--base-url", "https://www.example.org"]).status == 0)
        let slug = ImportTests.seedSlug
        let editor = try pm.script("edit.sh", "sed -i 's/deliver effective value\\./deliver real value./' \"$1\"\n")
        let result = try pm.run(["edit", slug], env: ["EDITOR": editor])
        #expect(result.status == 0, "\(result.stderr)")
        let diff = try pm.run(["diff", slug, "1", "2"])
        #expect(diff.stdout.contains("+A project manager"))
        #expect(!diff.stdout.contains("related:"))
        #expect(!diff.stdout.contains("articles:"))
        let stored = try pm.query("SELECT COUNT(DISTINCT related) FROM revision WHERE entry_id = (SELECT id FROM entry WHERE slug = '\(slug)');")
        #expect(stored.stdout == "1\n")
    }
}
