package ivvy

import (
	"fmt"
	"strconv"
)

// The iVvy reference pages do not agree on the values of several status
// fields, and the server may send values that no page lists. The types below
// are therefore open: any integer (or string, for InvitationResponse) decodes,
// the named constants cover the documented values, and String falls back to
// "<Type>(<n>)" for a value it does not know.

// EventType is the kind of an event (eventType).
type EventType int

// The documented event types.
const (
	EventTypeOther              EventType = 0
	EventTypeParty              EventType = 1
	EventTypeFestival           EventType = 2
	EventTypeGolfDay            EventType = 3
	EventTypeWedding            EventType = 4
	EventTypeMeeting            EventType = 5
	EventTypeSeminar            EventType = 6
	EventTypeConference         EventType = 7
	EventTypeExhibition         EventType = 8
	EventTypeRoadshow           EventType = 9
	EventTypeSimple             EventType = 10
	EventTypeMilestoneParty     EventType = 11 // "Party (21st / 18th)"
	EventTypeRecordEventDetails EventType = 12 // the only type addOrUpdateEvent accepts
)

var eventTypeNames = map[EventType]string{
	EventTypeOther:              "Other",
	EventTypeParty:              "Party",
	EventTypeFestival:           "Festival",
	EventTypeGolfDay:            "Golf Day",
	EventTypeWedding:            "Wedding",
	EventTypeMeeting:            "Meeting",
	EventTypeSeminar:            "Seminar",
	EventTypeConference:         "Conference",
	EventTypeExhibition:         "Exhibition",
	EventTypeRoadshow:           "Roadshow",
	EventTypeSimple:             "Simple",
	EventTypeMilestoneParty:     "Party (21st / 18th)",
	EventTypeRecordEventDetails: "Record Event Details",
}

// String returns the documented name of t, or "EventType(n)".
func (t EventType) String() string { return enumName(eventTypeNames, t, "EventType") }

// Known reports whether t is one of the documented values.
func (t EventType) Known() bool { _, ok := eventTypeNames[t]; return ok }

// UnmarshalJSON accepts a number or a string of digits.
func (t *EventType) UnmarshalJSON(b []byte) error { return decodeEnum(b, t, "EventType") }

// EventStatus is the current status of an event (currentStatus).
type EventStatus int

// The documented event statuses. There is no status 2.
const (
	EventStatusDraft    EventStatus = 0
	EventStatusClosed   EventStatus = 1
	EventStatusLaunched EventStatus = 3
)

var eventStatusNames = map[EventStatus]string{
	EventStatusDraft:    "Draft",
	EventStatusClosed:   "Closed",
	EventStatusLaunched: "Launched",
}

// String returns the documented name of s, or "EventStatus(n)".
func (s EventStatus) String() string { return enumName(eventStatusNames, s, "EventStatus") }

// Known reports whether s is one of the documented values.
func (s EventStatus) Known() bool { _, ok := eventStatusNames[s]; return ok }

// UnmarshalJSON accepts a number or a string of digits.
func (s *EventStatus) UnmarshalJSON(b []byte) error { return decodeEnum(b, s, "EventStatus") }

// RegistrationStatus is the status of an event registration (a
// registration's currentStatus, an attendee's registrationStatus). The
// registration list page documents 1, 2 and 4, the contact page 2, 3 and 4;
// iVvy's own SDK knows 5 to 7 as well.
type RegistrationStatus int

// The known registration statuses.
const (
	RegistrationStatusInProgress     RegistrationStatus = 1
	RegistrationStatusCompleted      RegistrationStatus = 2
	RegistrationStatusCancelled      RegistrationStatus = 3
	RegistrationStatusPaymentWaiting RegistrationStatus = 4 // "Payment Required" on the contact page
	RegistrationStatusDeleted        RegistrationStatus = 5
	RegistrationStatusCheckout       RegistrationStatus = 6
	RegistrationStatusIncomplete     RegistrationStatus = 7
)

var registrationStatusNames = map[RegistrationStatus]string{
	RegistrationStatusInProgress:     "In Progress",
	RegistrationStatusCompleted:      "Completed",
	RegistrationStatusCancelled:      "Cancelled",
	RegistrationStatusPaymentWaiting: "Payment Waiting",
	RegistrationStatusDeleted:        "Deleted",
	RegistrationStatusCheckout:       "Checkout",
	RegistrationStatusIncomplete:     "Incomplete",
}

// String returns the name of s, or "RegistrationStatus(n)".
func (s RegistrationStatus) String() string {
	return enumName(registrationStatusNames, s, "RegistrationStatus")
}

// Known reports whether s is one of the known values.
func (s RegistrationStatus) Known() bool { _, ok := registrationStatusNames[s]; return ok }

// UnmarshalJSON accepts a number or a string of digits.
func (s *RegistrationStatus) UnmarshalJSON(b []byte) error {
	return decodeEnum(b, s, "RegistrationStatus")
}

// ContactEmailStatus records whether a contact opted in to email (a
// contact's status). addOrUpdateContact accepts every value but Registering.
type ContactEmailStatus int

// The documented email statuses.
const (
	ContactEmailStatusSubscribed   ContactEmailStatus = 1
	ContactEmailStatusUnsubscribed ContactEmailStatus = 2
	ContactEmailStatusBounced      ContactEmailStatus = 3
	ContactEmailStatusRegistering  ContactEmailStatus = 4
	ContactEmailStatusNoMarketing  ContactEmailStatus = 5
)

var contactEmailStatusNames = map[ContactEmailStatus]string{
	ContactEmailStatusSubscribed:   "Subscribed",
	ContactEmailStatusUnsubscribed: "Unsubscribed",
	ContactEmailStatusBounced:      "Bounced",
	ContactEmailStatusRegistering:  "Registering",
	ContactEmailStatusNoMarketing:  "No Marketing",
}

// String returns the documented name of s, or "ContactEmailStatus(n)".
func (s ContactEmailStatus) String() string {
	return enumName(contactEmailStatusNames, s, "ContactEmailStatus")
}

// Known reports whether s is one of the documented values.
func (s ContactEmailStatus) Known() bool { _, ok := contactEmailStatusNames[s]; return ok }

// UnmarshalJSON accepts a number or a string of digits.
func (s *ContactEmailStatus) UnmarshalJSON(b []byte) error {
	return decodeEnum(b, s, "ContactEmailStatus")
}

// ContactSMSStatus records whether a contact opted in to SMS (a contact's
// smsStatus).
type ContactSMSStatus int

// The documented SMS statuses.
const (
	ContactSMSStatusSubscribed   ContactSMSStatus = 1
	ContactSMSStatusUnsubscribed ContactSMSStatus = 2
	ContactSMSStatusFailed       ContactSMSStatus = 3
	ContactSMSStatusNoMarketing  ContactSMSStatus = 4
)

var contactSMSStatusNames = map[ContactSMSStatus]string{
	ContactSMSStatusSubscribed:   "Subscribed",
	ContactSMSStatusUnsubscribed: "Unsubscribed",
	ContactSMSStatusFailed:       "Failed",
	ContactSMSStatusNoMarketing:  "No Marketing",
}

// String returns the documented name of s, or "ContactSMSStatus(n)".
func (s ContactSMSStatus) String() string {
	return enumName(contactSMSStatusNames, s, "ContactSMSStatus")
}

// Known reports whether s is one of the documented values.
func (s ContactSMSStatus) Known() bool { _, ok := contactSMSStatusNames[s]; return ok }

// UnmarshalJSON accepts a number or a string of digits.
func (s *ContactSMSStatus) UnmarshalJSON(b []byte) error {
	return decodeEnum(b, s, "ContactSMSStatus")
}

// ConsentSource is where a contact's privacy consent came from
// (privacyConsentData.source).
type ConsentSource int

// The documented consent sources.
const (
	ConsentSourceUserInitiatedEntry   ConsentSource = 1
	ConsentSourceMarketplace          ConsentSource = 2
	ConsentSourceWebsiteBookingEngine ConsentSource = 3
	ConsentSourceEventWebsite         ConsentSource = 4
	ConsentSourceAPI                  ConsentSource = 5
)

var consentSourceNames = map[ConsentSource]string{
	ConsentSourceUserInitiatedEntry:   "User Initiated Entry",
	ConsentSourceMarketplace:          "Marketplace",
	ConsentSourceWebsiteBookingEngine: "Website Booking Engine",
	ConsentSourceEventWebsite:         "Event Website",
	ConsentSourceAPI:                  "API",
}

// String returns the documented name of s, or "ConsentSource(n)".
func (s ConsentSource) String() string { return enumName(consentSourceNames, s, "ConsentSource") }

// Known reports whether s is one of the documented values.
func (s ConsentSource) Known() bool { _, ok := consentSourceNames[s]; return ok }

// UnmarshalJSON accepts a number or a string of digits.
func (s *ConsentSource) UnmarshalJSON(b []byte) error { return decodeEnum(b, s, "ConsentSource") }

// InvoiceStatus is the current status of an invoice.
type InvoiceStatus int

// The documented invoice statuses.
const (
	InvoiceStatusNotPaid         InvoiceStatus = 0
	InvoiceStatusUnconfirmedPaid InvoiceStatus = 1
	InvoiceStatusWrittenOff      InvoiceStatus = 2
	InvoiceStatusFailed          InvoiceStatus = 3
	InvoiceStatusCancelled       InvoiceStatus = 4
	InvoiceStatusRefunded        InvoiceStatus = 5
)

var invoiceStatusNames = map[InvoiceStatus]string{
	InvoiceStatusNotPaid:         "Not Paid",
	InvoiceStatusUnconfirmedPaid: "Unconfirmed Paid",
	InvoiceStatusWrittenOff:      "Written Off",
	InvoiceStatusFailed:          "Failed",
	InvoiceStatusCancelled:       "Cancelled",
	InvoiceStatusRefunded:        "Refunded",
}

// String returns the documented name of s, or "InvoiceStatus(n)".
func (s InvoiceStatus) String() string { return enumName(invoiceStatusNames, s, "InvoiceStatus") }

// Known reports whether s is one of the documented values.
func (s InvoiceStatus) Known() bool { _, ok := invoiceStatusNames[s]; return ok }

// UnmarshalJSON accepts a number or a string of digits.
func (s *InvoiceStatus) UnmarshalJSON(b []byte) error { return decodeEnum(b, s, "InvoiceStatus") }

// InvitationResponse is a contact's answer to an event invitation: "Y", "N"
// or "U" (not answered yet). Other strings decode as they are.
type InvitationResponse string

// The documented invitation responses.
const (
	InvitationResponseYes       InvitationResponse = "Y"
	InvitationResponseNo        InvitationResponse = "N"
	InvitationResponseUndecided InvitationResponse = "U"
)

// Known reports whether r is one of the documented values.
func (r InvitationResponse) Known() bool {
	switch r {
	case InvitationResponseYes, InvitationResponseNo, InvitationResponseUndecided:
		return true
	}
	return false
}

// Label returns "Yes", "No" or "Undecided", or r itself for another value.
func (r InvitationResponse) Label() string {
	switch r {
	case InvitationResponseYes:
		return "Yes"
	case InvitationResponseNo:
		return "No"
	case InvitationResponseUndecided:
		return "Undecided"
	}
	return string(r)
}

// enumName looks v up in names, falling back to "<typ>(<n>)".
func enumName[T ~int](names map[T]string, v T, typ string) string {
	if s, ok := names[v]; ok {
		return s
	}
	return typ + "(" + strconv.Itoa(int(v)) + ")"
}

// decodeEnum decodes a JSON number or a string of digits into *v; null and
// "" leave zero.
func decodeEnum[T ~int](b []byte, v *T, typ string) error {
	s, ok := unquoteNumber(b)
	if !ok {
		return fmt.Errorf("ivvy: %s: want an integer, got %s", typ, excerpt(string(b)))
	}
	if s == "" {
		*v = 0
		return nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return fmt.Errorf("ivvy: %s: want an integer, got %s", typ, excerpt(string(b)))
	}
	*v = T(n)
	return nil
}
