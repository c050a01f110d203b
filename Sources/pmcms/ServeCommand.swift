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
            change is one revision, and a form whose entry changed meanwhile writes nothing and \
            shows what changed.

            While it runs it also does what `pmcms publish-due` does, at start and every minute: \
            scheduled entries go live and expired ones leave the site on time (the queue page \
            lists what is scheduled).

            With accounts (`pmcms user add`), people log in with their name and password, each \
            revision is signed with their account name, and each role may do only its own steps \
            (see `pmcms user --help`); the desk may then listen beyond this machine. Without \
            accounts it prints a login link with a random token made anew at each start, signs with --author \
            (else $PMCMS_AUTHOR, else your login name), and listens on loopback only.

            There is no TLS in pmcms itself: to serve a team over the network, put it behind a \
            reverse proxy that terminates https and pass --behind-proxy (session cookies are \
            then marked Secure, and the login throttle counts the address the proxy reports \
            last in X-Forwarded-For).

            Examples:
              pmcms serve
              pmcms --db site.sqlite serve --listen 127.0.0.1:9000
              pmcms user add alice --role admin && pmcms serve --listen 0.0.0.0:8080 --behind-proxy
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp("Where to listen (beyond loopback only when the store has accounts).", valueName: "host:port"))
    var listen = "127.0.0.1:8080"
    @Flag(name: .customLong("behind-proxy"), help: "Reached over https through a reverse proxy: Secure cookies, client address from X-Forwarded-For.")
    var behindProxy = false

    /// `host:port`, split and checked.
    static func address(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (1...65535).contains(port) else { return nil }
        let host = String(text[..<colon])
        return host.isEmpty ? nil : (host, port)
    }

    func validate() throws {
        guard Self.address(listen) != nil else {
            throw ValidationError("--listen '\(listen)' is not HOST:PORT (for example 127.0.0.1:8080)")
        }
    }

    func run() throws {
        guard let (host, port) = Self.address(listen) else { throw ValidationError("--listen '\(listen)' is not HOST:PORT") }
        // On SQLite, pages read through a pool of read-only connections beside the one writer.
        let store = try global.openStore(.write, readPool: true)
        let hasAccounts = try store.hasAccounts()
        guard hasAccounts || ReviewDesk.isLoopback(host) else {
            throw CLIError.usage("--listen \(host): the desk listens beyond this machine only when the store has accounts (add one with `pmcms user add NAME --role admin`); without them, use 127.0.0.1 or ::1")
        }
        let desk = try ReviewDesk(
            store: store, options: .init(host: host, port: port, token: ReviewDesk.makeToken(), author: global.authorName, behindProxy: behindProxy))
        // Written unbuffered: a script reading the link from a pipe gets it at once.
        let banner = "pmcms serve: the review desk of \(store.path)\n\(desk.howToOpen(hasAccounts: hasAccounts))\n(Ctrl-C stops it)\n"
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
                try await desk.run()
            } catch {
                failure.withLock { $0 = "\(error)" }
            }
            finished.signal()
        }
        finished.wait()
        if let error = failure.withLock({ $0 }) { throw CLIError(message: "the review desk stopped: \(error)") }
        // Ctrl-C or SIGTERM: the requests under way were finished first. Closing the store
        // folds its write-ahead log back into the file (if another process still has the store
        // open, SQLite leaves the log to it).
        try? store.close()
        Terminal.warn("pmcms serve: stopped")
    }
}
