package ivvy

import (
	"context"
	"iter"
	"net/http"
)

// bind turns a generated client method and its request body into a sender.
func bind[Req any](fn func(context.Context, Req, ...RequestEditorFn) (*http.Response, error), req Req) func(context.Context, ...RequestEditorFn) (*http.Response, error) {
	return func(ctx context.Context, ed ...RequestEditorFn) (*http.Response, error) { return fn(ctx, req, ed...) }
}

// perPageOf returns the requested page size, or 0 for the default.
func perPageOf(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

// ---- event namespace ----

// AddOrUpdateEvent adds an event (no Id) or updates one (Id set). It is sent
// once, never retried.
//
// API: POST /api/1.0/event?action=addOrUpdateEvent (addOrUpdateEvent)
func (a *API) AddOrUpdateEvent(ctx context.Context, req AddOrUpdateEventRequest) (*AddOrUpdateResult, error) {
	return call[AddOrUpdateResult](ctx, a, "addOrUpdateEvent", bind(a.raw.AddOrUpdateEvent, req))
}

// GetEventList returns one page of events. Events iterates over all of them.
//
// API: POST /api/1.0/event?action=getEventList (getEventList)
func (a *API) GetEventList(ctx context.Context, req GetEventListRequest) (*EventCollection, error) {
	return call[EventCollection](ctx, a, "getEventList", bind(a.raw.GetEventList, req))
}

// Events iterates over every event that req selects, page by page.
func (a *API) Events(ctx context.Context, req GetEventListRequest) iter.Seq2[Event, error] {
	return All(ctx, perPageOf(req.PerPage), func(ctx context.Context, start, perPage int) ([]Event, *CollectionMeta, error) {
		req.Start, req.PerPage = &start, &perPage
		page, err := a.GetEventList(ctx, req)
		if err != nil {
			return nil, nil, err
		}
		return page.Results, page.Meta, nil
	})
}

// GetEvent returns one event; an unknown id fails with ErrNotFound (24097).
//
// API: POST /api/1.0/event?action=getEvent (getEvent)
func (a *API) GetEvent(ctx context.Context, req GetEventRequest) (*Event, error) {
	return call[Event](ctx, a, "getEvent", bind(a.raw.GetEvent, req))
}

// GetRegistration returns one registration of an event.
//
// API: POST /api/1.0/event?action=getRegistration (getRegistration)
func (a *API) GetRegistration(ctx context.Context, req GetRegistrationRequest) (*Registration, error) {
	return call[Registration](ctx, a, "getRegistration", bind(a.raw.GetRegistration, req))
}

// GetRegistrationList returns one page of an event's registrations.
//
// API: POST /api/1.0/event?action=getRegistrationList (getRegistrationList)
func (a *API) GetRegistrationList(ctx context.Context, req GetRegistrationListRequest) (*RegistrationCollection, error) {
	return call[RegistrationCollection](ctx, a, "getRegistrationList", bind(a.raw.GetRegistrationList, req))
}

// Registrations iterates over every registration that req selects.
func (a *API) Registrations(ctx context.Context, req GetRegistrationListRequest) iter.Seq2[Registration, error] {
	return All(ctx, perPageOf(req.PerPage), func(ctx context.Context, start, perPage int) ([]Registration, *CollectionMeta, error) {
		req.Start, req.PerPage = &start, &perPage
		page, err := a.GetRegistrationList(ctx, req)
		if err != nil {
			return nil, nil, err
		}
		return page.Results, page.Meta, nil
	})
}

// GetAttendee returns one attendee of an event.
//
// API: POST /api/1.0/event?action=getAttendee (getAttendee)
func (a *API) GetAttendee(ctx context.Context, req GetAttendeeRequest) (*Attendee, error) {
	return call[Attendee](ctx, a, "getAttendee", bind(a.raw.GetAttendee, req))
}

// GetAttendeeList returns one page of an event's attendees.
//
// API: POST /api/1.0/event?action=getAttendeeList (getAttendeeList)
func (a *API) GetAttendeeList(ctx context.Context, req GetAttendeeListRequest) (*AttendeeCollection, error) {
	return call[AttendeeCollection](ctx, a, "getAttendeeList", bind(a.raw.GetAttendeeList, req))
}

// Attendees iterates over every attendee of the event req names.
func (a *API) Attendees(ctx context.Context, req GetAttendeeListRequest) iter.Seq2[Attendee, error] {
	return All(ctx, perPageOf(req.PerPage), func(ctx context.Context, start, perPage int) ([]Attendee, *CollectionMeta, error) {
		req.Start, req.PerPage = &start, &perPage
		page, err := a.GetAttendeeList(ctx, req)
		if err != nil {
			return nil, nil, err
		}
		return page.Results, page.Meta, nil
	})
}

// GetInvitedContactList returns one page of the contacts invited to an
// event, with their responses.
//
// API: POST /api/1.0/event?action=getInvitedContactList (getInvitedContactList)
func (a *API) GetInvitedContactList(ctx context.Context, req GetInvitedContactListRequest) (*InvitedContactCollection, error) {
	return call[InvitedContactCollection](ctx, a, "getInvitedContactList", bind(a.raw.GetInvitedContactList, req))
}

// InvitedContacts iterates over every contact invited to the event req names.
func (a *API) InvitedContacts(ctx context.Context, req GetInvitedContactListRequest) iter.Seq2[InvitedContact, error] {
	return All(ctx, perPageOf(req.PerPage), func(ctx context.Context, start, perPage int) ([]InvitedContact, *CollectionMeta, error) {
		req.Start, req.PerPage = &start, &perPage
		page, err := a.GetInvitedContactList(ctx, req)
		if err != nil {
			return nil, nil, err
		}
		return page.Results, page.Meta, nil
	})
}

// GetSponsorshipList returns an event's sponsors.
//
// API: POST /api/1.0/event?action=getSponsorshipList (getSponsorshipList)
func (a *API) GetSponsorshipList(ctx context.Context, req GetSponsorshipListRequest) (*SponsorCollection, error) {
	return call[SponsorCollection](ctx, a, "getSponsorshipList", bind(a.raw.GetSponsorshipList, req))
}

// Sponsors iterates over every sponsor of the event req names.
func (a *API) Sponsors(ctx context.Context, req GetSponsorshipListRequest) iter.Seq2[Sponsor, error] {
	return All(ctx, perPageOf(req.PerPage), func(ctx context.Context, start, perPage int) ([]Sponsor, *CollectionMeta, error) {
		req.Start, req.PerPage = &start, &perPage
		page, err := a.GetSponsorshipList(ctx, req)
		if err != nil {
			return nil, nil, err
		}
		return page.Results, page.Meta, nil
	})
}

// GetSpeakerList returns an event's speakers.
//
// API: POST /api/1.0/event?action=getSpeakerList (getSpeakerList)
func (a *API) GetSpeakerList(ctx context.Context, req GetSpeakerListRequest) (*SpeakerCollection, error) {
	return call[SpeakerCollection](ctx, a, "getSpeakerList", bind(a.raw.GetSpeakerList, req))
}

// Speakers iterates over every speaker of the event req names.
func (a *API) Speakers(ctx context.Context, req GetSpeakerListRequest) iter.Seq2[Speaker, error] {
	return All(ctx, perPageOf(req.PerPage), func(ctx context.Context, start, perPage int) ([]Speaker, *CollectionMeta, error) {
		req.Start, req.PerPage = &start, &perPage
		page, err := a.GetSpeakerList(ctx, req)
		if err != nil {
			return nil, nil, err
		}
		return page.Results, page.Meta, nil
	})
}

// GetSessionList returns an event's sessions.
//
// API: POST /api/1.0/event?action=getSessionList (getSessionList)
func (a *API) GetSessionList(ctx context.Context, req GetSessionListRequest) (*EventSessionCollection, error) {
	return call[EventSessionCollection](ctx, a, "getSessionList", bind(a.raw.GetSessionList, req))
}

// Sessions iterates over every session of the event req names.
func (a *API) Sessions(ctx context.Context, req GetSessionListRequest) iter.Seq2[EventSession, error] {
	return All(ctx, perPageOf(req.PerPage), func(ctx context.Context, start, perPage int) ([]EventSession, *CollectionMeta, error) {
		req.Start, req.PerPage = &start, &perPage
		page, err := a.GetSessionList(ctx, req)
		if err != nil {
			return nil, nil, err
		}
		return page.Results, page.Meta, nil
	})
}

// CreateLoginToken creates a single-use, time-limited login link for a
// contact on an event's website. It is sent once, never retried.
//
// API: POST /api/1.0/event?action=createLoginToken (createLoginToken)
func (a *API) CreateLoginToken(ctx context.Context, req CreateLoginTokenRequest) (*LoginToken, error) {
	return call[LoginToken](ctx, a, "createLoginToken", bind(a.raw.CreateLoginToken, req))
}

// ---- contact namespace ----

// GetContactList returns one page of contacts.
//
// API: POST /api/1.0/contact?action=getContactList (getContactList)
func (a *API) GetContactList(ctx context.Context, req GetContactListRequest) (*ContactCollection, error) {
	return call[ContactCollection](ctx, a, "getContactList", bind(a.raw.GetContactList, req))
}

// Contacts iterates over every contact that req selects.
func (a *API) Contacts(ctx context.Context, req GetContactListRequest) iter.Seq2[Contact, error] {
	return All(ctx, perPageOf(req.PerPage), func(ctx context.Context, start, perPage int) ([]Contact, *CollectionMeta, error) {
		req.Start, req.PerPage = &start, &perPage
		page, err := a.GetContactList(ctx, req)
		if err != nil {
			return nil, nil, err
		}
		return page.Results, page.Meta, nil
	})
}

// GetContact returns one contact with its invitations and registrations;
// an unknown id fails with ErrNotFound (24096).
//
// API: POST /api/1.0/contact?action=getContact (getContact)
func (a *API) GetContact(ctx context.Context, req GetContactRequest) (*Contact, error) {
	return call[Contact](ctx, a, "getContact", bind(a.raw.GetContact, req))
}

// AddOrUpdateContact adds a contact (no Id) or updates one. It is sent once,
// never retried.
//
// API: POST /api/1.0/contact?action=addOrUpdateContact (addOrUpdateContact)
func (a *API) AddOrUpdateContact(ctx context.Context, req AddOrUpdateContactRequest) (*AddOrUpdateResult, error) {
	return call[AddOrUpdateResult](ctx, a, "addOrUpdateContact", bind(a.raw.AddOrUpdateContact, req))
}

// ---- batch namespace ----

// BatchRun starts a batch of at most MaxBatchJobs jobs and returns its async
// id. RunBatch does the whole cycle. It is sent once, never retried.
//
// API: POST /api/1.0/batch?action=run (batchRun)
func (a *API) BatchRun(ctx context.Context, req BatchRunRequest) (*BatchRunResult, error) {
	return call[BatchRunResult](ctx, a, "batchRun", bind(a.raw.BatchRun, req))
}

// BatchProgress returns how far a batch is, in percent.
//
// API: POST /api/1.0/batch?action=progress (batchProgress)
func (a *API) BatchProgress(ctx context.Context, asyncID string) (*BatchProgress, error) {
	return call[BatchProgress](ctx, a, "batchProgress", bind(a.raw.BatchProgress, BatchAsyncRequest{Async: asyncID}))
}

// BatchResults returns a finished batch's results; before it finishes it
// fails with specific code 24114.
//
// API: POST /api/1.0/batch?action=results (batchResults)
func (a *API) BatchResults(ctx context.Context, asyncID string) (*BatchResults, error) {
	return call[BatchResults](ctx, a, "batchResults", bind(a.raw.BatchResults, BatchAsyncRequest{Async: asyncID}))
}

// BatchRestart asks for a batch to be run again.
//
// API: POST /api/1.0/batch?action=restart (batchRestart)
func (a *API) BatchRestart(ctx context.Context, asyncID string) (*BatchRestartResult, error) {
	return call[BatchRestartResult](ctx, a, "batchRestart", bind(a.raw.BatchRestart, BatchAsyncRequest{Async: asyncID}))
}

// BatchRepost asks for a batch's results to be posted to its callback again.
//
// API: POST /api/1.0/batch?action=repost (batchRepost)
func (a *API) BatchRepost(ctx context.Context, asyncID string) (*BatchRepostResult, error) {
	return call[BatchRepostResult](ctx, a, "batchRepost", bind(a.raw.BatchRepost, BatchAsyncRequest{Async: asyncID}))
}
