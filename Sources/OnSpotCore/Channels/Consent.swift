import Foundation

/// What a traveller consents to (GDPR article 7): their calls being recorded, activity recommendations, and alerts
/// (flight disruptions, severe weather) sent without their asking.
public enum ConsentKind: String, StoredCode {
    case callRecording = "call_recording"
    case recommendations
    case alerts
}

/// How a consent was given or withdrawn: the agency's form or API, a key pressed on the line, a word written, or the
/// traveller's erasure.
public enum ConsentSource: String, StoredCode {
    case form, api, keypress, keyword, erasure
}

/// A message that withdraws consent to the messages OnSpot sends unasked (recommendations and alerts): the word alone (any case, accents, surrounding punctuation),
/// in the product's three languages and English: STOP, ARRÊT, PARAR, UNSUBSCRIBE. "stop the car" is a message.
public enum StopKeyword {
    static let words: Set<String> = ["stop", "arret", "arrete", "arreter", "parar", "unsubscribe", "desabonner", "desinscrire"]

    public static func matches(_ text: String?) -> Bool {
        guard let text, text.count <= 40 else { return false }
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            .trimmingCharacters(in: CharacterSet.whitespacesAndNewlines.union(.punctuationCharacters).union(.symbols).union(.nonBaseCharacters))
        return words.contains(folded)
    }
}
