import Fluent
import Vapor

/// `onspot migrate`: applies pending migrations without asking (CI and deploy scripts have no terminal).
struct MigrateNowCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "Applies pending database migrations." }

    func run(using context: CommandContext, signature: Signature) async throws {
        try await context.application.autoMigrate().get()
        context.console.print("Migrations applied.")
    }
}

extension Application {
    /// Registers the project's commands beside Vapor's `serve`.
    public func registerOnSpotCommands() {
        asyncCommands.use(MigrateNowCommand(), as: "migrate")
    }
}
