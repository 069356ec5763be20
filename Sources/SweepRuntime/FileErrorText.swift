import Foundation

/// A file-system error as a short reason (`permission denied`), not Foundation's
/// `Error Domain=NSCocoaErrorDomain Code=513 …` text.
public enum FileErrorText {
    /// The reason, and when Foundation gives none that helps (`NSCocoaErrorDomain error 512`), what
    /// is wrong with `path` as seen on the disk: a file where a folder should be, a folder that is
    /// not writable.
    public static func reason(_ error: any Error, path: String) -> String {
        // The disk's state names the cause more precisely than Foundation's codes (which say "file
        // exists" when a file stands where a folder of the path should be).
        let ns = error as NSError
        guard ns.domain == NSCocoaErrorDomain || ns.domain == NSPOSIXErrorDomain else { return reason(error) }
        return diagnose(path) ?? reason(error)
    }

    /// The first ancestor of `path` that is a file, or the nearest existing folder when it is not writable.
    static func diagnose(_ path: String) -> String? {
        var ancestors: [String] = []
        var current = (path as NSString).standardizingPath
        while !current.isEmpty && current != "/" && current != "." {
            current = (current as NSString).deletingLastPathComponent
            if !current.isEmpty { ancestors.append(current) }
        }
        for ancestor in ancestors.reversed() {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: ancestor, isDirectory: &isFolder) else { break }
            if !isFolder.boolValue { return "\(ancestor) is a file, not a folder" }
        }
        if let existing = ancestors.first(where: { FileManager.default.fileExists(atPath: $0) }),
            !FileManager.default.isWritableFile(atPath: existing)
        {
            return "permission denied: \(existing) is not writable"
        }
        return nil
    }

    public static func reason(_ error: any Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code))).lowercased()
        }
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))).lowercased() }
        if ns.domain == NSCocoaErrorDomain {
            switch ns.code {
            case NSFileWriteNoPermissionError, NSFileReadNoPermissionError: return "permission denied"
            case NSFileNoSuchFileError, NSFileReadNoSuchFileError: return "no such file or folder"
            case NSFileWriteOutOfSpaceError: return "no space left on the device"
            case NSFileWriteVolumeReadOnlyError: return "read-only file system"
            case NSFileWriteFileExistsError: return "a file of that name exists"
            default: break
            }
        }
        // A Swift error of ours (a DataError, a RuntimeError) describes itself.
        if ns.domain != NSCocoaErrorDomain && ns.domain != NSPOSIXErrorDomain { return String(describing: error) }
        return ns.localizedDescription
    }
}
