import Foundation
import Testing
import Yams

/// The deployment files under cluster/ against the real CLI: every `crossrec …` flag they use
/// exists, and the Kubernetes manifests keep the invariants the sweep machinery relies on (one
/// coordinator, the single writer of a store on a persistent volume; CURVE keys from Secrets;
/// workers pointed at the coordinator's Service).
@Suite("Cluster deployment files")
struct ClusterFilesTests {
    static let repository: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()
    static let cluster = repository + "/cluster"

    static func files(under folder: String, suffixes: [String]) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: folder) else { return [] }
        return enumerator.compactMap { $0 as? String }.filter { name in suffixes.contains { name.hasSuffix($0) } }
            .map { folder + "/" + $0 }.sorted()
    }

    static var manifestFiles: [String] { files(under: cluster + "/k8s", suffixes: [".yaml", ".yml"]) }

    // MARK: Flags against `crossrec … --help`

    /// A `crossrec` invocation found in a file: the subcommand and the flags after it.
    struct Invocation: CustomStringConvertible {
        var file: String
        var subcommand: String
        var flags: [String]
        var description: String {
            let path = file.replacingOccurrences(of: ClusterFilesTests.repository + "/", with: "")
            return "\(path): crossrec \(subcommand) \(flags.joined(separator: " "))"
        }
    }

    static let subcommands = ["coordinator", "worker", "keys generate", "leaderboard", "sweep run", "sweep status"]

    /// Invocations in one line of shell (continuations already joined): `crossrec`, a path ending in
    /// `/crossrec`, or a variable holding the binary (`"$crossrec"`, `"$CROSSREC_BIN"`), then a subcommand.
    static func invocations(inLine line: String, file: String) -> [Invocation] {
        let names = subcommands.map {
            NSRegularExpression.escapedPattern(for: $0).replacingOccurrences(of: " ", with: "\\s+")
        }
        let pattern =
            #"(?:(?<![\w-])crossrec|\$\{?crossrec\}?|\$\{?CROSSREC_BIN\}?)["']?\s+("#
            + names.joined(separator: "|") + #")(?![\w-])"#
        let expression = try! NSRegularExpression(pattern: pattern)
        let text = line as NSString
        var found: [Invocation] = []
        for match in expression.matches(in: line, range: NSRange(location: 0, length: text.length)) {
            let subcommand = text.substring(with: match.range(at: 1)).split(whereSeparator: \.isWhitespace).joined(
                separator: " ")
            var rest = text.substring(from: match.range.location + match.range.length)
            // The invocation ends at the next shell operator, redirection or comment.
            for separator in [" | ", " || ", " && ", "; ", " >", " 2>", " <", " #"] {
                if let range = rest.range(of: separator) { rest = String(rest[..<range.lowerBound]) }
            }
            let flags = rest.split(whereSeparator: { $0.isWhitespace || $0 == "\"" || $0 == "'" || $0 == "=" })
                .map(String.init).filter {
                    $0.hasPrefix("--") && $0.count > 2
                        && $0.dropFirst(2).allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" }
                }
            found.append(Invocation(file: file, subcommand: subcommand, flags: flags))
        }
        return found
    }

    /// Shell-like text: backslash continuations joined, comments kept (they document commands too).
    static func invocations(inText text: String, file: String) -> [Invocation] {
        let joined = text.replacingOccurrences(of: "\\\n", with: " ")
        return joined.split(separator: "\n").flatMap { invocations(inLine: String($0), file: file) }
    }

    /// Containers in Kubernetes manifests: command + args as one line, each `sh -c` script as text.
    static func invocations(inManifest documents: [[String: Any]], file: String) -> [Invocation] {
        containers(in: documents).flatMap { container -> [Invocation] in
            let words = ((container["command"] as? [Any]) ?? []) + ((container["args"] as? [Any]) ?? [])
            let strings = words.map { "\($0)" }
            if strings.count >= 3, strings[0].hasSuffix("sh"), strings[1] == "-c" {
                return invocations(inText: strings[2], file: file)
            }
            return invocations(inLine: strings.joined(separator: " "), file: file)
        }
    }

    static func documents(_ file: String) throws -> [[String: Any]] {
        let text = try String(contentsOfFile: file, encoding: .utf8)
        return try Yams.load_all(yaml: text).compactMap { $0 as? [String: Any] }
    }

    static func allInvocations() throws -> [Invocation] {
        var found: [Invocation] = []
        for file in files(under: cluster, suffixes: [".sh", ".sbatch", ".service", ".md", ".example"])
            + files(under: repository + "/docs", suffixes: [".md"]) + [repository + "/README.md"]
        {
            found += invocations(inText: try String(contentsOfFile: file, encoding: .utf8), file: file)
        }
        for file in manifestFiles { found += invocations(inManifest: try documents(file), file: file) }
        return found
    }

    /// The long flags `crossrec SUBCOMMAND --help` lists under OPTIONS.
    static func helpFlags(_ subcommand: String) throws -> Set<String> {
        let result = try CLI.run(subcommand.split(separator: " ").map(String.init) + ["--help"])
        let expression = try NSRegularExpression(
            pattern: #"^\s+(?:-\w, )?(--[a-z0-9][a-z0-9-]*)"#, options: .anchorsMatchLines)
        let text = result.stdout as NSString
        return Set(
            expression.matches(in: result.stdout, range: NSRange(location: 0, length: text.length)).map {
                text.substring(with: $0.range(at: 1))
            })
    }

    @Test func theExtractorFindsFlagsAndStopsAtShellOperators() {
        let found = Self.invocations(
            inText: """
                "$crossrec" coordinator s.yaml --bind "tcp://$a:0" \\
                    --allow keys/w --store s.sqlite 2>c.log | tee x --nope
                exec /usr/local/bin/crossrec worker --connect x --slots=4; other --thing
                """, file: "t")
        #expect(found.map(\.subcommand) == ["coordinator", "worker"])
        #expect(found.first?.flags == ["--bind", "--allow", "--store"])
        #expect(found.last?.flags == ["--connect", "--slots"])
    }

    @Test func everyCrossrecFlagInTheClusterFilesExists() throws {
        let found = try Self.allInvocations()
        // Each way of deploying runs a coordinator and workers: an extractor that finds nothing fails here.
        for folder in ["systemd", "slurm", "k8s", "netns-test.sh"] {
            let here = found.filter { $0.file.hasPrefix(Self.cluster + "/" + folder) }
            #expect(
                here.contains { $0.subcommand == "coordinator" && $0.flags.contains("--curve-key") },
                "\(folder): no secured coordinator found")
            #expect(
                here.contains { $0.subcommand == "worker" && $0.flags.contains("--server-key") },
                "\(folder): no secured worker found")
        }
        var known: [String: Set<String>] = [:]
        for subcommand in Set(found.map(\.subcommand)) { known[subcommand] = try Self.helpFlags(subcommand) }
        #expect(
            known["coordinator"]?.contains("--endpoint-file") == true,
            "help parsing found \(known["coordinator"] ?? [])")
        for invocation in found {
            let unknown = invocation.flags.filter { !(known[invocation.subcommand] ?? []).contains($0) }
            #expect(
                unknown.isEmpty,
                "\(invocation): unknown flag(s) \(unknown); `crossrec \(invocation.subcommand) --help` lists \(known[invocation.subcommand]!.sorted())"
            )
        }
    }

    // MARK: Kubernetes invariants

    static func containers(in documents: [[String: Any]]) -> [[String: Any]] {
        documents.compactMap(podSpec).flatMap { ($0["containers"] as? [[String: Any]]) ?? [] }
    }

    static func podSpec(_ document: [String: Any]) -> [String: Any]? {
        ((document["spec"] as? [String: Any])?["template"] as? [String: Any])?["spec"] as? [String: Any]
    }

    static func commandLine(_ container: [String: Any]) -> String {
        (((container["command"] as? [Any]) ?? []) + ((container["args"] as? [Any]) ?? [])).map { "\($0)" }.joined(
            separator: " "
        )
        .replacingOccurrences(of: "\\\n", with: " ")
    }

    /// The value after `flag` in a command line.
    static func value(of flag: String, in line: String) -> String? {
        let words = line.split(whereSeparator: \.isWhitespace).map(String.init)
        guard let index = words.firstIndex(of: flag), index + 1 < words.count else { return nil }
        return words[index + 1]
    }

    /// The volume (by its definition) mounted at the longest mount path that contains `path`.
    static func volume(holding path: String, container: [String: Any], document: [String: Any]) -> [String: Any]? {
        let mounts = (container["volumeMounts"] as? [[String: Any]]) ?? []
        guard
            let mount = mounts.filter({ path.hasPrefix(($0["mountPath"] as? String ?? "?") + "/") })
                .max(by: { ($0["mountPath"] as? String ?? "").count < ($1["mountPath"] as? String ?? "").count }),
            let name = mount["name"] as? String
        else { return nil }
        let spec = document["spec"] as? [String: Any]
        if let claims = spec?["volumeClaimTemplates"] as? [[String: Any]],
            claims.contains(where: { ($0["metadata"] as? [String: Any])?["name"] as? String == name })
        {
            return ["persistentVolumeClaim": ["claimName": name]]
        }
        return ((podSpec(document)?["volumes"] as? [[String: Any]]) ?? []).first { $0["name"] as? String == name }
    }

    struct Workload {
        var document: [String: Any]
        var container: [String: Any]
        var kind: String { document["kind"] as? String ?? "" }
        var line: String { ClusterFilesTests.commandLine(container) }
        var spec: [String: Any] { document["spec"] as? [String: Any] ?? [:] }
        var podLabels: [String: String] {
            (((spec["template"] as? [String: Any])?["metadata"] as? [String: Any])?["labels"] as? [String: String])
                ?? [:]
        }
    }

    static func workloads() throws -> (all: [[String: Any]], coordinator: [Workload], worker: [Workload]) {
        let all = try manifestFiles.flatMap { try documents($0) }
        var coordinators: [Workload] = []
        var workers: [Workload] = []
        for document in all {
            for container in containers(in: [document]) {
                let workload = Workload(document: document, container: container)
                if workload.line.contains("crossrec coordinator") { coordinators.append(workload) }
                if workload.line.contains("crossrec worker") || workload.line.hasPrefix("crossrec worker") {
                    workers.append(workload)
                }
            }
        }
        return (all, coordinators, workers)
    }

    @Test(arguments: manifestFiles.map { ($0 as NSString).lastPathComponent })
    func manifestParses(_ name: String) throws {
        let documents = try Self.documents(Self.cluster + "/k8s/" + name)
        #expect(!documents.isEmpty, "\(name): no YAML document")
        for document in documents {
            #expect(document["apiVersion"] is String && document["kind"] is String, "\(name): apiVersion and kind")
            if document["kind"] as? String != "Kustomization" {
                #expect((document["metadata"] as? [String: Any])?["name"] is String, "\(name): metadata.name")
            }
        }
    }

    @Test func theCoordinatorIsOneSingleWriterOnAPersistentVolume() throws {
        let (_, coordinators, _) = try Self.workloads()
        try #require(
            coordinators.count == 1, "exactly one workload runs `crossrec coordinator`, found \(coordinators.count)")
        let coordinator = coordinators[0]
        #expect(
            coordinator.spec["replicas"] as? Int == 1, "the coordinator is the store's only writer: replicas must be 1")
        switch coordinator.kind {
        case "StatefulSet":
            let strategy = (coordinator.spec["updateStrategy"] as? [String: Any])?["type"] as? String ?? "RollingUpdate"
            #expect(
                strategy == "RollingUpdate", "a one-replica StatefulSet replaces its pod only after the old one is gone"
            )
            #expect(coordinator.spec["podManagementPolicy"] as? String != "Parallel")
        case "Deployment":
            #expect(
                (coordinator.spec["strategy"] as? [String: Any])?["type"] as? String == "Recreate",
                "a coordinator Deployment must use Recreate")
        default:
            Issue.record("the coordinator runs in a \(coordinator.kind); expected a StatefulSet or a Deployment")
        }
        let store = try #require(Self.value(of: "--store", in: coordinator.line), "the coordinator names its store")
        let volume = Self.volume(holding: store, container: coordinator.container, document: coordinator.document)
        #expect(
            volume?["persistentVolumeClaim"] != nil,
            "the store \(store) must be on a PersistentVolumeClaim, is on \(volume ?? [:])")
        let bind = try #require(Self.value(of: "--bind", in: coordinator.line))
        #expect(!bind.contains("127.0.0.1"), "workers in other pods cannot reach \(bind)")
        #expect(!coordinator.line.contains("--insecure"))
        for flag in ["--curve-key", "--allow"] {
            let path = try #require(Self.value(of: flag, in: coordinator.line), "the coordinator needs \(flag)")
            let volume = Self.volume(holding: path, container: coordinator.container, document: coordinator.document)
            #expect(volume?["secret"] != nil, "\(flag) \(path) must come from a Secret, comes from \(volume ?? [:])")
        }
    }

    @Test func workersReachTheCoordinatorThroughItsServiceWithKeysFromASecret() throws {
        let (all, coordinators, workers) = try Self.workloads()
        let coordinator = try #require(coordinators.first)
        let worker = try #require(workers.first, "a workload runs `crossrec worker`")
        #expect(worker.kind == "Deployment", "workers scale as a Deployment")
        let connect = try #require(Self.value(of: "--connect", in: worker.line))
        let hostAndPort = connect.replacingOccurrences(of: "tcp://", with: "").split(separator: ":").map(String.init)
        try #require(hostAndPort.count == 2, "--connect \(connect) is not tcp://HOST:PORT")
        let service = try #require(
            all.first {
                $0["kind"] as? String == "Service"
                    && ($0["metadata"] as? [String: Any])?["name"] as? String == hostAndPort[0]
            },
            "--connect \(connect) names no Service in cluster/k8s")
        let serviceSpec = service["spec"] as? [String: Any] ?? [:]
        let selector = serviceSpec["selector"] as? [String: String] ?? [:]
        #expect(
            !selector.isEmpty && selector.allSatisfy { coordinator.podLabels[$0.key] == $0.value },
            "the Service selects the coordinator pod")
        #expect(
            !selector.allSatisfy { worker.podLabels[$0.key] == $0.value },
            "the Service must not also select worker pods")
        let ports = serviceSpec["ports"] as? [[String: Any]] ?? []
        let port = try #require(
            ports.first { "\($0["port"] ?? "")" == hostAndPort[1] }, "the Service exposes port \(hostAndPort[1])")
        let containerPorts = coordinator.container["ports"] as? [[String: Any]] ?? []
        let target = "\(port["targetPort"] ?? port["port"] ?? "")"
        let bindPort = Self.value(of: "--bind", in: coordinator.line)?.split(separator: ":").last.map(String.init)
        #expect(
            containerPorts.contains { "\($0["name"] ?? "")" == target || "\($0["containerPort"] ?? "")" == target }
                && containerPorts.contains { "\($0["containerPort"] ?? "")" == bindPort },
            "Service targetPort \(target) and --bind port \(bindPort ?? "?") match the coordinator's containerPort")
        for flag in ["--server-key", "--curve-key"] {
            let path = try #require(Self.value(of: flag, in: worker.line), "workers need \(flag)")
            let volume = Self.volume(holding: path, container: worker.container, document: worker.document)
            #expect(volume?["secret"] != nil, "\(flag) \(path) must come from a Secret")
        }
    }

    @Test func theKustomizationListsEveryManifestAndNoSecrets() throws {
        let kustomization = try #require(try Self.documents(Self.cluster + "/k8s/kustomization.yaml").first)
        let listed = Set((kustomization["resources"] as? [String]) ?? [])
        for file in Self.manifestFiles.map({ ($0 as NSString).lastPathComponent }) where file != "kustomization.yaml" {
            let isExample = file.contains(".example.")
            #expect(
                listed.contains(file) != isExample,
                "\(file): kustomization.yaml must list every manifest except *.example.yaml")
        }
    }

    @Test func noRealKeysAreCommitted() throws {
        // A CURVE key is 40 characters of Z85; placeholders in the example Secret are not.
        let key = try NSRegularExpression(
            pattern:
                #"(?<![0-9A-Za-z.\-:+=^!/*?&<>()\[\]{}@%$#])[0-9A-Za-z.\-:+=^!/*?&<>()\[\]{}@%$#]{40}(?![0-9A-Za-z.\-:+=^!/*?&<>()\[\]{}@%$#])"#
        )
        for file in Self.files(
            under: Self.cluster, suffixes: [".yaml", ".yml", ".service", ".example", ".sbatch", ".sh", ".md"])
        {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            for line in text.split(separator: "\n").map(String.init) {
                let candidates = key.matches(in: line, range: NSRange(location: 0, length: (line as NSString).length))
                    .map { (line as NSString).substring(with: $0.range) }
                    .filter {
                        $0.contains(where: \.isNumber) && $0.contains(where: \.isUppercase)
                            && $0.contains(where: \.isLowercase)
                    }
                #expect(
                    candidates.isEmpty, "\((file as NSString).lastPathComponent): looks like a CURVE key: \(candidates)"
                )
            }
        }
    }

    @Test func theSweepInTheConfigMapValidates() throws {
        let documents = try Self.documents(Self.cluster + "/k8s/sweep-configmap.yaml")
        let sweep = try #require((documents.first?["data"] as? [String: String])?["sweep.yaml"])
        let folder = try TemporaryFolder()
        try folder.write("sweep.yaml", sweep)
        let result = try CLI.run(["sweep", "run", folder.file("sweep.yaml"), "--dry-run"])
        #expect(result.status == 0, "\(result.stderr)")
    }

    // MARK: systemd and shell

    @Test func systemdUnitsKeepTheStoreAndRestart() throws {
        let coordinator = try String(
            contentsOfFile: Self.cluster + "/systemd/crossrec-coordinator.service", encoding: .utf8)
        let worker = try String(contentsOfFile: Self.cluster + "/systemd/crossrec-worker@.service", encoding: .utf8)
        func settings(_ unit: String) -> [String: [String]] {
            var result: [String: [String]] = [:]
            for line in unit.replacingOccurrences(of: "\\\n", with: " ").split(separator: "\n")
            where !line.hasPrefix("#") {
                guard let equals = line.firstIndex(of: "=") else { continue }
                result[String(line[..<equals]), default: []].append(String(line[line.index(after: equals)...]))
            }
            return result
        }
        let c = settings(coordinator)
        let w = settings(worker)
        let stateDirectory = try #require(
            c["StateDirectory"]?.first, "the coordinator needs a StateDirectory for its store")
        let store = c["Environment"]?.first { $0.hasPrefix("CROSSREC_STORE=") }?.dropFirst("CROSSREC_STORE=".count)
        #expect(
            store?.hasPrefix("/var/lib/\(stateDirectory)/") == true,
            "the default store \(store ?? "?") lies in the StateDirectory")
        #expect(c["ExecStart"]?.first?.contains("--store ${CROSSREC_STORE}") == true)
        #expect(c["Restart"] == ["on-failure"] && w["Restart"] == ["always"])
        for unit in [c, w] {
            #expect(
                unit["DynamicUser"] == ["yes"] && unit["ProtectSystem"] == ["strict"]
                    && unit["NoNewPrivileges"] == ["yes"])
            // Every %d/NAME in ExecStart is a loaded credential.
            let exec = unit["ExecStart"]?.first ?? ""
            let credentials = Set(
                (unit["LoadCredential"] ?? []).compactMap { $0.split(separator: ":").first.map(String.init) })
            for word in exec.split(separator: " ") where word.hasPrefix("%d/") {
                #expect(credentials.contains(String(word.dropFirst(3))), "\(word) is not a LoadCredential")
            }
        }
    }

    @Test(arguments: ["netns-test.sh", "attempt-history.sh", "slurm/sweep.sbatch", "slurm/local-cluster-test.sh"])
    func shellScriptsParse(_ name: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-n", Self.cluster + "/" + name]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "bash -n \(name)")
    }
}
