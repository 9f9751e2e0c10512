package alida

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

// Sentinel errors matched by *APIError with errors.Is.
var (
	// ErrBadRequest matches a 400 answer, for example an event for a closed
	// communication or a malformed body.
	ErrBadRequest = errors.New("alida: bad request")
	// ErrUnauthorized matches a 401 answer: wrong credentials or an expired
	// token.
	ErrUnauthorized = errors.New("alida: unauthorized")
	// ErrForbidden matches a 403 answer.
	ErrForbidden = errors.New("alida: forbidden")
	// ErrNotFound matches a 404 answer: unknown community, communication or
	// member.
	ErrNotFound = errors.New("alida: not found")
	// ErrRateLimited matches a 429 answer.
	ErrRateLimited = errors.New("alida: rate limited")
	// ErrServer matches any 5xx answer.
	ErrServer = errors.New("alida: server error")
)

// APIError is a failed call: the HTTP status, the operation and the fields
// of Alida's error body. A body that is not Alida's JSON error leaves the
// vendor fields empty and keeps a short excerpt in Body.
type APIError struct {
	// StatusCode is the HTTP status of the answer.
	StatusCode int
	// Operation is the operationId of the call ("token" for the OAuth2 token
	// endpoint).
	Operation string
	// Status is the status the body repeats.
	Status int
	// Message is the user-facing message.
	Message string
	// DeveloperMessage is the debugging detail, when the server gave one.
	DeveloperMessage string
	// ErrorID identifies the failure for Alida support.
	ErrorID string
	// Body is an excerpt (at most 200 bytes) of a body that was not an
	// Alida error.
	Body string
	// RetryAfter is the delay a Retry-After header asked for (rate
	// limiting, unavailability), or zero.
	RetryAfter time.Duration
}

// Error describes the failure: operation, status, message and errorId. The
// developer message stays out of it (it may echo request details); read it
// from the DeveloperMessage field.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "alida: %s: HTTP %d", e.Operation, e.StatusCode)
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	} else if e.Body != "" {
		fmt.Fprintf(&b, ": %q", e.Body)
	}
	if e.ErrorID != "" {
		fmt.Fprintf(&b, " (errorId %s)", e.ErrorID)
	}
	return b.String()
}

// Is matches the sentinel errors by status.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrBadRequest:
		return e.StatusCode == http.StatusBadRequest
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	case ErrServer:
		return e.StatusCode >= 500 && e.StatusCode <= 599
	}
	return false
}

// excerptLimit bounds the body excerpt kept in an APIError.
const excerptLimit = 200

// scrubber removes from server text the credentials the request carried
// (in every form a server may echo them) and the given secrets.
func scrubber(resp *http.Response, secrets ...string) *redact.Scrubber {
	var s redact.Scrubber
	if resp != nil {
		s.AddRequest(resp.Request)
	}
	s.Add(secrets...)
	return &s
}

// excerpt is the start of an answer's body for an error message, without
// the credentials the request carried (an error page may echo them).
func excerpt(resp *http.Response, body []byte, secrets ...string) string {
	return httpx.Excerpt([]byte(scrubber(resp, secrets...).Scrub(string(body))), excerptLimit-10)
}

// newAPIError builds the error for a non-2xx answer from its body. Every
// text taken from the body is scrubbed of the request's credentials and
// of secrets.
func newAPIError(op string, resp *http.Response, body []byte, now time.Time, secrets ...string) *APIError {
	e := &APIError{StatusCode: resp.StatusCode, Operation: op}
	e.RetryAfter, _ = httpx.RetryAfter(resp.Header, now)
	sc := scrubber(resp, secrets...)
	var vendor Error
	if json.Unmarshal(body, &vendor) == nil && (vendor.Message != "" || vendor.Status != 0) {
		e.Status = vendor.Status
		e.Message = sc.Scrub(vendor.Message)
		e.DeveloperMessage = sc.Scrub(vendor.DeveloperMessage)
		e.ErrorID = sc.Scrub(vendor.ErrorID)
		return e
	}
	e.Body = httpx.Excerpt([]byte(sc.Scrub(string(body))), excerptLimit-10)
	return e
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
