import ChanceryPostgres
import Testing

@Suite("PostgresQuery: values are bound, never spliced")
struct QueryTests {
    @Test func interpolatedValuesBecomeNumberedParameters() {
        let region = "430424'; DROP TABLE approval.cases; --"
        let missing: String? = nil
        let query: PostgresQuery = "SELECT * FROM \(unescaped: "approval.cases") WHERE region = \(region) AND status = \(missing) LIMIT \(50)"
        #expect(query.sql == "SELECT * FROM approval.cases WHERE region = $1 AND status = $2 LIMIT $3")
        #expect(query.binds.count == 3)
        #expect(query.binds[0]?.postgresText == region)
        #expect(query.binds[1] == nil)
        #expect(query.binds[2]?.postgresText == "50")
        #expect(!query.description.contains("DROP"), "the description never shows bound values")
    }

    @Test func literalsAndNamedSplicesCarryNoParameters() {
        let literal: PostgresQuery = "SELECT count(*) FROM audit.events"
        #expect(literal.sql == "SELECT count(*) FROM audit.events")
        #expect(literal.binds.isEmpty)
        let named: PostgresQuery = "DROP SCHEMA \(identifier: #"replay "2025""#) CASCADE"
        #expect(named.sql == #"DROP SCHEMA "replay ""2025""" CASCADE"#)
        #expect(named.binds.isEmpty)
    }

    @Test func builtStatementsKeepTheirOwnPlaceholders() {
        let query = PostgresQuery(unsafeSQL: "SELECT $1::int + $2::int", binds: [1, Int?.none])
        #expect(query.sql == "SELECT $1::int + $2::int")
        #expect(query.binds.map { $0?.postgresText } == ["1", nil])
    }
}
