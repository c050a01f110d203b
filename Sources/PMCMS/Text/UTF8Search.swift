extension String.UTF8View {
    /// Whether the byte `first` is immediately followed by `second` somewhere: a byte-level
    /// `contains("](")` or `contains("  ")`, which through Foundation bridges the whole string.
    public func contains(_ first: UInt8, followedBy second: UInt8) -> Bool {
        var previous: UInt8?
        for byte in self {
            if previous == first && byte == second { return true }
            previous = byte
        }
        return false
    }
}
