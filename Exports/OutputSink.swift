public import Foundation  // FileHandle and Data in the sink's API

/// Where an export's bytes go: a file handle behind a buffer, so that writing one entry at a
/// time does not mean one system call per field.
public final class OutputSink {
    private let handle: FileHandle
    private var buffer = Data()
    private let capacity: Int
    /// How many bytes have been handed to the sink so far.
    public private(set) var byteCount = 0

    public init(_ handle: FileHandle, capacity: Int = 1 << 16) {
        self.handle = handle
        self.capacity = capacity
        buffer.reserveCapacity(capacity)
    }

    public func write(_ data: Data) throws {
        buffer.append(data)
        byteCount += data.count
        if buffer.count >= capacity { try flush() }
    }

    public func write(_ text: String) throws {
        try write(Data(text.utf8))
    }

    public func write(bytes: UnsafeBufferPointer<UInt8>) throws {
        buffer.append(bytes)
        byteCount += bytes.count
        if buffer.count >= capacity { try flush() }
    }

    /// Hands everything buffered to the file handle.
    public func flush() throws {
        guard !buffer.isEmpty else { return }
        do {
            try handle.write(contentsOf: buffer)
        } catch {
            throw ExportError.writeFailed(reason: error.localizedDescription)
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
