import Foundation

/// The dashboard's settings: the targets the interactions page measures against, the thresholds that mark a
/// disclosure category empty or weak, the auto-refresh of the alerts page and where Chart.js is read from.
///
/// Loaded from a JSON file given to `chancery server --dashboard-config FILE` (every member optional; README,
/// "Dashboard"), e.g. `{"replyInTimeTarget": 1.0, "satisfactionTarget": 0.8, "weakCategoryBelow": 5}`.
/// The defaults are Hengdong county's targets (SCENARIO.md): replies in time 100 %, satisfaction at least 80 %.
public struct DashboardConfiguration: Sendable, Codable, Hashable {
    /// Target share of letters, consultations, complaints and disclosure requests answered in time (fraction 0…1).
    public var replyInTimeTarget: Double
    /// Target share of service ratings (好差评) of levels 1–3 (fraction 0…1).
    public var satisfactionTarget: Double
    /// A region's disclosure category with at most this many published documents is empty (highlighted red).
    public var emptyCategoryAtMost: Int
    /// A category with fewer published documents than this (and more than ``emptyCategoryAtMost``) is weak (amber).
    public var weakCategoryBelow: Int
    /// Seconds between automatic reloads of the alerts page (meta refresh; 0: none).
    public var alertsRefreshSeconds: Int
    /// The Chart.js file served at `/assets/chart.js` (Debian's libjs-chart.js); when absent the pages show their
    /// tables and say charts are unavailable.
    public var chartScriptPath: String
    /// Mark the session cookie Secure even when the request does not say it came over https (`X-Forwarded-Proto`).
    public var alwaysSecureCookie: Bool

    public init(replyInTimeTarget: Double = 1.0, satisfactionTarget: Double = 0.8, emptyCategoryAtMost: Int = 0,
                weakCategoryBelow: Int = 5, alertsRefreshSeconds: Int = 60,
                chartScriptPath: String = "/usr/share/javascript/chart.js/chart.min.js", alwaysSecureCookie: Bool = false) {
        self.replyInTimeTarget = replyInTimeTarget
        self.satisfactionTarget = satisfactionTarget
        self.emptyCategoryAtMost = emptyCategoryAtMost
        self.weakCategoryBelow = weakCategoryBelow
        self.alertsRefreshSeconds = alertsRefreshSeconds
        self.chartScriptPath = chartScriptPath
        self.alwaysSecureCookie = alwaysSecureCookie
    }

    enum CodingKeys: String, CodingKey {
        case replyInTimeTarget, satisfactionTarget, emptyCategoryAtMost, weakCategoryBelow, alertsRefreshSeconds, chartScriptPath, alwaysSecureCookie
    }

    public init(from decoder: any Decoder) throws {
        let d = DashboardConfiguration()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        replyInTimeTarget = try c.decodeIfPresent(Double.self, forKey: .replyInTimeTarget) ?? d.replyInTimeTarget
        satisfactionTarget = try c.decodeIfPresent(Double.self, forKey: .satisfactionTarget) ?? d.satisfactionTarget
        emptyCategoryAtMost = try c.decodeIfPresent(Int.self, forKey: .emptyCategoryAtMost) ?? d.emptyCategoryAtMost
        weakCategoryBelow = try c.decodeIfPresent(Int.self, forKey: .weakCategoryBelow) ?? d.weakCategoryBelow
        alertsRefreshSeconds = try c.decodeIfPresent(Int.self, forKey: .alertsRefreshSeconds) ?? d.alertsRefreshSeconds
        chartScriptPath = try c.decodeIfPresent(String.self, forKey: .chartScriptPath) ?? d.chartScriptPath
        alwaysSecureCookie = try c.decodeIfPresent(Bool.self, forKey: .alwaysSecureCookie) ?? d.alwaysSecureCookie
        try validate()
    }

    /// - Throws: ``DashboardConfigurationError`` naming the member out of range.
    public func validate() throws {
        guard (0...1).contains(replyInTimeTarget) else { throw DashboardConfigurationError("replyInTimeTarget must be a fraction from 0 to 1") }
        guard (0...1).contains(satisfactionTarget) else { throw DashboardConfigurationError("satisfactionTarget must be a fraction from 0 to 1") }
        guard emptyCategoryAtMost >= 0, weakCategoryBelow >= 0 else { throw DashboardConfigurationError("category thresholds must not be negative") }
        guard alertsRefreshSeconds >= 0 else { throw DashboardConfigurationError("alertsRefreshSeconds must not be negative") }
    }

    /// Reads a configuration file (JSON).
    /// - Throws: the file's read error, a decoding error, or ``DashboardConfigurationError``.
    public static func load(contentsOf url: URL) throws -> DashboardConfiguration {
        try JSONDecoder().decode(DashboardConfiguration.self, from: Data(contentsOf: url))
    }
}

/// A dashboard configuration value out of range.
public struct DashboardConfigurationError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
