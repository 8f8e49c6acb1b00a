"""The served OpenAPI document is valid OpenAPI 3.1."""
import urllib.request

import yaml
from openapi_spec_validator import validate


def test_served_openapi_document_is_valid(server):
    text = urllib.request.urlopen(server + "/api/v1/openapi.yaml", timeout=5).read().decode()
    document = yaml.safe_load(text)
    assert document["openapi"] == "3.1.0"
    validate(document)
    assert set(document["paths"]) == {"/trips", "/trips/{tripID}", "/trips/{tripID}/cancel", "/trips/{tripID}/segments", "/trips/{tripID}/segments/{segmentID}", "/trips/{tripID}/documents", "/trips/{tripID}/documents/{documentID}", "/trips/{tripID}/documents/{documentID}/file", "/trips/{tripID}/documents/{documentID}/accept", "/cases", "/cases/{caseID}", "/travellers", "/travellers/{travellerID}", "/travellers/{travellerID}/export", "/travellers/{travellerID}/erasure", "/rights/assessments", "/conditions/assessments", "/alerts", "/approvals", "/approvals/{approvalID}/decision", "/extractions", "/invoices", "/invoices/{invoiceID}", "/credits", "/reports/monthly", "/webhook-endpoints", "/webhook-endpoints/{endpointID}", "/webhook-endpoints/{endpointID}/rotate-secret", "/webhook-endpoints/{endpointID}/deactivate", "/webhook-deliveries", "/webhook-deliveries/{deliveryID}", "/webhook-deliveries/{deliveryID}/replay"}
    # The event catalogue: every type OnSpot posts, each with its payload schema.
    assert set(document["webhooks"]) == {"case.resolved", "approval.requested", "approval.decided", "cost.emergency_override", "trip.paid", "trip.released", "weather.alert", "flight.disrupted"}
