/// What an agency's API key may do. A read-only key (a reporting tool, a BI export) reads everything the agency's keys
/// read and changes nothing: refused with 403 on every operation that writes.
public enum ApiKeyAccess: String, StoredCode {
    case readWrite = "read_write"
    case readOnly = "read_only"

    /// Operations sent with POST that compute an answer and store nothing: a read-only key may use them.
    public static let computingPaths: Set<String> = ["/api/v1/rights/assessments", "/api/v1/conditions/assessments", "/api/v1/extractions"]

    /// Whether a request with this method to this path is allowed. The path is compared as the router reads it
    /// (empty components dropped: `/api/v1//extractions/` is the extraction).
    public func allows(method: String, path: String) -> Bool {
        switch self {
        case .readWrite: return true
        case .readOnly:
            let routed = "/" + path.split(separator: "/").joined(separator: "/")
            return method == "GET" || method == "HEAD" || (method == "POST" && Self.computingPaths.contains(routed))
        }
    }
}
