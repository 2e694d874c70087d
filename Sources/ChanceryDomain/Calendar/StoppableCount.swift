/// A running count of days from an exclusive start, with excluded date ranges (finished
/// pauses) and an optional stop (a pause still open). The arithmetic behind ``CaseClock``,
/// ``DisclosureRequestClock`` and ``InteractionClock``.
///
/// A day counts when it is after `start`, is a day of the unit, lies in no excluded range
/// and is not after `stoppedAfter`.
struct StoppableCount: Sendable {
    /// The day before the first day that can count (acceptance, receipt, restart).
    let start: CivilDate
    /// Excluded days, sorted and merged (see ``merged(_:)``).
    let excluded: [ClosedRange<CivilDate>]
    /// The last day that can count while a pause is open (its start date), or `nil`.
    let stoppedAfter: CivilDate?

    init(start: CivilDate, excluded: [ClosedRange<CivilDate>], stoppedAfter: CivilDate?) {
        self.start = start
        self.excluded = Self.merged(excluded)
        self.stoppedAfter = stoppedAfter
    }

    /// Counted days in (`start`, `date`].
    func used(through date: CivilDate, _ counting: DayCounting) -> Int {
        var end = date
        if let stop = stoppedAfter, stop < end { end = stop }
        guard end > start else { return 0 }
        var used = counting.count(after: start, through: end)
        for range in excluded {
            let lo = max(range.lowerBound, start.adding(days: 1))
            let hi = min(range.upperBound, end)
            if lo <= hi { used -= counting.count(after: lo.adding(days: -1), through: hi) }
        }
        return used
    }

    /// The earliest date on which ``used(through:_:)`` reaches `n`: `start` when `n <= 0`;
    /// `nil` when the count is stopped before reaching it.
    func date(reaching n: Int, _ counting: DayCounting) -> CivilDate? {
        guard n > 0 else { return start }
        var cursor = start
        var remaining = n
        var found: CivilDate?
        for range in excluded where range.upperBound > cursor {
            let candidate = counting.date(adding: remaining, after: cursor)
            if candidate < range.lowerBound {
                found = candidate
                break
            }
            // Counted days before the range: (cursor, range.lowerBound − 1].
            remaining -= counting.count(after: cursor, through: range.lowerBound.adding(days: -1))
            cursor = range.upperBound
        }
        let result = found ?? counting.date(adding: remaining, after: cursor)
        if let stop = stoppedAfter, result > stop { return nil }
        return result
    }

    /// `ranges` sorted and merged (overlapping or adjacent ranges become one), so that no
    /// day is excluded twice.
    static func merged(_ ranges: [ClosedRange<CivilDate>]) -> [ClosedRange<CivilDate>] {
        guard ranges.count > 1 else { return ranges }
        let sorted = ranges.sorted { $0.lowerBound < $1.lowerBound }
        var out: [ClosedRange<CivilDate>] = [sorted[0]]
        for r in sorted.dropFirst() {
            let last = out[out.count - 1]
            if r.lowerBound <= last.upperBound.adding(days: 1) {
                out[out.count - 1] = last.lowerBound...max(last.upperBound, r.upperBound)
            } else {
                out.append(r)
            }
        }
        return out
    }
}
