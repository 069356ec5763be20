internal import RecText

extension ContentModel {
    /// Topic shares of every item's text from LDA fitted on the catalog's texts.
    static func ldaBlock(texts: [String], hyperparameters h: Hyperparameters) throws(ModelError) -> DenseBlock {
        throw ModelError(model: Self.name, message: "features 'lda' are not available in this build yet")
    }
}
