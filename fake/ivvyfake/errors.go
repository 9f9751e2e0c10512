package ivvyfake

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/routers"

	"github.com/invitekit/invitekit/gen/ivvy"
	"github.com/invitekit/invitekit/internal/oas"
	"github.com/invitekit/invitekit/specs"
)

// iVvy specific codes the fake uses.
const (
	codeStale          = 23005
	codeInvalidParam   = 23016
	codeMissingParam   = 23017
	codeBatchJobFormat = 24092
	codeBatchEmptyJob  = 24093
	codeNoSponsors     = 24094
	codeContactUnknown = 24096
	codeEventUnknown   = 24097 // getEvent
	codeTokenEvent     = 24098 // createLoginToken
	codeTokenFailed    = 24099
	codeSponsorEvent   = 24100 // getSponsorshipList
	codeSpeakerEvent   = 24101 // getSpeakerList
	codeBatchProgress  = 24105 // progress: could not find batch
	codeBatchPending   = 24114 // results: not completed
	codeBatchUnknown   = 24115 // results: could not find batch
	codeNoSpeakers     = 24124
	codeRegListEvent   = 24206 // getRegistrationList
	codeRegEvent       = 24207 // getRegistration
	codeRegInvalid     = 24208
	codeRegUnknown     = 24209
	codeAttListEvent   = 24210 // getAttendeeList
	codeAttEvent       = 24211 // getAttendee
	codeAttInvalid     = 24212
	codeAttUnknown     = 24213
	codeBatchTooMany   = 24448
	codeSessionEvent   = 24456 // getSessionList
	codeUploadBadData  = 24464 // uploadBookingDocument: bad data
	codeUploadInvalid  = 24465 // uploadBookingDocument: invalid data
)

// exception is a failed call: the iVvy Exception body plus the HTTP status.
type exception struct {
	Status       int
	ErrorCode    int
	SpecificCode int
	Message      string
	Additional   []string
}

// body renders the Exception body.
func (e *exception) body() ivvy.Exception {
	return ivvy.Exception{ErrorCode: e.ErrorCode, Message: e.Message, SpecificCode: e.SpecificCode,
		AdditionalMessages: append([]string(nil), e.Additional...)}
}

// failure returns the status and body for e.
func failure(e *exception) (int, any) {
	return e.Status, e.body()
}

// badRequest is an errorCode 400 exception with a specific code.
func badRequest(specific int, msg string, more ...string) *exception {
	return &exception{Status: http.StatusBadRequest, ErrorCode: 400, SpecificCode: specific, Message: msg, Additional: more}
}

// notFound is an errorCode 404 exception (unknown path or action).
func notFound(msg string) *exception {
	return &exception{Status: http.StatusNotFound, ErrorCode: 404, Message: msg}
}

// internalError is an errorCode 500 exception.
func internalError() *exception {
	return &exception{Status: http.StatusInternalServerError, ErrorCode: 500, Message: "Internal server error"}
}

// missing reports a required parameter that was not sent.
func missing(name string) *exception {
	return badRequest(codeMissingParam, fmt.Sprintf("'%s' is required", name))
}

// invalid reports a parameter that does not validate.
func invalid(name string, why ...string) *exception {
	return badRequest(codeInvalidParam, fmt.Sprintf("'%s' does not validate", name), why...)
}

// specRouter is the router over the embedded spec, built once.
var specRouter = sync.OnceValues(func() (*oas.Router, error) {
	doc, err := specs.Load(specs.Ivvy)
	if err != nil {
		return nil, err
	}
	return oas.NewRouter(doc)
})

// validateRequest validates req against the embedded spec. An action the
// spec does not describe is not validated.
func validateRequest(ctx context.Context, req *http.Request) error {
	router, err := specRouter()
	if err != nil {
		return fmt.Errorf("load spec: %w", err)
	}
	if _, _, err := router.FindRoute(req); err != nil {
		if errors.Is(err, routers.ErrPathNotFound) {
			return nil
		}
		return err
	}
	_, err = oas.ValidateRequest(ctx, router, req)
	return err
}

// validationException turns a validation error into the exception the
// server sends: 23017 naming the first missing parameter, else 23016 naming
// the first parameter that does not validate, with the validator's reasons
// (never the values) as additional messages.
func validationException(err error) *exception {
	p := oas.ReadRequestError(err)
	schemaErrs := p.Schema
	if p.BodyMissing && len(schemaErrs) == 0 {
		return badRequest(codeMissingParam, "The request parameters are required")
	}
	// A missing parameter wins; otherwise the first (in path order) that
	// does not validate.
	sort.SliceStable(schemaErrs, func(i, j int) bool {
		return strings.Join(schemaErrs[i].JSONPointer(), "/") < strings.Join(schemaErrs[j].JSONPointer(), "/")
	})
	for _, e := range schemaErrs {
		if e.SchemaField == "required" {
			return missing(paramName(e.JSONPointer()))
		}
	}
	if len(schemaErrs) > 0 {
		first := schemaErrs[0]
		name := paramName(first.JSONPointer())
		var why []string
		for _, e := range schemaErrs {
			if paramName(e.JSONPointer()) == name && e.Reason != "" {
				why = append(why, e.Reason)
			}
		}
		return invalid(name, why...)
	}
	return badRequest(codeInvalidParam, "The request does not validate")
}

// paramName names the parameter a schema error is about: the dotted path
// into the body, or "body" for the body itself.
func paramName(path []string) string {
	if len(path) == 0 {
		return "body"
	}
	return strings.Join(path, ".")
}
