import Testing

@testable import DataFetch

@Suite("Published .md5 files")
struct MD5ChecksumFileTests {
    @Test(arguments: [
        "MD5 (ml-100k.zip) = 0e33842e24a9c977be4e0107933c0723",
        "MD5 (ml-100k.zip) = 0e33842e24a9c977be4e0107933c0723\n",
        "MD5(ml-100k.zip)= 0E33842E24A9C977BE4E0107933C0723\r\n",
        "0e33842e24a9c977be4e0107933c0723  ml-100k.zip",
        "0e33842e24a9c977be4e0107933c0723 *ml-100k.zip\n",
        "0e33842e24a9c977be4e0107933c0723\tml-100k.zip",
        "\n# published by GroupLens\n0e33842e24a9c977be4e0107933c0723  ml-100k.zip\n\n",
        "0e33842e24a9c977be4e0107933c0723",
        "0e33842e24a9c977be4e0107933c0723\n",
    ])
    func bothFormsYieldTheDigest(text: String) throws {
        let file = try MD5ChecksumFile(parsing: text)
        #expect(file.digest(for: "ml-100k.zip") == "0e33842e24a9c977be4e0107933c0723")
    }

    @Test func bsdFormKeepsTheFileName() throws {
        let file = try MD5ChecksumFile(parsing: "MD5 (ml-latest (2).zip) = 0e33842e24a9c977be4e0107933c0723")
        #expect(file.entries == [.init(digest: "0e33842e24a9c977be4e0107933c0723", fileName: "ml-latest (2).zip")])
    }

    @Test func severalEntriesAreLookedUpByName() throws {
        let file = try MD5ChecksumFile(
            parsing: """
                MD5 (ml-1m.zip) = c4d9eecfca2ab87c1945afe126590906
                0e33842e24a9c977be4e0107933c0723  ml-100k.zip
                """)
        #expect(file.digest(for: "ml-1m.zip") == "c4d9eecfca2ab87c1945afe126590906")
        #expect(file.digest(for: "ml-100k.zip") == "0e33842e24a9c977be4e0107933c0723")
        #expect(file.digest(for: "ml-20m.zip") == nil)
    }

    @Test func anEntryForAnotherFileDoesNotMatch() throws {
        let file = try MD5ChecksumFile(parsing: "MD5 (ml-1m.zip) = c4d9eecfca2ab87c1945afe126590906")
        #expect(file.digest(for: "ml-100k.zip") == nil)
    }

    @Test(arguments: [
        ("<html>Not Found</html>", 1),
        ("MD5 (ml-100k.zip) = 0e33842e24a9c977be4e0107933c072", 1),
        ("MD5 (ml-100k.zip) = 0e33842e24a9c977be4e0107933c0723x", 1),
        ("0e33842e24a9c977be4e0107933c0723  ml-100k.zip\nSHA1 (ml-100k.zip) = abc", 2),
        ("zz33842e24a9c977be4e0107933c0723  ml-100k.zip", 1),
    ])
    func malformedLinesAreReportedWithTheirNumber(text: String, line: Int) {
        #expect {
            try MD5ChecksumFile(parsing: text)
        } throws: { error in
            guard case .malformedLine(let number, _) = error as? MD5ChecksumFile.ParseError else { return false }
            return number == line
        }
    }

    @Test(arguments: ["", "\n\n", "# nothing here\n"])
    func fileWithoutDigestIsEmpty(text: String) {
        #expect(throws: MD5ChecksumFile.ParseError.empty) { try MD5ChecksumFile(parsing: text) }
    }

    @Test func malformedLineErrorShowsBothForms() {
        let error = MD5ChecksumFile.ParseError.malformedLine(number: 3, line: "oops")
        #expect(
            error.description == "line 3 'oops': expected 'MD5 (file) = <32 hex digits>' or '<32 hex digits>  file'")
    }
}
