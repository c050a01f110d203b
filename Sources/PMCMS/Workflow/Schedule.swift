public import Foundation  // LocalizedError conformance

/// When an entry goes live and when it leaves the site: workflow state kept on each revision
/// (columns `publish_at`, `expire_at`, `scheduled_revision`, migration 0008), carried forward
/// by edits and workflow steps like `status`.
///
/// Times are canonical UTC timestamps (`Timestamp.format`), so they compare correctly as text.
public struct Schedule: Hashable, Codable, Sendable {
    /// When an approved entry is to be published; nil once published or never scheduled.
    public var publishAt: String?
    /// When a published entry is to be taken off the site.
    public var expireAt: String?
    /// The revision `schedule` wrote: only that revision is published when due. A head with
    /// another number was changed after scheduling (an edit, a revert, a new review).
    public var pinnedRevision: Int?

    public init(publishAt: String? = nil, expireAt: String? = nil, pinnedRevision: Int? = nil) {
        self.publishAt = publishAt
        self.expireAt = expireAt
        self.pinnedRevision = pinnedRevision
    }

    /// Nothing scheduled: what every revision written before migration 0008 holds.
    public var isEmpty: Bool { publishAt == nil && expireAt == nil && pinnedRevision == nil }

    /// "publish 2026-12-01T10:00:00Z · expire 2026-12-31T00:00:00Z", for one-line displays;
    /// nil when nothing is scheduled.
    public var summary: String? {
        let parts = [publishAt.map { "publish \($0)" }, expireAt.map { "expire \($0)" }].compactMap { $0 }
        return parts.isEmpty ? nil : parts.joined(separator: " · ")
    }
}

/// A time given on the command line for a schedule.
public enum ScheduleTime {
    /// `text` as a canonical UTC timestamp: a time with `Z` or an offset is converted to UTC;
    /// a date alone means midnight UTC. Throws with the accepted forms otherwise.
    public static func parse(_ text: String, option: String) throws -> String {
        let trimmed = withSeconds(text.trimmingCharacters(in: .whitespaces))
        guard let date = Timestamp.parse(trimmed) else {
            throw ScheduleError.badTime(option: option, text: text)
        }
        // A time without a zone would silently mean UTC to us and local time to the user.
        if trimmed.utf8.count > 10, !(trimmed.hasSuffix("Z") || trimmed.hasSuffix("z")),
           !trimmed.dropFirst(19).contains(where: { $0 == "+" || $0 == "-" }) {
            throw ScheduleError.badTime(option: option, text: text)
        }
        return Timestamp.format(date)
    }

    /// People give times to the minute (`2026-12-01T09:00+01:00`); the stored form has seconds.
    private static func withSeconds(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count >= 16, scalars[13] == ":",
              scalars.count == 16 || scalars[16] != ":" else { return text }
        var result = String.UnicodeScalarView(scalars[..<16])
        result.append(contentsOf: ":00".unicodeScalars)
        result.append(contentsOf: scalars[16...])
        return String(result)
    }
}

/// Why a schedule could not be set or carried out, as values (the faces add the next step).
public enum ScheduleError: Error, Equatable, CustomStringConvertible {
    case badTime(option: String, text: String)
    /// `schedule --at` on an entry that is not approved.
    case notApproved(slug: String, status: Status)
    /// `schedule --expire` alone on an entry that is not published.
    case notPublished(slug: String, status: Status)
    case expiryNotAfterPublication(slug: String, publishAt: String, expireAt: String)
    case nothingScheduled(slug: String)

    public var description: String {
        switch self {
        case .badTime(let option, let text):
            return "\(option) '\(text)' is not a time: give a date (2026-12-01, midnight UTC) or a time with Z or an offset (2026-12-01T09:00:00Z, 2026-12-01T10:00:00+01:00)"
        case .notApproved(let slug, let status):
            if status == .published {
                return "cannot schedule '\(slug)': it is already published; only its expiry can be scheduled"
            }
            return "cannot schedule '\(slug)': it is \(status.rawValue), and only an approved entry can be scheduled"
        case .notPublished(let slug, let status):
            return "cannot set an expiry alone on '\(slug)': it is \(status.rawValue), and an expiry without a publication time needs a published entry"
        case .expiryNotAfterPublication(let slug, let publishAt, let expireAt):
            return "'\(slug)' would expire (\(expireAt)) before it is published (\(publishAt))"
        case .nothingScheduled(let slug):
            return "'\(slug)' has no schedule to cancel"
        }
    }
}

extension ScheduleError: LocalizedError {
    public var errorDescription: String? { description }
}
