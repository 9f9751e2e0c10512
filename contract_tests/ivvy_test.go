package contract_tests

import (
	"encoding/json"
	"net/http"

	"github.com/invitekit/invitekit/gen/ivvy"
	"github.com/invitekit/invitekit/specs"
)

// ivvyResults gives, per operationId, a new value of the generated type a
// successful response decodes into.
var ivvyResults = map[string]func() any{
	"ping": func() any { return new(ivvy.PingResult) },

	"addOrUpdateEvent":      func() any { return new(ivvy.AddOrUpdateResult) },
	"getEventList":          func() any { return new(ivvy.EventCollection) },
	"getEvent":              func() any { return new(ivvy.Event) },
	"getRegistration":       func() any { return new(ivvy.Registration) },
	"getRegistrationList":   func() any { return new(ivvy.RegistrationCollection) },
	"getAttendee":           func() any { return new(ivvy.Attendee) },
	"getAttendeeList":       func() any { return new(ivvy.AttendeeCollection) },
	"getInvitedContactList": func() any { return new(ivvy.InvitedContactCollection) },
	"inviteContacts":        func() any { return new(ivvy.InviteContactsResult) },
	"getSponsorshipList":    func() any { return new(ivvy.SponsorCollection) },
	"getSpeakerList":        func() any { return new(ivvy.SpeakerCollection) },
	"getSessionList":        func() any { return new(ivvy.EventSessionCollection) },
	"createLoginToken":      func() any { return new(ivvy.LoginToken) },

	"getContactList":     func() any { return new(ivvy.ContactCollection) },
	"getContact":         func() any { return new(ivvy.Contact) },
	"addOrUpdateContact": func() any { return new(ivvy.AddOrUpdateResult) },

	"batchRun":      func() any { return new(ivvy.BatchRunResult) },
	"batchProgress": func() any { return new(ivvy.BatchProgress) },
	"batchResults":  func() any { return new(ivvy.BatchResults) },
	"batchRestart":  func() any { return new(ivvy.BatchRestartResult) },
	"batchRepost":   func() any { return new(ivvy.BatchRepostResult) },
}

// ivvyIsException reports whether a response is an iVvy exception: any
// status from 400 up, or a JSON object that carries errorCode (the server
// sometimes sends an exception with status 200).
func ivvyIsException(status int, body []byte) bool {
	if status >= http.StatusBadRequest {
		return true
	}
	var probe struct {
		ErrorCode *json.RawMessage `json:"errorCode"`
	}
	return json.Unmarshal(body, &probe) == nil && probe.ErrorCode != nil
}

func init() {
	register(apiUnderTest{
		name: "ivvy",
		spec: specs.Ivvy,
		load: ivvy.GetSpec,
		target: func(operationID string, status int, body []byte) any {
			if ivvyIsException(status, body) {
				return new(ivvy.Exception)
			}
			if mk, ok := ivvyResults[operationID]; ok {
				return mk()
			}
			return nil
		},
	})
}
