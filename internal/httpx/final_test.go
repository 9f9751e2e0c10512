package httpx

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An editor error marked Final ends a safe call at once; an unmarked one
// is retried.
func TestFinalEditorErrorIsNotRetried(t *testing.T) {
	refused := errors.New("credentials refused")
	for _, tc := range []struct {
		name  string
		err   error
		tries int
	}{{"final", Final(refused), 1}, {"plain", refused, 3}} {
		t.Run(tc.name, func(t *testing.T) {
			edits := 0
			d := New(Config{
				Retry: RetryPolicy{MaxAttempts: 3},
				Sleep: func(context.Context, time.Duration) error { return nil },
				Final: []Editor{func(context.Context, *http.Request) error { edits++; return tc.err }},
			})
			req, err := http.NewRequestWithContext(WithOperation(t.Context(), "op", true), http.MethodGet, "http://127.0.0.1:1/", nil)
			require.NoError(t, err)
			_, err = d.Do(req)
			require.ErrorIs(t, err, refused)
			assert.Equal(t, "credentials refused", err.Error())
			assert.Equal(t, tc.tries, edits)
		})
	}
	assert.NoError(t, Final(nil))
}
