package invitario

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// invokeServer logs in with tokens tok-1, tok-2, ... and answers
// /api/v1/x with answer(token).
type invokeServer struct {
	mu     sync.Mutex
	logins int
	tokens []string
	answer func(tok string) string
}

func (s *invokeServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var body map[string]any
	_ = json.NewDecoder(r.Body).Decode(&body)
	s.mu.Lock()
	defer s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	switch r.URL.Path {
	case "/api/v1/login":
		s.logins++
		fmt.Fprintf(w, `{"status":"success","sessionToken":"tok-%d","stationName":"Door"}`, s.logins)
	case "/api/v1/logout":
		fmt.Fprint(w, `{"status":"success"}`)
	default:
		tok, _ := body["sessionToken"].(string)
		s.tokens = append(s.tokens, tok)
		fmt.Fprint(w, s.answer(tok))
	}
}

func invokeAPI(t *testing.T, answer func(string) string) (*API, *invokeServer) {
	t.Helper()
	srv := &invokeServer{answer: answer}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	a, err := New(Credentials{EventID: "1", AppCode: "app-code-secret", Station: "Door"}, WithBaseURL(ts.URL), WithMaxAttempts(1))
	require.NoError(t, err)
	return a, srv
}

func xRequest(body any) *request {
	op := &Operation{ID: "x", Method: http.MethodPost, Path: "/api/v1/x"}
	return &request{op: op, path: op.Path, body: body}
}

func TestInvokeLogsInAgainOnceWhenTheTokenIsRefused(t *testing.T) {
	refused := `{"errors":[{"code":30,"message":"Invalid session token provided."}]}`
	a, srv := invokeAPI(t, func(tok string) string {
		if tok == "tok-1" {
			return refused
		}
		return `{"status":"success"}`
	})
	var out LogoutResult
	require.NoError(t, a.invoke(context.Background(), xRequest(SessionRequest{}), &out))
	assert.Equal(t, SuccessStatusSuccess, out.Status)
	assert.Equal(t, []string{"tok-1", "tok-2"}, srv.tokens)

	// Refused every time: the second refusal is the caller's.
	a, srv = invokeAPI(t, func(string) string { return refused })
	err := a.invoke(context.Background(), xRequest(SessionRequest{}), &out)
	require.ErrorIs(t, err, ErrSessionExpired)
	assert.Equal(t, 2, srv.logins, "one new login, not a loop")
}

func TestInvokeErrorsAndAnswers(t *testing.T) {
	// An error envelope with HTTP 200 is an *APIError, sent once.
	a, srv := invokeAPI(t, func(string) string {
		return `{"status":"error","errors":[{"code":10,"message":"Invalid JSON provided."}]}`
	})
	err := a.invoke(context.Background(), xRequest(SessionRequest{}), new(LogoutResult))
	var apiErr *APIError
	require.True(t, errors.As(err, &apiErr), "%v", err)
	assert.Equal(t, 10, apiErr.Code())
	assert.Len(t, srv.tokens, 1)

	// An answer that is not JSON names the operation, and a token it
	// echoes is cut out.
	a, _ = invokeAPI(t, func(tok string) string { return "<html>" + tok + "</html>" })
	err = a.invoke(context.Background(), xRequest(SessionRequest{}), new(LogoutResult))
	require.True(t, errors.As(err, &apiErr), "%v", err)
	assert.Equal(t, "x", apiErr.Operation)
	assert.NotContains(t, err.Error(), "tok-1")

	// A body without a session token logs nobody in.
	a, srv = invokeAPI(t, func(tok string) string { return `{"status":"success"}` })
	require.NoError(t, a.invoke(context.Background(), xRequest(map[string]string{"q": "1"}), new(LogoutResult)))
	assert.Equal(t, 0, srv.logins)
	assert.Equal(t, []string{""}, srv.tokens)

	// A body that is not a JSON object is refused before anything is sent.
	err = a.invoke(context.Background(), xRequest([]int{1}), nil)
	require.ErrorContains(t, err, "not a JSON object")
}
