import ChanceryDomain
import Testing

@Suite("Calendar month (YYYY-MM)")
struct CalendarMonthTests {
    @Test func parsesMonthsAndTheirDays() {
        #expect(CalendarMonth("2025-02")?.lastDay.description == "2025-02-28")
        #expect(CalendarMonth("2024-02")?.lastDay.description == "2024-02-29")
        #expect(CalendarMonth("2024-12")?.lastDay.description == "2024-12-31")
        #expect(CalendarMonth("2025-06")?.firstDay.description == "2025-06-01")
        #expect(CalendarMonth("0001-01")?.description == "0001-01")
        #expect(CalendarMonth("2025-13") == nil)
        #expect(CalendarMonth("2025-00") == nil)
        #expect(CalendarMonth("2025-1") == nil)
        #expect(CalendarMonth("２０２５-01") == nil)
        // PostgreSQL's dates have no year 0 (schemathesis found the 500 it caused in the metrics).
        #expect(CalendarMonth("0000-01") == nil)
    }
}
