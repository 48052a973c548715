import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A loopback server that answers each request with far more bytes than anyone should read, and counts only the
/// bytes the kernel has taken (blocking `send`), so a test can tell how much a client read before it hung up:
/// at most what it read plus the sockets' buffers. (A Hummingbird server counts what its writer queued, which,
/// with the event loops busy, can be everything.)
final class FloodServer: @unchecked Sendable {
    let url: URL
    private let listener: Int32
    private let total: Int
    private let declared: Bool
    private let lock = NSLock()
    private var sent = 0

    /// Listens on 127.0.0.1; each answer is `total` spaces labelled JSON, with a Content-Length when `declared`.
    init(total: Int, declared: Bool) throws {
        self.total = total
        self.declared = declared
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        // Not inherited by the `baton` processes other tests start.
        _ = fcntl(listener, F_SETFD, FD_CLOEXEC)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                bind(listener, address, length) == 0 && listen(listener, 4) == 0
                    && getsockname(listener, address, &length) == 0
            }
        }
        guard bound else {
            close(listener)
            throw POSIXError(.EADDRNOTAVAIL)
        }
        self.listener = listener
        url = URL(string: "http://127.0.0.1:\(UInt16(bigEndian: address.sin_port))")!
        Thread.detachNewThread { [self] in serve() }
    }

    /// Body bytes the kernel has taken so far.
    var bytesSent: Int { lock.withLock { sent } }

    /// Stops accepting connections. The serving thread closes the listening socket itself, so that its number is
    /// not reused (by another test's socket) while that thread may still be using it.
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
    }

    private func serve() {
        defer { close(listener) }
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            answer(client)
            close(client)
        }
    }

    private func answer(_ client: Int32) {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while received.firstRange(of: Array("\r\n\r\n".utf8)) == nil {
            let count = recv(client, &buffer, buffer.count, 0)
            guard count > 0 else { return }
            received += buffer[0..<count]
        }
        let length = declared ? "Content-Length: \(total)\r\n" : "Connection: close\r\n"
        guard write(client, Array("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\(length)\r\n".utf8)) else { return }
        let chunk = [UInt8](repeating: UInt8(ascii: " "), count: 65_536)
        var written = 0
        while written < total {
            let part = min(chunk.count, total - written)
            guard write(client, Array(chunk[0..<part])) else { return }
            written += part
            lock.withLock { sent = written }
        }
    }

    /// Sends all of `bytes`; false once the client has gone.
    private func write(_ client: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { return false }
            offset += count
        }
        return true
    }
}
