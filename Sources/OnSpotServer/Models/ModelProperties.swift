import FluentKit

// Every model lists its property wrappers itself. FluentKit finds them by reflection otherwise, on every row read or
// written, which was most of a page's time at a realistic size (BENCHMARKS.md, issue 20). ModelPropertiesTests
// compares each list with the reflected one, so a field added to a model and not here fails the tests.
// Written by scripts/generate-model-properties.py.

extension Agency {
    var properties: [any AnyProperty] {
        [
            $id, $name, $legalName, $registrationNumber, $address, $countryCode, $contactName, $contactEmail, $contactPhone, $currency, $timeZone,
            $language, $plan, $status, $closedAt, $brandDisplayName, $brandColour, $brandLogo, $brandLogoMime, $escalationContact,
            $approvalDelayMinutes, $vatNumber, $refundPreference, $createdAt
        ]
    }
}

extension User {
    var properties: [any AnyProperty] {
        [$id, $agency, $role, $email, $name, $passwordHash, $language, $active, $createdAt, $lastLoginAt, $phone, $onDuty, $credentialsChangedAt]
    }
}

extension ExpertDestination {
    var properties: [any AnyProperty] { [$id, $user, $destination] }
}

extension ScopeVersion {
    var properties: [any AnyProperty] { [$id, $agency, $version, $rules, $createdAt, $createdBy] }
}

extension ApiKey {
    var properties: [any AnyProperty] { [$id, $agency, $name, $prefix, $keyHash, $createdAt, $createdBy, $revokedAt, $lastUsedAt, $access] }
}

extension PasswordReset {
    var properties: [any AnyProperty] { [$id, $user, $tokenHash, $expiresAt, $usedAt, $createdAt] }
}

extension LoginAttempt {
    var properties: [any AnyProperty] { [$id, $email, $ip, $succeeded, $createdAt] }
}

extension IdempotencyRecord {
    var properties: [any AnyProperty] { [$id, $agencyID, $key, $requestHash, $responseStatus, $responseBody, $createdAt] }
}

extension AuditEntry {
    var properties: [any AnyProperty] {
        [
            $id, $sequence, $agencyID, $actorUserID, $actorKind, $action, $subjectType, $subjectID, $detail, $createdAt, $previousHash, $hash, $chain,
            $chainSequence, $chainPreviousHash, $chainHash
        ]
    }
}

extension AuditCheckpoint {
    var properties: [any AnyProperty] { [$id, $chain, $chainSequence, $chainHash, $verifiedAt] }
}

extension AgencyContactAttempt {
    var properties: [any AnyProperty] { [$id, $caseID, $agencyID, $channel, $result, $note, $attemptedAt, $recordedBy] }
}

extension AgencyRulePack {
    var properties: [any AnyProperty] { [$id, $agency, $packID, $title, $yaml, $createdAt, $createdBy] }
}

extension WebhookEndpointRecord {
    var properties: [any AnyProperty] {
        [$id, $agencyID, $url, $secret, $active, $createdAt, $previousSecret, $previousSecretExpiresAt, $secretRotatedAt, $deactivatedAt]
    }
}

extension WebhookDelivery {
    var properties: [any AnyProperty] {
        [
            $id, $agencyID, $endpointID, $eventType, $payload, $status, $attempts, $nextAttemptAt, $lastResponseCode, $lastError, $createdAt,
            $deliveredAt
        ]
    }
}

extension AlertFeed {
    var properties: [any AnyProperty] {
        [$id, $format, $url, $etag, $lastModified, $lastPolledAt, $lastStatus, $lastError, $alertsInForce, $createdAt]
    }
}

extension WeatherAlert {
    var properties: [any AnyProperty] {
        [
            $id, $feedID, $sender, $identifier, $sent, $messageType, $event, $headline, $alertDescription, $instruction, $language, $severity,
            $urgency, $certainty, $effective, $expires, $areaDescription, $areas, $warrantsNotice, $state, $replacedBy, $changes, $sourceURL,
            $createdAt, $endedAt
        ]
    }
}

extension FlightWatch {
    var properties: [any AnyProperty] {
        [
            $id, $segmentID, $tripID, $agencyID, $ident, $origin, $destination, $scheduledDeparture, $providerAlertID, $state, $lastError, $knownGate,
            $knownTerminal, $lastStatusAt, $lastPolledAt, $createdAt, $updatedAt
        ]
    }
}

extension FlightEvent {
    var properties: [any AnyProperty] { [$id, $body, $status, $outcome, $leaseToken, $nextAttemptAt, $receivedAt, $processedAt] }
}

extension TravellerAlert {
    var properties: [any AnyProperty] {
        [
            $id, $agencyID, $tripID, $travellerID, $destinationID, $kind, $event, $severity, $headline, $detail, $changes, $sourceKey,
            $weatherAlertID, $flightWatchID, $caseID, $messageID, $notTold, $liftedAt, $startsAt, $endsAt, $createdAt
        ]
    }
}

extension AlertSetting {
    var properties: [any AnyProperty] { [$id, $name, $value, $updatedAt] }
}

extension AgencyAlertPreferences {
    var properties: [any AnyProperty] { [$id, $agencyID, $email, $emailFlights, $emailWeather, $updatedAt, $updatedBy] }
}

extension AlertZone {
    var properties: [any AnyProperty] { [$id, $url, $areas, $fetchedAt] }
}

extension QuoteRecord {
    var properties: [any AnyProperty] {
        [$id, $tripID, $agencyID, $planCode, $gridVersion, $travellers, $days, $amountMinor, $currency, $createdAt, $supersededAt]
    }
}

extension PaymentRecord {
    var properties: [any AnyProperty] {
        [
            $id, $agencyID, $invoiceID, $tripID, $quoteID, $provider, $providerReference, $kind, $amountMinor, $currency, $status, $idempotencyKey,
            $failureMessage, $receiptSentAt, $createdAt, $updatedAt
        ]
    }
}

extension RefundRecord {
    var properties: [any AnyProperty] {
        [$id, $paymentID, $agencyID, $providerReference, $amountMinor, $currency, $status, $createdAt, $cause, $attempt]
    }
}

extension InvoiceRecord {
    var properties: [any AnyProperty] { [$id, $agencyID, $number, $sequence, $period, $status, $kind, $totalMinor, $currency, $issuedAt, $dueAt] }
}

extension InvoiceLineRecord {
    var properties: [any AnyProperty] { [$id, $invoiceID, $tripID, $quoteID, $description, $amountMinor, $dueAt, $status] }
}

extension CreditNoteRecord {
    var properties: [any AnyProperty] {
        [$id, $agencyID, $invoiceID, $invoiceLineID, $number, $sequence, $amountMinor, $currency, $reason, $quoteID, $issuedAt]
    }
}

extension DunningNotice {
    var properties: [any AnyProperty] { [$id, $invoiceLineID, $stage, $sentAt] }
}

extension JobRun {
    var properties: [any AnyProperty] { [$id, $key, $startedAt, $summary] }
}

extension StripeEventRecord {
    var properties: [any AnyProperty] { [$id, $eventID, $type, $receivedAt, $payload, $processedAt] }
}

extension ActivityRecord {
    var properties: [any AnyProperty] {
        [
            $id, $destinationID, $name, $activityType, $nature, $supplier, $priceMinor, $currency, $commissionable, $active, $pitchFR, $pitchEN,
            $pitchPT, $createdAt
        ]
    }
}

extension ActivityBookingRecord {
    var properties: [any AnyProperty] {
        [
            $id, $agencyID, $travellerID, $tripID, $destinationID, $caseID, $activityID, $activityName, $activityType, $activityNature, $supplier,
            $commissionable, $amountBilledMinor, $cardFeesMinor, $extraCostsMinor, $currency, $requestedAt, $bookedBy, $status, $cancelledAt,
            $cancelledBy, $cancellationReason
        ]
    }
}

extension CommissionRecord {
    var properties: [any AnyProperty] {
        [
            $id, $activityBookingID, $agencyID, $rateBasisPoints, $baseMinor, $amountMinor, $currency, $createdAt, $creditedMinor, $creditCurrency,
            $exchangeRate, $creditedAt, $reversedAt, $reversedMinor
        ]
    }
}

extension LedgerEntryRecord {
    var properties: [any AnyProperty] { [$id, $transactionID, $agencyID, $account, $amountMinor, $currency, $kind, $memo, $createdAt] }
}

extension RecommendationRecord {
    var properties: [any AnyProperty] { [$id, $activityID, $travellerID, $agencyID, $sentAt] }
}

extension MilesExportRecord {
    var properties: [any AnyProperty] {
        [$id, $agencyID, $ledgerTransactionID, $amountMinor, $miles, $memberNumber, $partnerReference, $status, $createdAt]
    }
}

extension CommissionClaim {
    var properties: [any AnyProperty] {
        [
            $id, $agencyID, $tripID, $activityID, $activityDate, $amountBilledMinor, $currency, $supplierReference, $status, $submittedAt,
            $submittedBy, $decidedAt, $decidedBy, $decisionNote, $activityBookingID
        ]
    }
}

extension ChannelEndpoint {
    var properties: [any AnyProperty] { [$id, $destination, $channel, $externalID, $appSecret, $verifyToken, $accessToken, $active, $createdAt] }
}

extension InboundEvent {
    var properties: [any AnyProperty] { [$id, $channel, $body, $receivedAt, $processedAt, $attempts, $lastError] }
}

extension InboundDedupe {
    var properties: [any AnyProperty] { [$id, $channel, $providerID, $eventID] }
}

extension Conversation {
    var properties: [any AnyProperty] {
        [$id, $channel, $externalUserID, $destinationID, $agencyID, $travellerID, $tripID, $identified, $lastInboundAt, $purgedAt, $createdAt]
    }
}

extension MessageRecord {
    var properties: [any AnyProperty] {
        [
            $id, $conversationID, $direction, $channel, $providerMessageID, $kind, $body, $media, $status, $authorID, $createdAt, $sentAt,
            $deliveredAt, $readAt, $failedReason
        ]
    }
}

extension CaseRecord {
    var properties: [any AnyProperty] {
        [
            $id, $agencyID, $tripID, $travellerID, $conversationID, $destinationID, $category, $priority, $status, $assigneeID, $safetyFlag,
            $recordingRefused, $openedAt, $firstResponseAt, $resolvedAt, $resolutionSummary, $purgedAt, $satisfactionRequestedAt, $satisfactionRating,
            $satisfactionComment, $satisfactionAnsweredAt
        ]
    }
}

extension CaseNote {
    var properties: [any AnyProperty] { [$id, $caseID, $authorID, $body, $createdAt] }
}

extension Attachment {
    var properties: [any AnyProperty] {
        [$id, $messageID, $providerMediaID, $mimeType, $size, $data, $status, $attempts, $lastError, $createdAt, $fetchedAt, $nextAttemptAt]
    }
}

extension ConsentEvent {
    var properties: [any AnyProperty] { [$id, $agencyID, $travellerID, $kind, $granted, $source, $actorUserID, $caseID, $createdAt] }
}

extension CostAction {
    var properties: [any AnyProperty] {
        [
            $id, $caseID, $agencyID, $domain, $supplier, $purpose, $amountMinor, $currency, $agencyAmountMinor, $agencyCurrency, $exchangeRate,
            $isBookingChange, $decision, $reason, $scopeVersionID, $emergencyJustification, $createdBy, $createdAt
        ]
    }
}

extension Approval {
    var properties: [any AnyProperty] {
        [
            $id, $costActionID, $agencyID, $caseID, $status, $shownText, $shownAmountMinor, $shownCurrency, $tokenHash, $expiresAt, $requestedBy,
            $decidedBy, $decidedByEmail, $decidedVia, $decidedAt, $comment, $remindedAt, $escalatedAt, $createdAt
        ]
    }
}

extension ExchangeRateRecord {
    var properties: [any AnyProperty] { [$id, $fromCurrency, $toCurrency, $rate, $updatedAt, $updatedBy] }
}

extension NotificationRecord {
    var properties: [any AnyProperty] {
        [
            $id, $agencyID, $userID, $kind, $channel, $recipient, $subject, $body, $status, $createdAt, $sentAt, $attempts, $nextAttemptAt,
            $sealedSecrets
        ]
    }
}

extension OutboxEntry {
    var properties: [any AnyProperty] {
        [$id, $messageID, $endpointID, $channel, $payload, $status, $attempts, $nextAttemptAt, $lastError, $createdAt]
    }
}

extension RetentionBoundsRecord {
    var properties: [any AnyProperty] { [$id, $category, $minimumMonths, $maximumMonths, $defaultMonths, $updatedAt, $updatedBy] }
}

extension RetentionPolicyRecord {
    var properties: [any AnyProperty] { [$id, $agencyID, $category, $months, $updatedAt, $updatedBy] }
}

extension DataSubjectRequest {
    var properties: [any AnyProperty] {
        [
            $id, $agencyID, $kind, $subjectReference, $receivedOn, $dueOn, $extendedUntil, $extensionReason, $status, $outcome, $createdAt,
            $createdBy, $closedAt, $closedBy
        ]
    }
}

extension PlanRecord {
    var properties: [any AnyProperty] {
        [
            $id, $code, $name, $billingMode, $refundNoticeHours, $whiteLabel, $pricePerTravellerDayMinor, $minimumPerTripMinor, $currency,
            $gridVersion, $updatedAt, $updatedBy
        ]
    }
}

extension DestinationRecord {
    var properties: [any AnyProperty] {
        [
            $id, $code, $countryCode, $name, $timeZone, $openingHours, $closureDays, $tollFreeNumber, $whatsAppNumber, $messengerPage, $email,
            $languages, $emergencyNumber, $active, $updatedAt
        ]
    }
}

extension ServiceLevelRecord {
    var properties: [any AnyProperty] { [$id, $planCode, $firstResponseMinutes, $resolutionMinutes, $updatedAt] }
}

extension Traveller {
    var properties: [any AnyProperty] {
        [
            $id, $agency, $firstName, $lastName, $dateOfBirth, $phone, $email, $language, $consentCallRecording, $consentRecommendations,
            $consentAlerts, $abusive, $createdAt, $updatedAt, $erasedAt, $version
        ]
    }
}

extension Trip {
    var properties: [any AnyProperty] {
        [
            $id, $agency, $reference, $status, $departureAt, $arrivalAt, $returnAt, $notes, $planCode, $scopeVersionID, $createdAt, $createdBy,
            $updatedAt, $cancelledAt, $cancelledBy, $cancellationReason, $refundState, $version, $servicePaidAt, $travellerLinks, $destinationLinks,
            $segments, $documents
        ]
    }
}

extension TripTraveller {
    var properties: [any AnyProperty] { [$id, $trip, $traveller, $position, $cardToken] }
}

extension TripDestination {
    var properties: [any AnyProperty] { [$id, $trip, $destination, $position] }
}

extension ItinerarySegment {
    var properties: [any AnyProperty] {
        [
            $id, $trip, $kind, $title, $startsAt, $endsAt, $timeZone, $location, $supplier, $confirmation, $details, $source, $pastedDocumentID,
            $createdAt, $version
        ]
    }
}

extension PastedDocument {
    var properties: [any AnyProperty] {
        [$id, $trip, $title, $text, $createdAt, $createdBy, $fileKind, $fileName, $mediaType, $fileSize, $kitineraryOutput, $kitineraryExtractors]
    }
}

extension DocumentFileData {
    var properties: [any AnyProperty] { [$id, $data] }
}
