import ChanceryDomain

extension RegionCalendars {
    /// The calendar of `event`'s region (nil when none is configured) and the event's day in it: the date of its
    /// `time` in the region's time zone, or the UTC date without a calendar.
    /// - Throws: ``RFC3339Timestamp/Failure`` for an unparseable `time` (never for a validated event).
    func calendarAndDay(of event: CloudEvent) throws -> (calendar: WorkingDayCalendar?, day: CivilDate) {
        let calendar = calendar(for: event.region)
        let instant = try RFC3339Timestamp(parsing: event.time)
        return (calendar, calendar?.civilDate(of: instant) ?? instant.civilDate(atOffsetSeconds: 0))
    }
}
