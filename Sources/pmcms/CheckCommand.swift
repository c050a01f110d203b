// Public: a conformance of a public library type (below) is as public as the type.
public import ArgumentParser
import Foundation
import PMCMS

extension CheckKind: ExpressibleByArgument {}

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Report what needs editorial work.",
        discussion: """
            Runs every editorial check: unmerged import conflicts (error), related links to \
            pages not imported, questions with an empty answer, duplicate questions and body \
            links to entries that do not exist (warnings), entries not edited for --stale-days \
            and articles without a summary or image (info). One line per finding, grouped. \
            Exits 1 when there is an error, else 0.

            Examples:
              pmcms check
              pmcms check --full
              pmcms check --stale-days 180 --json
            """)

    @OptionGroup var global: GlobalOptions
    @Option(name: .customLong("stale-days"), help: "Entries not edited for this many days are stale (default 365).") var staleDays = 365
    @Flag(help: "List every finding; without it each group shows its first \(Self.shownPerGroup).") var full = false
    @OptionGroup var output: JSONFlag
    @OptionGroup var pager: PagerFlag

    static let shownPerGroup = 10

    func validate() throws {
        if staleDays < 1 { throw ValidationError("--stale-days must be at least 1") }
    }

    func run() throws {
        let store = try global.openStore(.read)
        Pager.start(unless: pager.noPager || !full)
        let findings = ErrorText.withHints(try store.editorialReport(CheckOptions(staleDays: staleDays)))
        if output.json {
            print(try JSONOutput.string(findings, pretty: true))
        } else if findings.isEmpty {
            print("no findings: \(try store.count()) entries checked")
        } else {
            var current: CheckKind?
            var shownInGroup = 0
            for finding in findings {
                let count = findings.filter { $0.check == finding.check }.count
                if finding.check != current {
                    print(Terminal.styled("\(finding.check.rawValue) (\(count))", .bold))
                    current = finding.check
                    shownInGroup = 0
                }
                shownInGroup += 1
                if !full && shownInGroup > Self.shownPerGroup {
                    if shownInGroup == Self.shownPerGroup + 1 {
                        print("  … \(count - Self.shownPerGroup) more (pmcms check --full, or --json)")
                    }
                    continue
                }
                let severity = finding.severity.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)
                let style: Terminal.Style = finding.severity == .error ? .red : finding.severity == .warning ? .yellow : .dim
                print("  \(Terminal.styled(severity, style)) \(finding.slug.map { $0 + ": " } ?? "")\(finding.message)")
            }
            let errors = findings.filter { $0.severity == .error }.count
            print("\(Plural.count(findings.count, "finding")), \(Plural.count(errors, "error"))")
        }
        if findings.contains(where: { $0.severity == .error }) { throw ExitCode(1) }
    }
}
