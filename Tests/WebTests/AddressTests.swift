import Foundation
import PMCMS
import Testing
@testable import Web

/// The address `pmcms serve` tells its user to open: one a browser can open, whatever it
/// listens on.
@Suite struct AddressTests {
    func desk(host: String, port: Int = 8080) throws -> (ReviewDesk, URL) {
        let (store, directory) = try ReviewDeskTests.store()
        return (try ReviewDesk(store: store, options: .init(host: host, port: port, token: "tok", author: "me")), directory)
    }

    @Test func aDeskOnEveryInterfaceIsOpenedByLoopbackOrTheHostName() throws {
        for (wildcard, loopback) in [("0.0.0.0", "http://127.0.0.1:8080/"), ("::", "http://[::1]:8080/")] {
            let (desk, directory) = try desk(host: wildcard)
            defer { try? FileManager.default.removeItem(at: directory) }
            let text = desk.howToOpen(hasAccounts: true, hostName: "desk.example.lan")
            #expect(!text.contains("0.0.0.0") && !text.contains("[::]:"), "a wildcard address is not one to open: \(text)")
            #expect(text.contains("all interfaces"))
            #expect(text.contains("open \(loopback) on this machine"))
            #expect(text.contains("http://desk.example.lan:8080/ from another one"))
            #expect(desk.baseURL == loopback)
            // Without a usable host name, the loopback address alone.
            #expect(!desk.howToOpen(hasAccounts: true, hostName: "localhost").contains("localhost"))
        }
    }

    @Test func aDeskOnOneAddressIsOpenedThere() throws {
        let (desk, directory) = try desk(host: "192.0.2.7", port: 9000)
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(desk.howToOpen(hasAccounts: true, hostName: "ignored") == "open http://192.0.2.7:9000/ and log in with your account")
        let (local, other) = try self.desk(host: "127.0.0.1")
        defer { try? FileManager.default.removeItem(at: other) }
        #expect(local.howToOpen(hasAccounts: false) == "open http://127.0.0.1:8080/login?token=tok")
    }
}
