import ChanceryDomain

/// Replays events through the lifecycle and catalog rules the gateway applies; returns the first violations.
/// (The same check as ChanceryScenarioTests' helper, for the importer's events.)
func lifecycleViolations(_ events: [CloudEvent]) -> [String] {
    var states: [String: AggregateState] = [:]
    var violations: [String] = []
    for event in events {
        let state = states[event.subject]
        do {
            _ = try Lifecycle.decide(event, given: state)
            try CatalogRules.check(event, given: state, item: CatalogRules.itemStream(for: event, given: state).flatMap { states[$0] })
        } catch {
            violations.append("\(event.id): \(error)")
            if violations.count >= 10 { break }
        }
        states[event.subject] = Lifecycle.evolve(state, event)
    }
    return violations
}
