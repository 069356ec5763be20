import Foundation
import Testing

@testable import DataFetch

@Suite("DatasetRelease catalog")
struct DatasetCatalogTests {
    let catalog = DatasetCatalog.official

    @Test func namesAreTheDocumentedOnes() {
        #expect(
            catalog.names == [
                "ml-100k", "ml-1m", "ml-10m", "ml-20m", "ml-25m", "ml-32m", "ml-latest-small", "ml-latest",
                "mind-small", "mind-large", "mind-demo",
            ])
    }

    @Test(arguments: [
        ("ml-100k", "ml-100k"), ("ml-1m", "ml-1m"), ("ml-10m", "ml-10M100K"), ("ml-20m", "ml-20m"),
        ("ml-25m", "ml-25m"), ("ml-32m", "ml-32m"), ("ml-latest-small", "ml-latest-small"),
        ("ml-latest", "ml-latest"),
    ])
    func movieLensArchivesHavePublishedMD5AndTheirFolder(name: String, folder: String) throws {
        let dataset = try catalog.dataset(named: name)
        #expect(dataset.directoryName == folder)
        #expect(dataset.archives.count == 1)
        let archive = try #require(dataset.archives.first)
        #expect(archive.checksum == .publishedMD5)
        #expect(archive.extractionPath == "")
        let fetcher = Fetcher()
        #expect(fetcher.url(of: archive).absoluteString == "https://files.grouplens.org/datasets/movielens/\(name).zip")
        #expect(
            fetcher.checksumURL(of: archive).absoluteString
                == "https://files.grouplens.org/datasets/movielens/\(name).zip.md5")
        #expect(dataset.homepage.absoluteString == "https://grouplens.org/datasets/movielens/")
        #expect(dataset.license.contains("Harper"))
    }

    @Test func mindArchivesUnpackIntoSplitFoldersWithoutPublishedChecksum() throws {
        let fetcher = Fetcher()
        let expected: [String: [String]] = [
            "mind-small": [
                "https://mind201910small.blob.core.windows.net/release/MINDsmall_train.zip mind-small/train",
                "https://mind201910small.blob.core.windows.net/release/MINDsmall_dev.zip mind-small/dev",
            ],
            "mind-large": [
                "https://mind201910small.blob.core.windows.net/release/MINDlarge_train.zip mind-large/train",
                "https://mind201910small.blob.core.windows.net/release/MINDlarge_dev.zip mind-large/dev",
                "https://mind201910small.blob.core.windows.net/release/MINDlarge_test.zip mind-large/test",
            ],
            "mind-demo": [
                "https://recodatasets.z20.web.core.windows.net/newsrec/MINDdemo_train.zip mind-demo/train",
                "https://recodatasets.z20.web.core.windows.net/newsrec/MINDdemo_dev.zip mind-demo/dev",
            ],
        ]
        for (name, archives) in expected {
            let dataset = try catalog.dataset(named: name)
            #expect(dataset.directoryName == name)
            #expect(dataset.archives.map { "\(fetcher.url(of: $0).absoluteString) \($0.extractionPath)" } == archives)
            #expect(dataset.archives.allSatisfy { $0.checksum == .none })
            #expect(dataset.archives.allSatisfy { $0.checksum.explanation.contains("no checksum") })
            #expect(dataset.homepage.absoluteString == "https://msnews.github.io/")
        }
    }

    @Test func baseURLOverrideReplacesOnlyItsSource() throws {
        let fetcher = Fetcher(baseURLs: [.grouplens: URL(string: "http://127.0.0.1:8080/mirror/")!])
        let movieLens = try #require(catalog.dataset(named: "ml-1m").archives.first)
        let mind = try #require(catalog.dataset(named: "mind-small").archives.first)
        #expect(fetcher.url(of: movieLens).absoluteString == "http://127.0.0.1:8080/mirror/ml-1m.zip")
        #expect(fetcher.url(of: mind).host == "mind201910small.blob.core.windows.net")
    }

    @Test func unknownNameThrowsWithEveryName() {
        #expect(throws: FetchError.unknownDataset(name: "netflix", known: catalog.names)) {
            try catalog.dataset(named: "netflix")
        }
    }
}
