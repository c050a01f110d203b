import Foundation

/// Environment variables read one at a time with `getenv`. `ProcessInfo.environment` builds a
/// dictionary of the whole environment on every call, which was a noticeable part of showing
/// an entry (a few milliseconds of a command users run all day).
public enum ProcessEnvironment {
    /// The value of `name`, or nil when it is not set.
    public static func value(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// The value of `name` when it is set and not empty (nor only spaces).
    public static func nonEmpty(_ name: String) -> String? {
        guard let value = value(name), !value.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        return value
    }
}
