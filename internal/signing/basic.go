package signing

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"

	"github.com/invitekit/invitekit/internal/redact"
)

// ErrBasicUsername reports a user name that HTTP Basic cannot carry: it is
// empty or holds a colon (RFC 7617).
var ErrBasicUsername = errors.New("signing: Basic user name must be non-empty and hold no colon")

// Basic returns a request editor that sets the Authorization header to HTTP
// Basic credentials (RFC 7617: base64 of "user:password", UTF-8). It replaces
// any Authorization header already set. The returned error never contains
// the password.
func Basic(username string, password redact.Secret) func(ctx context.Context, req *http.Request) error {
	value := "Basic " + base64.StdEncoding.EncodeToString([]byte(username+":"+password.Reveal()))
	bad := username == "" || strings.ContainsRune(username, ':')
	return func(_ context.Context, req *http.Request) error {
		if bad {
			return ErrBasicUsername
		}
		if req.Header == nil {
			req.Header = http.Header{}
		}
		req.Header.Set("Authorization", value)
		return nil
	}
}
