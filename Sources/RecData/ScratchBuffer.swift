import Foundation

/// A temporary array of trivial values in its own anonymous memory mapping, zero-filled, and
/// returned to the operating system (`munmap`) when the buffer goes away.
///
/// Loaders use it for large temporaries (row orders, flags) so that the process's resident
/// memory after loading is the data set itself: memory freed through `malloc` may stay
/// resident in the heap, depending on the allocator's thresholds.
final class ScratchBuffer<Element: BitwiseCopyable> {
    let count: Int
    let pointer: UnsafeMutablePointer<Element>
    private let byteCount: Int

    init(count: Int) {
        self.count = count
        byteCount = max(1, count * MemoryLayout<Element>.stride)
        guard let mapped = mmap(nil, byteCount, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), mapped != MAP_FAILED
        else {
            preconditionFailure("ScratchBuffer: mmap of \(byteCount) bytes failed: \(String(cString: strerror(errno)))")
        }
        pointer = mapped.bindMemory(to: Element.self, capacity: max(1, count))
    }

    deinit { munmap(UnsafeMutableRawPointer(pointer), byteCount) }

    subscript(index: Int) -> Element {
        @inline(__always) get { pointer[index] }
        @inline(__always) set { pointer[index] = newValue }
    }
}
