// Package ivvy is a typed client for the iVvy API 1.0 (event and venue
// management): every documented action of its account, batch, contact, crm,
// event, invoice, partner, test and venue namespaces, bulk invitations, a
// batch runner, and a filter builder. Sub-package notify receives and
// verifies the notifications iVvy pushes through Amazon SNS.
//
// Everything per operation is generated from specs/ivvy.yaml: the models
// (models.gen.go), a method on API for each action and an iterator for
// each paged list (api.gen.go), and the options (options.gen.go).
// Operations and LookupOperation describe each operation as the spec does.
// Call sends any operation with a raw JSON body.
//
// # Authentication
//
// Every request is signed with the API key pair (HMAC-SHA1 over the method,
// body md5, content type, path and IVVY-Date). Signing runs last, after any
// editor added with WithEditor, and again on every retry, so the signature
// always covers what is sent and is never stale.
//
//	api, err := ivvy.New(key, secret, ivvy.WithRegion(ivvy.RegionAU))
//
// # Errors
//
// A failed call returns an *APIError carrying iVvy's errorCode,
// specificCode, message and additionalMessages and the HTTP status. iVvy may
// answer an exception with HTTP 200; it is an error all the same. Use
// errors.As for the fields and errors.Is with ErrNotFound, ErrUnauthorized,
// ErrStale, ErrRateLimited and the other sentinels.
//
// # Pagination
//
// Collection calls have a page method (GetEventList) and an iterator
// (Events) that fetches pages as the loop advances:
//
//	for ev, err := range api.Events(ctx, ivvy.GetEventListRequest{}) {
//		if err != nil { ... }
//	}
//
// # Retries and limits
//
// Read-only operations are retried on connection errors, 429, 502, 503 and
// 504 with capped, jittered backoff that honours Retry-After and the
// context's deadline. Operations that change state (add/update, invite,
// batch run) are sent once; if the connection fails after sending, the error
// says the outcome is unknown. Calls time out after a minute by default, and
// response bodies are capped at 4 MiB. Redirects to another host are refused.
//
// # Timestamps and numbers
//
// iVvy writes timestamps as "yyyy-mm-dd HH:mm:ss" in UTC, with or without a
// trailing " UTC" (Time), and sends some numbers as strings (Int, Float).
// Status fields whose documented values drift between pages are open integer
// types with named constants (EventStatus, RegistrationStatus, ...).
package ivvy
