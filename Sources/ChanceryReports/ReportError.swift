/// Why a report cannot be produced. Each case says which input is wrong, so the HTTP layer can answer 400/404 with a
/// precise problem and the command line can print it.
public enum ReportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A parameter is malformed: its name and what it must be.
    case invalidParameter(name: String, expected: String)
    /// The supplement file cannot be used: which file (or region/year) and why.
    case invalidSupplement(String)
    /// The data break the identity of table 三 (一 + 二 = 三(七) + 四) in one applicant column: the column and the
    /// figures, naming the cells.
    case identityBroken(column: String, row: String, detail: String)
    /// Nothing to report: no disclosure request, document or case of the region in or before the year.
    case noData(String)

    public var description: String {
        switch self {
        case .invalidParameter(let name, let expected): "\(name) must be \(expected)"
        case .invalidSupplement(let why): "the annual report supplement cannot be used: \(why)"
        case .identityBroken(let column, let row, let detail):
            "table 三 breaks its identity in column \(column), row \(row): \(detail)"
        case .noData(let why): why
        }
    }
}
