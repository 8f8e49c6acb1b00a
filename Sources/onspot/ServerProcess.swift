import ArgumentParser
import Foundation
import Logging
import OnSpotCore
import OnSpotServer
import Vapor

/// The server's commands (serve, migrate, jobs, worker, routes) run through Vapor's own command system, after the
/// configuration is loaded: `arguments` are what followed `onspot`, as Vapor expects them.
enum ServerProcess {
    static func run(_ arguments: [String]) async throws {
        let (flags, vaporArguments): (AppConfiguration.Flags, [String])
        do {
            (flags, vaporArguments) = try AppConfiguration.extractFlags(["onspot"] + arguments)
        } catch {
            FileHandle.standardError.write(Data("onspot: \(error)\n".utf8))
            throw ExitCode(64)
        }
        let config: AppConfiguration
        do {
            config = try AppConfiguration.load(environment: ProcessInfo.processInfo.environment, flags: flags)
        } catch {
            FileHandle.standardError.write(Data("onspot: configuration refused: \(error)\n".utf8))
            throw ExitCode(78)
        }
        var env = try Environment.detect(arguments: vaporArguments)
        try bootstrapLogging(config.logFormat, from: &env)
        let app = try await Application.make(env)
        do {
            try await configure(app, config)
            app.registerOnSpotCommands()
            let command = vaporArguments.dropFirst().first { !$0.hasPrefix("-") } ?? "serve"
            if command == "serve" || command == "worker" || command == "demo" {
                try await app.autoMigrate().get()
                try await tuneSQLite(app)
            }
            if command == "serve" || command == "worker" { try OnSpotServer.startLiveRelay(app) }
            if command == "serve" {
                // Webhook events stored before a crash are processed now, then swept while serving; with
                // --no-background, by `onspot worker` instead.
                if flags.noBackground {
                    OnSpotServer.disableBackgroundWork(app)
                } else {
                    try await OnSpotServer.startBackgroundWork(app)
                }
                OnSpotServer.startLiveRechecks(app)
                if config.seedDemo {
                    try await DemoSeed.run(on: app, now: AppClock.now)
                    let host = value(of: ["--hostname", "-H"], in: vaporArguments) ?? "127.0.0.1"
                    let port = value(of: ["--port", "-p"], in: vaporArguments) ?? "8080"
                    print("OnSpot Connect demo: http://\(host):\(port)/")
                    for login in DemoSeed.logins { print("  \(login.role): \(login.email) / \(login.password)") }
                }
            }
            try await app.execute()
            try await app.asyncShutdown()
        } catch {
            app.logger.report(error: error)
            try? await app.asyncShutdown()
            throw ExitCode(1)
        }
    }

    static func value(of names: [String], in arguments: [String]) -> String? {
        for (i, arg) in arguments.enumerated() {
            for name in names {
                if arg == name, i + 1 < arguments.count { return arguments[i + 1] }
                if arg.hasPrefix(name + "=") { return String(arg.dropFirst(name.count + 1)) }
            }
        }
        return nil
    }
}
