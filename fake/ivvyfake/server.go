// Package ivvyfake is an in-process fake of the iVvy API 1.0 for tests and
// demos. A *Server is an http.Handler: mount it on an httptest server (or any
// mux) and point a client at its URL.
//
// Like the real service, the fake accepts only signed POST requests to
// /api/1.0/{namespace}?action={action}. For every request it
//
//   - refuses other methods (405) and unknown paths or actions (404),
//   - verifies the X-Api-Authorization signature, the Content-MD5 and the
//     IVVY-Date (or Date) against its clock with the five-minute window
//     (401; specificCode 23005 when the request is stale); a
//     multipart/form-data upload is checked in the upload mode, over its
//     fields and its file's md5,
//   - validates the request against the embedded OpenAPI document of
//     gen/ivvy (400; specificCode 23017 for a missing parameter, 23016 for
//     one that does not validate),
//
// and then answers from in-memory state: events, contacts, invitations,
// registrations, attendees, sessions, sponsors, speakers, subscription
// groups (adding a member again or removing a non-member is no error),
// uploaded booking documents and batch jobs. Any other action of the spec
// is answered with the spec's example of its success.
// Failures are answered with the iVvy Exception body and an HTTP status equal
// to its errorCode.
//
// Collections honour perPage (capped, see WithPerPageCap) and start, and the
// generic filters: any result field, optionally suffixed with __CONTAINS,
// __NOTCONTAINS, __BEGINS, __ENDS, __NOT, __LESSTHAN (at most),
// __GREATERTHAN (at least) or __EMPTY, and the value "__ISNULL__" (or
// "ISNULL") to match null. String comparisons ignore case.
//
// Invitations answer with links under the host the request was sent to
// (/event/{code}/invitation/...). The fake does not serve those pages; tests
// record a contact's answer with Respond.
//
// Batch jobs run in steps: each progress or results call on a batch runs the
// next share of its jobs (see WithBatchSteps), so a client polling with
// backoff sees the progress grow until it reaches 100. Each job goes through
// the same validation and handlers as a request of its own (without a
// signature); its answer, an Exception body included, becomes its result.
// Batches are kept for two days of the server's clock. The fake never calls
// a batch's callbackUrl.
package ivvyfake

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/invitekit/invitekit/gen/ivvy"
	"github.com/invitekit/invitekit/internal/oas"
	"github.com/invitekit/invitekit/internal/redact"
	"github.com/invitekit/invitekit/internal/signing"
)

// DefaultPerPageCap is the largest page a collection call returns unless
// WithPerPageCap says otherwise. It is also the page size when a request
// gives no perPage.
const DefaultPerPageCap = 100

// MaxBatchJobs is the largest number of jobs one batch run accepts.
const MaxBatchJobs = 200

// maxBodyBytes bounds the request bodies the fake reads.
const maxBodyBytes = 8 << 20

// Server is a fake iVvy API. It is safe for concurrent use.
type Server struct {
	now        func() time.Time
	perPageCap int
	batchSteps int
	keys       map[string]redact.Secret
	validate   func(ctx context.Context, req *http.Request) error

	mu    sync.Mutex
	calls map[string]int
	st    state
}

// Option configures a Server.
type Option func(*Server)

// WithKey adds an API key pair the server accepts. It may be given several
// times. A server without keys refuses every request.
func WithKey(key, secret string) Option {
	return func(s *Server) { s.keys[key] = redact.Secret(secret) }
}

// WithClock sets the server's clock, used for the five-minute signature
// window, the ping acknowledgement and every created or modified date.
// The default is time.Now.
func WithClock(now func() time.Time) Option {
	return func(s *Server) {
		if now != nil {
			s.now = now
		}
	}
}

// WithPerPageCap sets the largest page a collection call returns (and the
// page size when a request gives none). Values below 1 are ignored.
func WithPerPageCap(n int) Option {
	return func(s *Server) {
		if n > 0 {
			s.perPageCap = n
		}
	}
}

// WithBatchSteps sets how many progress or results calls a batch takes to
// complete: each such call runs the next 1/n of its jobs. The default is 3;
// 1 completes a batch on the first poll.
func WithBatchSteps(n int) Option {
	return func(s *Server) {
		if n > 0 {
			s.batchSteps = n
		}
	}
}

// New returns an empty fake server: no events, contacts or keys unless
// options or the Add methods provide them.
func New(opts ...Option) *Server {
	s := &Server{
		now:        time.Now,
		perPageCap: DefaultPerPageCap,
		batchSteps: 3,
		keys:       map[string]redact.Secret{},
		validate:   validateRequest,
		calls:      map[string]int{},
	}
	s.st.init()
	for _, o := range opts {
		o(s)
	}
	return s
}

// Calls returns how many requests for the action (e.g. "inviteContacts",
// "getEventList", "run") the server has received over HTTP, whether they
// succeeded or not. Jobs run inside a batch are not counted.
func (s *Server) Calls(action string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[action]
}

// clock returns the server time in UTC, truncated to whole seconds.
func (s *Server) clock() time.Time {
	return s.now().UTC().Truncate(time.Second)
}

// ServeHTTP serves one iVvy API request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	status, resp := s.serve(r)
	writeJSON(w, status, resp)
}

// serve answers a request with a status and a JSON body: the path and
// action are resolved first, then the signature is verified, then the
// request is validated against the spec and handled.
func (s *Server) serve(r *http.Request) (int, any) {
	namespace, ok := strings.CutPrefix(r.URL.Path, "/api/1.0/")
	if !ok || namespace == "" || strings.Contains(namespace, "/") {
		return failure(notFound("Unknown API path " + truncate(r.URL.Path, 80)))
	}
	action := r.URL.Query().Get("action")
	op, known := operations[namespace+"/"+action]
	if !known {
		op, known = specOperation(namespace, action)
	}
	if !known {
		return failure(notFound(fmt.Sprintf("Unknown action %q in namespace %q", truncate(action, 60), truncate(namespace, 40))))
	}
	s.mu.Lock()
	s.calls[action]++
	s.mu.Unlock()

	if r.Method != http.MethodPost {
		return failure(&exception{Status: http.StatusMethodNotAllowed, ErrorCode: 405, Message: "Method not allowed: every call is a POST"})
	}
	if r.Body == nil {
		r.Body = http.NoBody
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	if err != nil {
		return failure(badRequest(codeInvalidParam, "The request body could not be read"))
	}
	if len(body) > maxBodyBytes {
		return failure(badRequest(codeInvalidParam, "The request body is too large"))
	}
	if err := s.authenticate(r, body); err != nil {
		return failure(err)
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.run(r.Context(), op, namespace, action, r.Header.Get("Content-Type"), body, baseURL(r))
}

// authenticate verifies the request's signature and date.
func (s *Server) authenticate(r *http.Request, body []byte) *exception {
	err := signing.VerifyIvvy(r, body, func(key string) (string, bool) {
		secret, ok := s.keys[key]
		return secret.Reveal(), ok
	}, s.now())
	switch {
	case err == nil:
		return nil
	case errors.Is(err, signing.ErrIvvyStale):
		return &exception{Status: http.StatusUnauthorized, ErrorCode: 401, SpecificCode: codeStale, Message: "Request is stale"}
	case errors.Is(err, signing.ErrIvvyUnknownKey):
		return &exception{Status: http.StatusUnauthorized, ErrorCode: 401, Message: "Unauthorized: unknown API key"}
	case errors.Is(err, signing.ErrIvvyBadSignature):
		return &exception{Status: http.StatusUnauthorized, ErrorCode: 401, Message: "Unauthorized: signature does not match"}
	case errors.Is(err, signing.ErrIvvyBadMD5):
		return &exception{Status: http.StatusUnauthorized, ErrorCode: 401, Message: "Unauthorized: Content-MD5 does not match the body"}
	default:
		return &exception{Status: http.StatusUnauthorized, ErrorCode: 401, Message: "Unauthorized: X-Api-Authorization header missing or malformed"}
	}
}

// run validates a call against the spec and serves it. s.mu must be held.
// Batch jobs come through here too, with the batch request's base URL.
func (s *Server) run(ctx context.Context, op operation, namespace, action, contentType string, body []byte, base string) (int, any) {
	if op.precheck != nil {
		if exc := op.precheck(body); exc != nil {
			return failure(exc)
		}
	}
	if s.validate != nil {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, "/api/1.0/"+namespace+"?action="+action, bytes.NewReader(body))
		if err != nil {
			return failure(internalError())
		}
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		if err := s.validate(ctx, req); err != nil {
			return failure(validationException(err))
		}
	}
	c, exc := newCallOf(contentType, body, base)
	if exc != nil {
		return failure(exc)
	}
	c.ctx = ctx
	res, exc := op.handle(s, c)
	if exc != nil {
		return failure(exc)
	}
	return http.StatusOK, res
}

// operation is one action the fake serves.
type operation struct {
	// precheck, when set, runs before validation against the spec, for
	// checks the server makes with a more specific code than 23016.
	precheck func(body []byte) *exception
	handle   func(s *Server, c *call) (any, *exception)
}

// operations maps "namespace/action" to its implementation.
var operations map[string]operation

func init() {
	operations = map[string]operation{
		"test/ping":                                   {handle: (*Server).ping},
		"event/inviteContacts":                        {handle: (*Server).inviteContacts},
		"event/getInvitedContactList":                 {handle: (*Server).getInvitedContactList},
		"event/addOrUpdateEvent":                      {handle: (*Server).addOrUpdateEvent},
		"event/getEventList":                          {handle: (*Server).getEventList},
		"event/getEvent":                              {handle: (*Server).getEvent},
		"event/getRegistration":                       {handle: (*Server).getRegistration},
		"event/getRegistrationList":                   {handle: (*Server).getRegistrationList},
		"event/getAttendee":                           {handle: (*Server).getAttendee},
		"event/getAttendeeList":                       {handle: (*Server).getAttendeeList},
		"event/getSponsorshipList":                    {handle: (*Server).getSponsorshipList},
		"event/getSpeakerList":                        {handle: (*Server).getSpeakerList},
		"event/getSessionList":                        {handle: (*Server).getSessionList},
		"event/createLoginToken":                      {handle: (*Server).createLoginToken},
		"contact/getContactList":                      {handle: (*Server).getContactList},
		"contact/getContact":                          {handle: (*Server).getContact},
		"contact/addOrUpdateContact":                  {handle: (*Server).addOrUpdateContact},
		"contact/getSubscriptionGroupList":            {handle: (*Server).getSubscriptionGroupList},
		"contact/addContactsToSubscriptionGroup":      {handle: (*Server).addContactsToSubscriptionGroup},
		"contact/removeContactsFromSubscriptionGroup": {handle: (*Server).removeContactsFromSubscriptionGroup},
		"venue/uploadBookingDocument":                 {handle: (*Server).uploadBookingDocument},
		"batch/run":                                   {precheck: batchPrecheck, handle: (*Server).batchRun},
		"batch/progress":                              {handle: (*Server).batchProgress},
		"batch/results":                               {handle: (*Server).batchResults},
		"batch/restart":                               {handle: (*Server).batchRestart},
		"batch/repost":                                {handle: (*Server).batchRepost},
	}
}

// ping answers with the server time.
func (s *Server) ping(*call) (any, *exception) {
	return ivvy.PingResult{Ack: ivvy.NewTime(s.clock())}, nil
}

// baseURL is the scheme and host the request was sent to, used to build the
// links the fake hands out.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	host := r.Host
	if host == "" {
		host = "127.0.0.1"
	}
	return scheme + "://" + host
}

// writeJSON writes v as the JSON response body.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b, _ = json.Marshal(internalError().body())
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", fmt.Sprint(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// truncate shortens s for a message.
func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}

// specAnswers caches, per "namespace/action", the operation built from the
// spec for an action no stateful handler serves.
var specAnswers sync.Map

// specOperation serves an action of the spec that has no stateful handler:
// after the signature and the spec's checks of the request, it answers with
// the example the spec gives for the operation's success. Adding an
// operation to the spec, with its example, is all it takes for the fake to
// serve it.
func specOperation(namespace, action string) (operation, bool) {
	key := namespace + "/" + action
	if op, ok := specAnswers.Load(key); ok {
		return op.(operation), true
	}
	router, err := specRouter()
	if err != nil {
		return operation{}, false
	}
	req, err := http.NewRequest(http.MethodPost, "/api/1.0/"+namespace+"?action="+action, nil)
	if err != nil {
		return operation{}, false
	}
	route, _, err := router.FindRoute(req)
	if err != nil {
		return operation{}, false
	}
	example, ok := oas.SuccessExample(route.Operation)
	if !ok {
		return operation{}, false
	}
	op := operation{handle: func(*Server, *call) (any, *exception) { return example, nil }}
	specAnswers.Store(key, op)
	return op, true
}
