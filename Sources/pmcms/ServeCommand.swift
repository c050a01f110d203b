import ArgumentParser
import Dispatch
import Foundation
import PMCMS
import Synchronization
import Web

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Open the review desk in a browser: the review queue, entries, history and diffs.",
        discussion: """
            Serves the store as web pages on HOST:PORT (default 127.0.0.1:8080) until Ctrl-C: \
            the review queue (what is in review or approved, oldest first), the entries with \
            filters and search, each entry with its live and latest text, links and history, and \
            any two revisions side by side with the changed words marked. Pages are plain HTML \
            and CSS (no script) and work on a phone.

            Entries can be edited, moved through the workflow and reverted from the pages; each \
            change is one revision signed with --author (else $PMCMS_AUTHOR, else your login \
            name), and a form whose entry changed meanwhile writes nothing and shows what \
            changed.

            While it runs it also does what `pmcms publish-due` does, at start and every minute: \
            scheduled entries go live and expired ones leave the site on time (the queue page \
            lists what is scheduled).

            On start it prints a login link with a one-time random token; open it in your \
            browser. Until accounts exist, the desk listens on loopback only.

            Examples:
              pmcms serve
              pmcms --db site.sqlite serve --listen 127.0.0.1:9000
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp("Where to listen (loopback only for now).", valueName: "host:port"))
    var listen = "127.0.0.1:8080"

    /// `host:port`, split and checked.
    static func address(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (1...65535).contains(port) else { return nil }
        let host = String(text[..<colon])
        return host.isEmpty ? nil : (host, port)
    }

    func validate() throws {
        guard let (host, _) = Self.address(listen) else {
            throw ValidationError("--listen '\(listen)' is not HOST:PORT (for example 127.0.0.1:8080)")
        }
        guard ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host) else {
            throw ValidationError("--listen \(host): without accounts the desk listens on loopback only (127.0.0.1 or ::1)")
        }
    }

    func run() throws {
        guard let (host, port) = Self.address(listen) else { throw ValidationError("--listen '\(listen)' is not HOST:PORT") }
        let store = try global.openStore(.write)
        let desk = try ReviewDesk(store: store, options: .init(host: host, port: port, token: ReviewDesk.makeToken(), author: global.authorName))
        // Written unbuffered: a script reading the link from a pipe gets it at once.
        let banner = "pmcms serve: the review desk of \(global.storePath)\nopen \(desk.loginURL)\n(Ctrl-C stops it)\n"
        FileHandle.standardOutput.write(Data(banner.utf8))
        // The server is async; this command waits for it on the main thread until it stops.
        let finished = DispatchSemaphore(value: 0)
        // The server task's error, handed back to this thread.
        let failure = Mutex<String?>(nil)
        // publish-due at start and every minute while the desk runs (see `ScheduledPublisher`).
        let publisher = Task { await ScheduledPublisher(store: store, author: global.authorName).run() }
        Task {
            defer { publisher.cancel() }
            do {
                try await desk.application().runService()
            } catch {
                failure.withLock { $0 = "\(error)" }
            }
            finished.signal()
        }
        finished.wait()
        if let error = failure.withLock({ $0 }) { throw CLIError(message: "the review desk stopped: \(error)") }
    }
}
