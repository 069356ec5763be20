import CZeroMQ

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Facts about the libzmq library this module runs against.
///
/// - Threading: every member may be used from any thread.
public enum ZMQ {
    /// A libzmq version, `major.minor.patch`.
    public struct Version: Sendable, Hashable, Comparable, CustomStringConvertible {
        public var major: Int
        public var minor: Int
        public var patch: Int

        public init(major: Int, minor: Int, patch: Int) {
            self.major = major
            self.minor = minor
            self.patch = patch
        }

        public static func < (lhs: Version, rhs: Version) -> Bool {
            (lhs.major, lhs.minor, lhs.patch) < (rhs.major, rhs.minor, rhs.patch)
        }

        public var description: String { "\(major).\(minor).\(patch)" }
    }

    /// The version of the libzmq loaded at run time (`zmq_version`), which may differ from the headers'.
    public static var version: Version {
        var major: Int32 = 0
        var minor: Int32 = 0
        var patch: Int32 = 0
        zmq_version(&major, &minor, &patch)
        return Version(major: Int(major), minor: Int(minor), patch: Int(patch))
    }

    /// Whether libzmq was built with `capability` (`zmq_has`), for example `"curve"`, `"ipc"`, `"draft"`.
    public static func has(_ capability: String) -> Bool {
        zmq_has(capability) != 0
    }

    /// Throws unless libzmq supports CURVE (it needs libsodium at libzmq's build time).
    static func requireCurve(for operation: String) throws(ZMQError) {
        guard has("curve") else {
            throw ZMQError(
                operation: operation,
                code: ENOTSUP,
                message: "libzmq \(version) was built without CURVE security (zmq_has(\"curve\") is false); "
                    + "install a libzmq built with libsodium, such as Debian's libzmq5"
            )
        }
    }
}
