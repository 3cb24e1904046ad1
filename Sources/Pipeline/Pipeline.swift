import TranslationModel

/// A step of the prepare pipeline: takes a unit and returns it transformed.
public protocol Stage: Sendable {
    /// Transforms one unit.
    func process(_ unit: Unit) throws -> Unit
}
