package alida

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
)

func TestTimeParsesServerForms(t *testing.T) {
	for in, want := range map[string]string{
		`"2016-11-15T01:01:28.4112016Z"`: "2016-11-15T01:01:28.4112016Z",
		`"2016-11-15T01:01:28Z"`:         "2016-11-15T01:01:28Z",
		`"2016-11-15T01:01:28.41"`:       "2016-11-15T01:01:28.41Z",
		`"2016-11-15T02:01:28+01:00"`:    "2016-11-15T01:01:28Z",
	} {
		var tm Time
		require.NoError(t, json.Unmarshal([]byte(in), &tm), in)
		out, err := json.Marshal(tm)
		require.NoError(t, err)
		assert.Equal(t, `"`+want+`"`, string(out), in)
	}
	for _, bad := range []string{`"15/11/2016"`, `12`, `"2016-11-15"`} {
		var tm Time
		assert.Error(t, json.Unmarshal([]byte(bad), &tm), bad)
	}
	var p *Time
	require.NoError(t, json.Unmarshal([]byte(`null`), &p))
	assert.Nil(t, p)
}

func TestParseCreatedShapes(t *testing.T) {
	for body, want := range map[string]Outcome{
		"":   OutcomeQueued,
		"  ": OutcomeQueued,
		"[]": OutcomeNothingQueued,
		`[{"id":"11111111-1111-4111-8111-111111111111","eventType":"SurveyInvited"}]`:               OutcomeQueuedWithEvents,
		`{"meta":{"offset":0,"limit":20,"count":0},"items":[],"links":[{"rel":"next"}],"href":"h"}`: OutcomeNothingQueued,
		`{"items":[{"title":"t"}]}`: OutcomeQueuedWithEvents,
	} {
		res, err := ParseCreated([]byte(body))
		require.NoError(t, err, body)
		assert.Equal(t, want, res.Outcome, body)
	}
	for _, bad := range []string{`"text"`, `<html>`, `[1,2]`, `{"items":3}`} {
		_, err := ParseCreated([]byte(bad))
		assert.Error(t, err, bad)
	}
	assert.Equal(t, "queued with events", OutcomeQueuedWithEvents.String())
	assert.Equal(t, "Outcome(9)", Outcome(9).String())
}

func TestAPIErrorMatchingAndText(t *testing.T) {
	body := []byte(`{"status":404,"message":"Member not found.","developerMessage":null,"errorId":"f00d0404-0000-4000-8000-000000000000"}`)
	err := error(newAPIError("createInvitationEvents", statusResp(404), body, time.Now()))
	assert.True(t, errors.Is(err, ErrNotFound))
	assert.False(t, errors.Is(err, ErrUnauthorized))
	var apiErr *APIError
	require.True(t, errors.As(err, &apiErr))
	assert.Equal(t, "f00d0404-0000-4000-8000-000000000000", apiErr.ErrorID)
	assert.Empty(t, apiErr.DeveloperMessage)
	assert.Equal(t, "alida: createInvitationEvents: HTTP 404: Member not found. (errorId f00d0404-0000-4000-8000-000000000000)", err.Error())

	for status, sentinel := range map[int]error{400: ErrBadRequest, 401: ErrUnauthorized, 403: ErrForbidden, 429: ErrRateLimited, 502: ErrServer} {
		assert.ErrorIs(t, newAPIError("op", statusResp(status), nil, time.Now()), sentinel)
	}

	long := newAPIError("op", statusResp(502), []byte("<html>"+strings.Repeat("x\n", 500)), time.Now())
	assert.LessOrEqual(t, len(long.Body), 200)
	assert.NotContains(t, long.Body, "\n")
	assert.Contains(t, long.Error(), "HTTP 502")
}

func TestRefreshTime(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	assert.Equal(t, now.Add(59*time.Minute), refreshTime(now, tokenWithExpiresIn(3600)))
	assert.Equal(t, now.Add(80*time.Second), refreshTime(now, tokenWithExpiresIn(100)))
	assert.True(t, refreshTime(now, tokenWithExpiresIn(0)).After(now.Add(24*time.Hour)))
}

func tokenWithExpiresIn(s int64) *oauth2.Token { return &oauth2.Token{AccessToken: "x", ExpiresIn: s} }

// statusResp is an answer with the status and no headers.
func statusResp(status int) *http.Response {
	return &http.Response{StatusCode: status, Header: http.Header{}}
}
