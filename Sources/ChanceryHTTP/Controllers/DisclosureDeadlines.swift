import ChanceryDomain
import ChanceryPostgres
import Foundation

/// The reply deadline a disclosure request would have without its extension (延期答复), which the read model does not
/// store: `disclosure.requests.deadline` is the deadline in force, extended when an extension was granted.
enum DisclosureDeadlines {
    /// The deadline each extended request would have without its extension, by subject (`YYYY-MM-DD`), from the
    /// reply clock the projector keeps (``DisclosureRequestClock``) on the region's calendar (the bundled
    /// ``RegionCalendars``); requests whose clock is stopped (a correction awaited) are left out.
    /// - Parameters:
    ///   - region: only requests of this division code; nil for all.
    ///   - request: only this request (its subject); nil for all.
    /// - Throws: when PostgreSQL cannot be read.
    static func unextended(region: String?, request: String?, database: PostgresClient) async throws -> [String: String] {
        let rows = try await database.query(
            """
            SELECT subject, region, clock::text FROM disclosure.requests
            WHERE extended_at IS NOT NULL AND clock IS NOT NULL AND (\(region)::text IS NULL OR region = \(region)) AND (\(request)::text IS NULL OR subject = \(request))
            """)
        var out: [String: String] = [:]
        for row in rows {
            let subject = try row.decode(String.self, at: 0)
            guard let calendar = RegionCalendars.shared.calendar(for: try row.decode(String.self, at: 1)),
                  var clock = try? JSONDecoder().decode(DisclosureRequestClock.self, from: Data(try row.decode(String.self, at: 2).utf8))
            else { continue }
            clock.extensionGranted = nil
            if let deadline = clock.deadline(calendar: calendar) { out[subject] = deadline.description }
        }
        return out
    }
}
