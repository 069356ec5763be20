import Foundation
import ZIPFoundation

/// Extracts a zip archive into a folder, refusing archives that would write outside it (zip-slip).
///
/// Every entry is checked before anything is written: an entry whose path is absolute (`/x`, `\x`, `C:x`),
/// has a `..` component, or is a symbolic link rejects the whole archive, and so does any entry whose
/// standardized destination is not inside the folder. Extracted files are checked against their CRC-32.
/// - Complexity: O(archive size) time; memory O(ZIPFoundation's read buffer).
enum ArchiveUnpacker {
    enum Failure: Error, Sendable, Equatable {
        /// The entry that made the archive unsafe, as stored in the archive.
        case unsafeEntry(String)
        /// The archive is unreadable or an entry failed to extract.
        case unreadable(String)
    }

    /// Extracts every entry of `archiveURL` into `destination`, creating it if needed.
    static func unpack(_ archiveURL: URL, into destination: URL) throws(Failure) {
        let archive: Archive
        do {
            archive = try Archive(url: archiveURL, accessMode: .read)
        } catch {
            throw .unreadable("not a readable zip archive (\(error))")
        }
        let root = destination.standardizedFileURL
        var planned: [(Entry, URL)] = []
        for entry in archive {
            guard entry.type != .symlink, isSafeEntryPath(entry.path) else { throw .unsafeEntry(entry.path) }
            let target = root.appendingPathComponent(entry.path).standardizedFileURL
            let isInside =
                target.path.hasPrefix(root.path + "/") || (entry.type == .directory && target.path == root.path)
            guard isInside else { throw .unsafeEntry(entry.path) }
            planned.append((entry, target))
        }
        do {
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        } catch {
            throw .unreadable("cannot create \(root.path): \(error)")
        }
        for (entry, target) in planned {
            let checksum: CRC32
            do {
                checksum = try archive.extract(entry, to: target)
            } catch {
                throw .unreadable("entry '\(entry.path)': \(error)")
            }
            if entry.type == .file, checksum != entry.checksum {
                throw .unreadable("entry '\(entry.path)': CRC-32 mismatch, the archive is corrupt")
            }
        }
    }

    /// Whether an entry path stays below the extraction folder: relative, no `..` component, no drive
    /// letter (`C:`), no NUL. Both `/` and `\` count as separators.
    static func isSafeEntryPath(_ path: String) -> Bool {
        guard !path.isEmpty, !path.contains("\0"), !path.hasPrefix("/"), !path.hasPrefix("\\") else { return false }
        let characters = Array(path.prefix(2))
        if characters.count == 2, characters[0].isLetter, characters[0].isASCII, characters[1] == ":" { return false }
        return !path.split(whereSeparator: { $0 == "/" || $0 == "\\" }).contains("..")
    }
}
