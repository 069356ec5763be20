/// An error in a data file or a data request, phrased so the user knows what to fix.
///
/// The description has the shape compilers use:
/// `ml-100k/u.data:1234: field 3 'rating': expected a number, got 'x'`, followed by a hint
/// when one helps (which layout was expected, where to get the file, which option to pass).
public struct DataError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What went wrong, for callers and tests that branch on it.
    public enum Kind: String, Sendable, Equatable {
        case wrongFieldCount
        case badNumber
        case badDate
        case badJSON
        case badValue
        case encoding
        case emptyFile
        case missingFile
        case unknownLayout
        case unknownID
        case duplicate
        case invalidArgument
        case io
    }

    public var kind: Kind
    /// The file as the user named it (or the folder for layout errors).
    public var file: String
    /// 1-based line number, when the error is about one line.
    public var line: Int?
    /// 1-based field position, when the error is about one field.
    public var fieldIndex: Int?
    /// The field's name in the format's documentation (`rating`, `timestamp`, `impressions`).
    public var fieldName: String?
    /// What was expected and what was found.
    public var message: String
    /// What to do about it, when there is something to say.
    public var hint: String?

    public init(
        _ kind: Kind, file: String, line: Int? = nil, fieldIndex: Int? = nil, fieldName: String? = nil,
        message: String, hint: String? = nil
    ) {
        self.kind = kind
        self.file = file
        self.line = line
        self.fieldIndex = fieldIndex
        self.fieldName = fieldName
        self.message = message
        self.hint = hint
    }

    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        text += ": "
        switch (fieldIndex, fieldName) {
        case (let index?, let name?): text += "field \(index) '\(name)': "
        case (let index?, nil): text += "field \(index): "
        case (nil, let name?): text += "'\(name)': "
        case (nil, nil): break
        }
        text += message
        if let hint { text += " (\(hint))" }
        return text
    }
}
