import Fluent
import Foundation
import OnSpotCore
import Vapor

/// Where call recordings and voicemails live: Twilio keeps the audio, OnSpot keeps its reference. Deleting it is how a
/// recording's retention ends and how an erasure reaches it. `TwilioRecordings` speaks Twilio's REST API over HTTP
/// (tests run it against a stand-in server that speaks the same format).
protocol CallRecordings: Sendable {
    /// Deletes the recording. Returns normally once Twilio holds no such recording (deleted now, or already gone);
    /// throws when that is not known, so it is tried again on the next run.
    func delete(_ recording: TwilioVoice.RecordingReference, authToken: String) async throws
    /// The recording's audio as MP3, for the console's player: nil when Twilio no longer holds it.
    func audio(_ recording: TwilioVoice.RecordingReference, authToken: String, maximumBytes: Int) async throws -> Data?
}

struct CallRecordingsError: Error, CustomStringConvertible {
    let description: String
}

/// `DELETE /2010-04-01/Accounts/{AccountSid}/Recordings/{RecordingSid}.json` with HTTP basic authentication (the
/// account id and the number's auth token): 204 when deleted, 404 with Twilio's error 20404 when it no longer exists.
struct TwilioRecordings: CallRecordings {
    let client: any Client
    let baseURL: String

    func delete(_ recording: TwilioVoice.RecordingReference, authToken: String) async throws {
        var headers = HTTPHeaders()
        headers.basicAuthorization = BasicAuthorization(username: recording.accountSID, password: authToken)
        let url = "\(baseURL)/2010-04-01/Accounts/\(recording.accountSID)/Recordings/\(recording.recordingSID).json"
        let response: ClientResponse
        do {
            response = try await client.send(.DELETE, headers: headers, to: URI(string: url)) { $0.timeout = .seconds(15) }
        } catch {
            throw CallRecordingsError(description: "Twilio unreachable: \(error)")
        }
        if response.status == .noContent || response.status == .ok { return }
        // Gone already, as Twilio says it (error 20404): a 404 from anything else (a wrong base URL) proves nothing.
        if response.status == .notFound, let body = response.body,
            let json = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any], (json["code"] as? Int) == 20404
        {
            return
        }
        throw CallRecordingsError(description: "Twilio answered HTTP \(response.status.code) deleting \(recording.recordingSID)")
    }
}

extension TwilioRecordings {
    /// `GET …/Recordings/{RecordingSid}.mp3` with the same authentication (Twilio enforces it on media URLs).
    func audio(_ recording: TwilioVoice.RecordingReference, authToken: String, maximumBytes: Int) async throws -> Data? {
        var headers = HTTPHeaders()
        headers.basicAuthorization = BasicAuthorization(username: recording.accountSID, password: authToken)
        let url = "\(baseURL)/2010-04-01/Accounts/\(recording.accountSID)/Recordings/\(recording.recordingSID).mp3"
        let response: ClientResponse
        do {
            response = try await client.send(.GET, headers: headers, to: URI(string: url)) { $0.timeout = .seconds(15) }
        } catch {
            throw CallRecordingsError(description: "Twilio unreachable: \(error)")
        }
        if response.status == .notFound { return nil }
        guard response.status == .ok, let body = response.body else {
            throw CallRecordingsError(description: "Twilio answered HTTP \(response.status.code) for \(recording.recordingSID)")
        }
        guard body.readableBytes <= maximumBytes else { throw CallRecordingsError(description: "recording larger than \(maximumBytes) bytes") }
        return Data(body.readableBytesView)
    }
}

extension ChannelEndpoint {
    /// The auth token of a destination's voice line, which Twilio's recordings of it answer to: the active number's,
    /// else the last one's (a line closed since still owns its recordings).
    static func voiceToken(destination: UUID, on db: any Database) async throws -> String? {
        try await ChannelEndpoint.query(on: db).filter(\.$channel == .voice).filter(\.$destination.$id == destination)
            .sort(\.$active, .descending).first()?.appSecret
    }

    /// A destination's active endpoint on a channel: where replies to its travellers go out.
    static func active(_ channel: MessagingChannel, destination: UUID?, on db: any Database) async throws -> ChannelEndpoint? {
        try await ChannelEndpoint.query(on: db).filter(\.$channel == channel).filter(\.$destination.$id == (destination ?? UUID()))
            .filter(\.$active == true).first()
    }
}

struct CallRecordingsKey: StorageKey { typealias Value = any CallRecordings }

extension Application {
    var callRecordings: any CallRecordings {
        get { storage[CallRecordingsKey.self] ?? TwilioRecordings(client: client, baseURL: onspot.twilioBaseURL) }
        set { storage[CallRecordingsKey.self] = newValue }
    }
}
