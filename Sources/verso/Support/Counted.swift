extension Int {
    /// "1 unit", "2 units", "0 units": summaries read as sentences. `plural` defaults to the
    /// noun with an "s" (every noun the summaries count takes one).
    func counted(_ noun: String, plural: String? = nil) -> String {
        "\(self) \(self == 1 ? noun : plural ?? noun + "s")"
    }
}
