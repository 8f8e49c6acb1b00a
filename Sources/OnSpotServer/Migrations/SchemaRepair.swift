import SQLKit

/// What additive migrations need to loosen a constraint M001–M011 declared inline, on both databases.
enum SchemaRepair {
    /// Drops PostgreSQL's unique constraint on `table(column)` alone, found by its catalogue entry (Fluent named it).
    static func dropSingleColumnUniqueOnPostgres(_ sql: any SQLDatabase, table: String, column: String) async throws {
        try await sql.raw(
            """
            DO $$ DECLARE c text; BEGIN
              SELECT conname INTO c FROM pg_constraint
               WHERE conrelid = \(literal: table)::regclass AND contype = 'u' AND cardinality(conkey) = 1
                 AND conkey[1] = (SELECT attnum FROM pg_attribute WHERE attrelid = \(literal: table)::regclass AND attname = \(literal: column));
              IF c IS NOT NULL THEN EXECUTE 'ALTER TABLE ' || quote_ident(\(literal: table)) || ' DROP CONSTRAINT ' || quote_ident(c); END IF;
            END $$
            """
        ).run()
    }

    /// SQLite cannot drop a constraint: the table (which no other table may reference) is rebuilt from `definition`,
    /// its rows copied over `columns`.
    static func rebuildOnSQLite(_ sql: any SQLDatabase, table: String, definition: String, columns: String) async throws {
        try await sql.raw("CREATE TABLE \(ident: table + "_rebuilt") (\(unsafeRaw: definition))").run()
        try await sql.raw("INSERT INTO \(ident: table + "_rebuilt") (\(unsafeRaw: columns)) SELECT \(unsafeRaw: columns) FROM \(ident: table)").run()
        try await sql.raw("DROP TABLE \(ident: table)").run()
        try await sql.raw("ALTER TABLE \(ident: table + "_rebuilt") RENAME TO \(ident: table)").run()
    }
}
