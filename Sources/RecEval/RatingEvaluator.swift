public import RecData

/// Rating-prediction protocol: RMSE and MAE of a model's predictions over the test rows of a split.
///
/// Every test row (u, i, r) is offered to `predict(u, i)` (a model's `predictRating(user:item:)`
/// fits it), and the error e = p − r enters RMSE = sqrt(Σ e² / n) and MAE = Σ |e| / n over the n
/// predicted rows. A row is *cold* when its user or its item has no training row. Cold rows are
/// counted and, by ``ColdRowPolicy``, either offered to the model (which predicts by its own
/// fallback, or returns nil) or skipped. Rows the model returns nil for, or a non-finite value,
/// are skipped and counted. Nothing is dropped silently: see ``RatingEvaluation/Counts``.
/// - Complexity: O(train + test) time plus one `predict` call per offered row; O(users + items)
///   memory.
public struct RatingEvaluator: Sendable {
    public enum ColdRowPolicy: String, Sendable, Codable, CaseIterable {
        /// Offer cold rows to the model: it predicts by its own fallback (or returns nil).
        case predict
        /// Leave cold rows out of RMSE and MAE.
        case skip
    }

    public var coldRows: ColdRowPolicy

    public init(coldRows: ColdRowPolicy = .predict) {
        self.coldRows = coldRows
    }

    /// Evaluates `predict` on `split.test`; errors thrown by `predict` stop the evaluation.
    public func evaluate<E: Error>(
        _ split: Split, predict: (_ user: Int32, _ item: Int32) throws(E) -> Float?
    ) throws(E) -> RatingEvaluation {
        let train = split.train, test = split.test
        let userBound = Int(max(train.users.max() ?? -1, test.users.max() ?? -1)) + 1
        let itemBound = Int(max(train.items.max() ?? -1, test.items.max() ?? -1)) + 1
        var userInTraining = [Bool](repeating: false, count: userBound)
        var itemInTraining = [Bool](repeating: false, count: itemBound)
        for row in 0..<train.count {
            userInTraining[Int(train.users[row])] = true
            itemInTraining[Int(train.items[row])] = true
        }
        // Per user: 0 no test row, 1 test rows but none predicted, 2 at least one predicted.
        var userState = [UInt8](repeating: 0, count: userBound)
        var counts = RatingEvaluation.Counts()
        counts.testRows = test.count
        var accumulator = RatingErrorAccumulator()
        var rows: [Int] = []
        var errors: [Double] = []
        rows.reserveCapacity(test.count)
        errors.reserveCapacity(test.count)
        for row in 0..<test.count {
            let user = test.users[row], item = test.items[row], rating = test.values[row]
            if userState[Int(user)] == 0 { userState[Int(user)] = 1 }
            let coldUser = !userInTraining[Int(user)], coldItem = !itemInTraining[Int(item)]
            if coldUser { counts.coldUserRows += 1 }
            if coldItem { counts.coldItemRows += 1 }
            let cold = coldUser || coldItem
            if cold {
                counts.coldRows += 1
                if coldRows == .skip {
                    counts.coldRowsSkipped += 1
                    continue
                }
            }
            guard let prediction = try predict(user, item) else {
                counts.rowsWithoutPrediction += 1
                continue
            }
            guard prediction.isFinite else {
                counts.nonFinitePredictions += 1
                continue
            }
            if cold { counts.coldRowsPredicted += 1 }
            counts.predictedRows += 1
            userState[Int(user)] = 2
            accumulator.add(predicted: prediction, actual: rating)
            rows.append(row)
            errors.append(Double(prediction) - Double(rating))
        }
        for state in userState {
            if state == 2 { counts.usersEvaluated += 1 } else if state == 1 { counts.usersSkipped += 1 }
        }
        return RatingEvaluation(
            splitName: split.name, coldRowPolicy: coldRows, rmse: accumulator.rmse, mae: accumulator.mae, rows: rows,
            errors: errors, counts: counts)
    }
}
