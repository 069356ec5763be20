// Two-tower training epochs at MovieLens-100K sizes on random pairs, for docs/recnn.md "Speed".
// Not part of the package; build and run from the repository root:
//   swiftc -O -parse-as-library -module-name RecNNBench -I Sources/CLinearAlgebra Sources/RecNN/*.swift \
//     docs/recnn-bench.swift -lopenblas -llapacke -o .build/recnn-bench && .build/recnn-bench
import CLinearAlgebra
import Foundation

@main
enum RecNNBench {
    static func main() {
        openblas_set_num_threads(1)
        let (userCount, itemCount, genreCount, pairCount) = (943, 1682, 19, 100_000)
        let (dimension, batchSize) = (64, 256)
        var rng = NNRandom(seed: 1)
        let pairUsers = (0..<pairCount).map { _ in Int32(rng.nextInt(below: userCount)) }
        let pairItems = (0..<pairCount).map { _ in Int32(rng.nextInt(below: itemCount)) }
        let itemGenres = (0..<itemCount).map { _ in (0..<3).map { _ in Int32(rng.nextInt(below: genreCount)) } }

        var users = Embedding(count: userCount, dimension: dimension, rng: &rng)
        var items = Embedding(count: itemCount, dimension: dimension, rng: &rng)
        var genres = Embedding(count: genreCount, dimension: dimension, rng: &rng)
        var userTower = MLP(
            widths: [dimension, 128, dimension], activation: .gelu, layerNorm: true, dropout: 0.1, rng: &rng)
        var itemTower = MLP(
            widths: [2 * dimension, 128, dimension], activation: .gelu, layerNorm: true, dropout: 0.1, rng: &rng)
        var userNorm = L2Normalize()
        var itemNorm = L2Normalize()
        let optimizer = AdamW(learningRate: 1e-3)
        let softmax = InBatchSoftmax(temperature: 0.1)
        let logQ = [Float](repeating: 0, count: batchSize)

        var order = Array(0..<pairCount)
        let start = Date()
        for epoch in 0..<3 {
            rng.shuffle(&order)
            var total: Float = 0
            var batches = 0
            for first in stride(from: 0, through: pairCount - batchSize, by: batchSize) {
                let batch = order[first..<first + batchSize]
                let batchUsers = batch.map { pairUsers[$0] }
                let batchItems = batch.map { pairItems[$0] }
                var offsets = [0]
                var genreIDs: [Int32] = []
                for item in batchItems {
                    genreIDs += itemGenres[Int(item)]
                    offsets.append(genreIDs.count)
                }
                let u = userNorm.forward(
                    userTower.forward(users.forward(ids: batchUsers), training: true), training: true)
                let itemInput = Matrix.concatenatingColumns([
                    items.forward(ids: batchItems), genres.forwardBags(offsets: offsets, ids: genreIDs),
                ])
                let v = itemNorm.forward(itemTower.forward(itemInput, training: true), training: true)
                let result = softmax.loss(users: u, items: v, logQ: logQ, itemIDs: batchItems)
                total += result.loss
                batches += 1
                users.backward(ids: batchUsers, gradOutput: userTower.backward(userNorm.backward(result.userGradient)))
                let parts = itemTower.backward(itemNorm.backward(result.itemGradient)).splittingColumns([
                    dimension, dimension,
                ])
                items.backward(ids: batchItems, gradOutput: parts[0])
                genres.backwardBags(offsets: offsets, ids: genreIDs, gradOutput: parts[1])
                optimizer.step(&users)
                optimizer.step(&items)
                optimizer.step(&genres)
                optimizer.step(&userTower)
                optimizer.step(&itemTower)
            }
            let seconds = Date().timeIntervalSince(start) / Double(epoch + 1)
            print("epoch \(epoch): \(seconds) s per epoch so far, mean loss \(total / Float(batches))")
        }
    }
}
