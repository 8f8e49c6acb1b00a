import Foundation

/// A closed set of values kept in the database, sent in events and read in message keys as their raw string.
/// Interpolating one ("case.status.\(status)") gives that raw string, never the Swift case name, so a typed value
/// reads exactly as the string column it replaced. Decoding an unknown string is an error, never a default.
public protocol StoredCode: RawRepresentable, CaseIterable, Codable, Hashable, Sendable, CustomStringConvertible
where RawValue == String {}

extension StoredCode {
    public var description: String { rawValue }
}
