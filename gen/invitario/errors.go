package invitario

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/invitekit/invitekit/internal/httpx"
	"github.com/invitekit/invitekit/internal/redact"
)

// The documented error codes.
const (
	CodeInvalidJSON      = 10   // "Invalid JSON provided."
	CodeMissingParameter = 20   // "Required parameter(s) missing: ..."
	CodeInvalidSession   = 30   // "Invalid session token provided."
	CodeUnknownEvent     = 1000 // "Event ID not known." (login)
	CodeInvalidAppCode   = 1010 // "API key incorrect." (login)
)

// Sentinels matched by *APIError with errors.Is.
var (
	// ErrInvalidJSON: the server could not parse the request (code 10).
	ErrInvalidJSON = errors.New("invitario: invalid JSON")
	// ErrMissingParameter: a required parameter was missing (code 20).
	ErrMissingParameter = errors.New("invitario: required parameter missing")
	// ErrSessionExpired: the session token is invalid or expired (code 30).
	ErrSessionExpired = errors.New("invitario: invalid session token")
	// ErrUnknownEvent: login named an unknown event (code 1000).
	ErrUnknownEvent = errors.New("invitario: event id not known")
	// ErrInvalidAppCode: login sent a wrong app code (code 1010).
	ErrInvalidAppCode = errors.New("invitario: app code incorrect")
	// ErrUnauthorized: the credentials were refused (code 1000 or 1010,
	// or HTTP 401/403 without a session error).
	ErrUnauthorized = errors.New("invitario: unauthorized")
	// ErrRateLimited: the server answered HTTP 429.
	ErrRateLimited = errors.New("invitario: rate limited")
	// ErrNotFound: the server answered HTTP 404 without an error code.
	ErrNotFound = errors.New("invitario: not found")
)

// ErrClosed is returned by calls made after Close.
var ErrClosed = errors.New("invitario: session closed")

// APIError is a failed call: an error envelope (status "error") with HTTP
// 200 or an error status, or an answer that could not be understood.
type APIError struct {
	// Operation is the operationId of the call (login, guestListAll,
	// guestListRecent, logout).
	Operation string
	// StatusCode is the HTTP status of the answer.
	StatusCode int
	// Status is the body's status property ("error"), if any.
	Status string
	// DisplayMessage is the body's displayMessage, if any.
	DisplayMessage string
	// Errors are the body's error entries.
	Errors []ErrorItem
	// Excerpt is the start of a body that was not an error envelope.
	Excerpt string
	// RetryAfter is the delay a Retry-After header asked for (rate
	// limiting, unavailability), or zero.
	RetryAfter time.Duration
}

// Error describes the failure with the vendor's messages and codes.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("invitario ")
	b.WriteString(e.Operation)
	b.WriteString(": ")
	switch {
	case len(e.Errors) > 0:
		for i, it := range e.Errors {
			if i > 0 {
				b.WriteString("; ")
			}
			fmt.Fprintf(&b, "%s (code %d)", strings.TrimSpace(it.Message), it.Code)
		}
	case e.DisplayMessage != "":
		b.WriteString(e.DisplayMessage)
	default:
		fmt.Fprintf(&b, "HTTP %d", e.StatusCode)
		if e.Excerpt != "" {
			fmt.Fprintf(&b, ": %s", e.Excerpt)
		}
	}
	return b.String()
}

// Has reports whether the answer carries the error code.
func (e *APIError) Has(code int) bool {
	for _, it := range e.Errors {
		if it.Code == code {
			return true
		}
	}
	return false
}

// Code returns the first error code, or 0.
func (e *APIError) Code() int {
	if len(e.Errors) == 0 {
		return 0
	}
	return e.Errors[0].Code
}

// Is matches the package's sentinels.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrInvalidJSON:
		return e.Has(CodeInvalidJSON)
	case ErrMissingParameter:
		return e.Has(CodeMissingParameter)
	case ErrSessionExpired:
		return e.Has(CodeInvalidSession)
	case ErrUnknownEvent:
		return e.Has(CodeUnknownEvent)
	case ErrInvalidAppCode:
		return e.Has(CodeInvalidAppCode)
	case ErrUnauthorized:
		return e.Has(CodeUnknownEvent) || e.Has(CodeInvalidAppCode) ||
			((e.StatusCode == http.StatusUnauthorized || e.StatusCode == http.StatusForbidden) && !e.Has(CodeInvalidSession))
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound && len(e.Errors) == 0
	}
	return false
}

// envelope is the part of every answer that tells success from failure.
type envelope struct {
	Status         string            `json:"status"`
	DisplayMessage *string           `json:"displayMessage"`
	Errors         []json.RawMessage `json:"errors"`
}

// errorItems keeps the {code, message} entries and skips anything else
// (the documentation shows a placeholder string among them).
func errorItems(raw []json.RawMessage) []ErrorItem {
	var out []ErrorItem
	for _, r := range raw {
		var it struct {
			Code    *int   `json:"code"`
			Message string `json:"message"`
		}
		if json.Unmarshal(r, &it) == nil && it.Code != nil {
			out = append(out, ErrorItem{Code: *it.Code, Message: it.Message})
		}
	}
	return out
}

// failure returns the *APIError for an answer, or nil when the answer is a
// success: HTTP 2xx and a status other than "error" with no error entries.
func (a *API) failure(op string, resp *http.Response, body []byte, tok Secret) *APIError {
	status := resp.StatusCode
	var env envelope
	jsonErr := json.Unmarshal(body, &env)
	items := errorItems(env.Errors)
	ok2xx := status >= 200 && status < 300
	if jsonErr == nil && ok2xx && env.Status != "error" && len(items) == 0 {
		return nil
	}
	e := &APIError{Operation: op, StatusCode: status, Status: env.Status, Errors: items}
	e.RetryAfter, _ = httpx.RetryAfter(resp.Header, a.doer.Now())
	sc := a.scrubber(resp, tok)
	if env.DisplayMessage != nil {
		e.DisplayMessage = sc.Scrub(*env.DisplayMessage)
	}
	for i := range e.Errors {
		e.Errors[i].Message = sc.Scrub(e.Errors[i].Message)
	}
	if jsonErr != nil || (len(items) == 0 && e.DisplayMessage == "") {
		e.Excerpt = httpx.Excerpt([]byte(sc.Scrub(string(body))), 197) // at most 200 with the ellipsis
	}
	return e
}

// scrubber removes the app code and the session token from server text in
// every form a server may echo them (JSON-escaped, URL-escaped, ...), and
// any credential the request carried in a header. Text that contains a
// secret too short to cut out is withheld whole.
func (a *API) scrubber(resp *http.Response, tok Secret) *redact.Scrubber {
	var sc redact.Scrubber
	sc.Add(a.creds.AppCode.Reveal(), tok.Reveal())
	if resp != nil {
		sc.AddRequest(resp.Request)
	}
	return &sc
}

// Errors from the HTTP layer, shared by all invitekit clients.
var (
	// ErrOutcomeUnknown matches the error of a call that changes state
	// when the connection failed after the request was sent: it may have
	// taken effect.
	ErrOutcomeUnknown = httpx.ErrOutcomeUnknown
)

// RedirectError reports a redirect to another host, which is refused:
// nothing of the request reaches that host.
type RedirectError = httpx.RedirectError

// TooLargeError reports a response body over its cap.
type TooLargeError = httpx.TooLargeError

// OutcomeUnknownError wraps the transport error of a state-changing call
// that was sent but not answered; it matches ErrOutcomeUnknown.
type OutcomeUnknownError = httpx.OutcomeUnknownError
