import ArgumentParser

@main
struct Crossrec: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crossrec",
        abstract: "Cross-domain recommendation and distributed hyperparameter sweeps.",
        discussion: """
            crossrec learns one user representation from interactions on several platforms (movie \
            ratings, news clicks, or any two domains whose users are linked) and sweeps its models' \
            hyperparameters across worker processes.

            Start here:
              crossrec sweep run sweeps/quickstart.yaml --workers 4
              crossrec train --synthetic --model ease
              crossrec compare --synthetic --model hybrid --baseline ease
              crossrec ope --synthetic --model content --model popularity
              crossrec analyze --synthetic --users 3000
              crossrec recommend --synthetic --user 1
              crossrec topics --synthetic --k 14
              crossrec data generate --output out/synthetic
              crossrec models fetch all-MiniLM-L6-v2
              crossrec embed ml-100k --output out/movies.npy
            """,
        version: CrossrecVersion.current,
        subcommands: [
            DataCommand.self, ModelsCommand.self, EmbedCommand.self, TopicsCommand.self, TrainCommand.self,
            CompareCommand.self, OffPolicyCommand.self, AnalyzeCommand.self, RecommendCommand.self, SweepCommand.self, CoordinatorCommand.self,
            WorkerCommand.self,
            LeaderboardCommand.self, DashboardCommand.self, SimulateCommand.self, KeysCommand.self,
        ]
    )
}

enum CrossrecVersion {
    static let current = "0.1.0"
}
