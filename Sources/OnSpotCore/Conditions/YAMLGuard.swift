import CYaml
import Foundation

/// Limits checked on an agency's YAML before it is composed. Anchors and aliases are refused outright: a 4 KB
/// "billion laughs" of nested aliases expands to billions of nodes once walked. Tokens and nesting are bounded so a
/// pack can neither exhaust memory nor recurse deep in the composer. libyaml's own scanner (Yams' C core) reads the
/// tokens, so quoted `&` and `*` in text are never mistaken for anchors.
enum YAMLGuard {
    static let maximumTokens = 50_000
    static let maximumDepth = 32

    struct Refusal: Error { let line: Int; let message: String }

    static func check(_ yaml: String) throws(Refusal) {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { throw Refusal(line: 1, message: "the YAML reader could not start") }
        defer { yaml_parser_delete(&parser) }
        let bytes = Array(yaml.utf8)
        var outcome: Refusal?
        bytes.withUnsafeBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            var tokens = 0, depth = 0
            while outcome == nil {
                var token = yaml_token_t()
                guard yaml_parser_scan(&parser, &token) == 1 else {
                    // Syntax errors are reported by the composer with its own message.
                    return
                }
                defer { yaml_token_delete(&token) }
                let line = Int(token.start_mark.line) + 1
                tokens += 1
                switch token.type {
                case YAML_STREAM_END_TOKEN: return
                case YAML_ANCHOR_TOKEN, YAML_ALIAS_TOKEN:
                    outcome = Refusal(line: line, message: "anchors and aliases (& and *) are not accepted in a rule pack; write each value out")
                case YAML_BLOCK_SEQUENCE_START_TOKEN, YAML_BLOCK_MAPPING_START_TOKEN, YAML_FLOW_SEQUENCE_START_TOKEN, YAML_FLOW_MAPPING_START_TOKEN:
                    depth += 1
                    if depth > maximumDepth { outcome = Refusal(line: line, message: "nested more than \(maximumDepth) levels deep") }
                case YAML_BLOCK_END_TOKEN, YAML_FLOW_SEQUENCE_END_TOKEN, YAML_FLOW_MAPPING_END_TOKEN:
                    depth -= 1
                default: break
                }
                if tokens > maximumTokens {
                    outcome = Refusal(line: line, message: "more than \(maximumTokens) YAML tokens; a rule pack is far smaller")
                }
            }
        }
        if let outcome { throw outcome }
    }
}
