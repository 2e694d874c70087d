import ChanceryDomain
import ChanceryPostgres
import Logging
import Testing

/// The region → time zone rule has one source (``RegionCalendars/timeZoneIdentifier(for:)``); its SQL form, used by
/// queries that span regions, must give the same zone for every kind of code.
@Suite("Region time zones in SQL")
struct RegionTimeZoneTests {
    @Test("timeZoneSQL gives what timeZoneIdentifier gives: China, Ontario, an explicit entry, unknown codes")
    func sqlEqualsSwift() async throws {
        let shanghai = try WorkingDayCalendar.bundled("CN"), toronto = try WorkingDayCalendar.bundled("CA-ON")
        let calendars = RegionCalendars(calendars: ["CN": shanghai, "CA-ON": toronto], explicit: ["X-1": "CA-ON"])
        let regions = ["430424", "110101", "810000", "3524002", "3624002", "990000", "43042", "4304240", "X-1", "it's"]
        let db = try await TestDatabase.create()
        let client = PostgresClient(url: db.url, maxConnections: 1, logger: Logger(label: "tz"))
        do {
            let rows = try await client.query(
                "SELECT region, \(unescaped: calendars.timeZoneSQL(regionColumn: "region")) FROM unnest(\(regions)::text[]) AS r(region)")
            let sql = Dictionary(uniqueKeysWithValues: try rows.map { (try $0.decode(String.self, at: 0), try $0.decode(String.self, at: 1)) })
            for region in regions {
                #expect(sql[region] == calendars.timeZoneIdentifier(for: region), "\(region)")
            }
            #expect(sql["430424"] == "Asia/Shanghai")
            #expect(sql["3524002"] == "America/Toronto")
            #expect(sql["X-1"] == "America/Toronto")
            #expect(sql["990000"] == "UTC")
        } catch {
            await client.shutdown(); await db.drop(); throw error
        }
        await client.shutdown()
        await db.drop()
    }
}
