package notify

import (
	"sort"

	"github.com/invitekit/invitekit/gen/ivvy"
)

// bodies maps each documented Subject to a new value of the generated type
// its Body decodes into. Each type is the spec schema whose x-ivvy-subject
// names the subject; a test keeps the two in step.
var bodies = map[string]func() any{
	"BookingAccommodationAdded":     func() any { return new(ivvy.BookingAccommodationAddedNotification) },
	"BookingAccommodationDeleted":   func() any { return new(ivvy.BookingAccommodationDeletedNotification) },
	"BookingAccommodationUpdated":   func() any { return new(ivvy.BookingAccommodationUpdatedNotification) },
	"BookingAdded":                  func() any { return new(ivvy.BookingAddedNotification) },
	"BookingBeoDeleted":             func() any { return new(ivvy.BookingBeoDeletedNotification) },
	"BookingBeoGenerated":           func() any { return new(ivvy.BookingBeoGeneratedNotification) },
	"BookingDeleted":                func() any { return new(ivvy.BookingDeletedNotification) },
	"BookingDocumentDeleted":        func() any { return new(ivvy.BookingDocumentDeletedNotification) },
	"BookingDocumentGenerated":      func() any { return new(ivvy.BookingDocumentGeneratedNotification) },
	"BookingMoved":                  func() any { return new(ivvy.BookingMovedNotification) },
	"BookingNoteAdded":              func() any { return new(ivvy.BookingNoteAddedNotification) },
	"BookingNoteDeleted":            func() any { return new(ivvy.BookingNoteDeletedNotification) },
	"BookingNoteUpdated":            func() any { return new(ivvy.BookingNoteUpdatedNotification) },
	"BookingRoomReservationAdded":   func() any { return new(ivvy.BookingRoomReservationAddedNotification) },
	"BookingRoomReservationDeleted": func() any { return new(ivvy.BookingRoomReservationDeletedNotification) },
	"BookingRoomReservationUpdated": func() any { return new(ivvy.BookingRoomReservationUpdatedNotification) },
	"BookingSessionAdded":           func() any { return new(ivvy.BookingSessionAddedNotification) },
	"BookingSessionDeleted":         func() any { return new(ivvy.BookingSessionDeletedNotification) },
	"BookingSessionUpdated":         func() any { return new(ivvy.BookingSessionUpdatedNotification) },
	"BookingUpdated":                func() any { return new(ivvy.BookingUpdatedNotification) },
	"CompanyAdded":                  func() any { return new(ivvy.CompanyAddedNotification) },
	"CompanyDeleted":                func() any { return new(ivvy.CompanyDeletedNotification) },
	"CompanyUpdated":                func() any { return new(ivvy.CompanyUpdatedNotification) },
	"ContactAdded":                  func() any { return new(ivvy.ContactAddedNotification) },
	"ContactDeleted":                func() any { return new(ivvy.ContactDeletedNotification) },
	"ContactNoteAdded":              func() any { return new(ivvy.ContactNoteAddedNotification) },
	"ContactNoteDeleted":            func() any { return new(ivvy.ContactNoteDeletedNotification) },
	"ContactNoteUpdated":            func() any { return new(ivvy.ContactNoteUpdatedNotification) },
	"ContactUpdated":                func() any { return new(ivvy.ContactUpdatedNotification) },
	"CrmEventActivityAdded":         func() any { return new(ivvy.CrmEventActivityAddedNotification) },
	"CrmEventActivityDeleted":       func() any { return new(ivvy.CrmEventActivityDeletedNotification) },
	"CrmEventActivityUpdated":       func() any { return new(ivvy.CrmEventActivityUpdatedNotification) },
	"CrmEventTaskAdded":             func() any { return new(ivvy.CrmEventTaskAddedNotification) },
	"CrmEventTaskDeleted":           func() any { return new(ivvy.CrmEventTaskDeletedNotification) },
	"CrmEventTaskUpdated":           func() any { return new(ivvy.CrmEventTaskUpdatedNotification) },
	"CrmLeadNoteAdded":              func() any { return new(ivvy.CrmLeadNoteAddedNotification) },
	"CrmLeadNoteDeleted":            func() any { return new(ivvy.CrmLeadNoteDeletedNotification) },
	"CrmLeadNoteUpdated":            func() any { return new(ivvy.CrmLeadNoteUpdatedNotification) },
	"InvoiceAdded":                  func() any { return new(ivvy.InvoiceAddedNotification) },
	"InvoiceUpdated":                func() any { return new(ivvy.InvoiceUpdatedNotification) },
	"OpportunityAdded":              func() any { return new(ivvy.OpportunityAddedNotification) },
	"OpportunityDeleted":            func() any { return new(ivvy.OpportunityDeletedNotification) },
	"OpportunityUpdated":            func() any { return new(ivvy.OpportunityUpdatedNotification) },
	"RatePlanBookingRulesUpdated":   func() any { return new(ivvy.RatePlanBookingRulesUpdatedNotification) },
	"RoomInventoryUpdated":          func() any { return new(ivvy.RoomInventoryUpdatedNotification) },
	"RoomRatesUpdated":              func() any { return new(ivvy.RoomRatesUpdatedNotification) },
	"SpaceBlockoutAdded":            func() any { return new(ivvy.SpaceBlockoutAddedNotification) },
	"SpaceBlockoutDeleted":          func() any { return new(ivvy.SpaceBlockoutDeletedNotification) },
	"SpaceBlockoutUpdated":          func() any { return new(ivvy.SpaceBlockoutUpdatedNotification) },
}

// Subjects lists the documented subjects, sorted.
func Subjects() []string {
	out := make([]string, 0, len(bodies))
	for s := range bodies {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// NewBody returns a pointer to a new value of the type subject's Body
// decodes into (*ivvy.ContactAddedNotification for "ContactAdded"), or
// false for a subject that is not documented.
func NewBody(subject string) (any, bool) {
	f, ok := bodies[subject]
	if !ok {
		return nil, false
	}
	return f(), true
}
