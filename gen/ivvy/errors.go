package ivvy

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/invitekit/invitekit/internal/httpx"
	"github.com/invitekit/invitekit/internal/redact"
)

// Sentinels an *APIError matches with errors.Is.
var (
	ErrUnauthorized   = errors.New("ivvy: unauthorized")     // errorCode 401: bad signature, unknown key
	ErrStale          = errors.New("ivvy: request is stale") // specificCode 23005: clock more than 5 minutes off
	ErrForbidden      = errors.New("ivvy: forbidden")        // errorCode 403
	ErrNotFound       = errors.New("ivvy: not found")        // errorCode 404 or an "unable to find" specific code
	ErrRateLimited    = errors.New("ivvy: rate limited")     // errorCode or HTTP status 429
	ErrInvalid        = errors.New("ivvy: invalid request")  // errorCode 400
	ErrSessionExpired = errors.New("ivvy: session expired")  // errorCode 462
	ErrKeyRevoked     = errors.New("ivvy: API key revoked")  // errorCode 463
	ErrServer         = errors.New("ivvy: server error")     // errorCode or HTTP status 5xx
)

// isNotFoundCode reports whether specific code means "the thing asked for
// does not exist" for the operation: the spec lists such codes per
// operation (x-not-found-codes), and the generated notFoundCodesOf carries
// them. For an error whose operation the spec does not know, any
// operation's not-found code counts.
func isNotFoundCode(operation string, code int) bool {
	if code == 0 {
		return false
	}
	if codes, known := notFoundCodesOf(operation); known {
		return slices.Contains(codes, code)
	}
	return isAnyNotFoundCode(code)
}

// APIError is an iVvy exception, or an answer that is not one of the
// documented shapes (then Excerpt holds the start of the body). iVvy may send
// an exception with HTTP 200; it is an *APIError all the same.
type APIError struct {
	Operation          string        // operationId, e.g. "inviteContacts"
	StatusCode         int           // HTTP status
	ErrorCode          int           // iVvy errorCode (general, usually equals the HTTP status)
	SpecificCode       int           // iVvy specificCode (precise cause), 0 when absent
	Message            string        // iVvy message
	AdditionalMessages []string      // validator messages, if any
	RetryAfter         time.Duration // from a Retry-After header, if any
	Excerpt            string        // start of a body that was not an exception
}

// Error describes the failure; it never contains credentials.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "ivvy: %s: ", e.Operation)
	if e.ErrorCode != 0 {
		fmt.Fprintf(&b, "error %d", e.ErrorCode)
		if e.SpecificCode != 0 {
			fmt.Fprintf(&b, "/%d", e.SpecificCode)
		}
		if e.StatusCode != e.ErrorCode {
			fmt.Fprintf(&b, " (HTTP %d)", e.StatusCode)
		}
	} else {
		fmt.Fprintf(&b, "HTTP %d", e.StatusCode)
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if len(e.AdditionalMessages) > 0 {
		b.WriteString(" (" + strings.Join(e.AdditionalMessages, "; ") + ")")
	}
	if e.Excerpt != "" {
		fmt.Fprintf(&b, ": %q", e.Excerpt)
	}
	return b.String()
}

// excerptLimit bounds APIError.Excerpt.
const excerptLimit = 200

// scrub removes from the text the server sent (message, additional
// messages, the body excerpt) the credentials the request carried (the
// signature and "IWS key:signature", in every form a server may echo
// them) and the secrets, then cuts the excerpt to its limit. It returns e.
func (e *APIError) scrub(req *http.Request, secrets *redact.Scrubber) *APIError {
	sc := secrets.Clone()
	sc.AddRequest(req)
	e.Message = sc.Scrub(e.Message)
	e.AdditionalMessages = slices.Clone(e.AdditionalMessages)
	sc.ScrubAll(e.AdditionalMessages)
	if e.Excerpt != "" {
		e.Excerpt = httpx.Excerpt([]byte(sc.Scrub(e.Excerpt)), excerptLimit)
	}
	return e
}

// Is matches the package's sentinel errors.
func (e *APIError) Is(target error) bool {
	code := e.ErrorCode
	if code == 0 {
		code = e.StatusCode
	}
	switch target {
	case ErrUnauthorized:
		return code == 401
	case ErrStale:
		return e.SpecificCode == 23005
	case ErrForbidden:
		return code == 403
	case ErrNotFound:
		return code == 404 || isNotFoundCode(e.Operation, e.SpecificCode)
	case ErrRateLimited:
		return code == 429 || e.StatusCode == 429
	case ErrInvalid:
		return code == 400
	case ErrSessionExpired:
		return code == 462
	case ErrKeyRevoked:
		return code == 463
	case ErrServer:
		return code >= 500 && code < 600 || e.StatusCode >= 500
	}
	return false
}

// Errors from the HTTP layer, shared by all invitekit clients.
var (
	// ErrOutcomeUnknown matches the error of a call that changes state (an
	// invitation, an add or update, a batch run) when the connection failed
	// after the request was sent: it may have taken effect.
	ErrOutcomeUnknown = httpx.ErrOutcomeUnknown
)

// RedirectError reports a redirect to another host, which is refused:
// nothing of the request reaches that host.
type RedirectError = httpx.RedirectError

// TooLargeError reports a response body over the WithMaxResponseBytes cap.
type TooLargeError = httpx.TooLargeError

// OutcomeUnknownError wraps the transport error of a state-changing call
// that was sent but not answered; it matches ErrOutcomeUnknown.
type OutcomeUnknownError = httpx.OutcomeUnknownError
