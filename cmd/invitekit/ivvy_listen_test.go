package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/invitekit/fake/ivvyfake"
	"github.com/invitekit/invitekit/gen/ivvy/notify"
)

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestIvvyListenPrintsVerifiedNotificationsAndRefusals(t *testing.T) {
	const topic = "arn:aws:sns:ap-southeast-2:123456789012:iVvy_Account_14_NotifContacts"
	sns, err := ivvyfake.NewSNS("ap-southeast-2", topic)
	require.NoError(t, err)
	now := time.Date(2026, 3, 2, 9, 15, 0, 0, time.UTC)
	sns = sns.Copy(func() time.Time { return now })
	pemFile := filepath.Join(t.TempDir(), "sns.pem")
	require.NoError(t, os.WriteFile(pemFile, sns.CertPEM, 0o600))

	addrs := make(chan string, 1)
	listening = func(a string) { addrs <- a }
	listenOptions = []notify.Option{notify.WithClock(func() time.Time { return now })}
	t.Cleanup(func() { listening, listenOptions = nil, nil })

	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var out, errOut syncBuffer
	e := &env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }}
	code := make(chan int, 1)
	go func() {
		code <- run(ctx, e, []string{"ivvy", "listen", "--addr", "127.0.0.1:0", "--cert-file", pemFile, "--topic", topic})
	}()
	var base string
	select {
	case a := <-addrs:
		base = "http://" + a + "/ivvy"
	case c := <-code:
		t.Fatalf("listen exited with %d: %s", c, errOut.String())
	}

	post := func(m ivvyfake.SNSMessage) int {
		t.Helper()
		req, err := sns.NewRequest(ctx, base, m)
		require.NoError(t, err)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	good := sns.Notification("ContactDeleted", map[string]any{"contactId": 42}, 1)
	assert.Equal(t, http.StatusOK, post(good))
	assert.Equal(t, http.StatusOK, post(good), "a duplicate is acknowledged")
	assert.Equal(t, http.StatusOK, post(sns.Notification("ContactAdded", map[string]any{"data": map[string]any{"id": 9, "firstName": "Ana"}}, 2)))

	forged := sns.Notification("ContactDeleted", map[string]any{"contactId": 1, "note": "secret-body-text"}, 2)
	forged["Message"] = strings.Replace(forged["Message"], "secret-body-text", "secret-body-text!", 1)
	assert.Equal(t, http.StatusForbidden, post(forged))

	cancel() // what SIGINT does through main's signal context
	assert.Equal(t, 0, <-code, "stderr: %s", errOut.String())

	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Len(t, lines, 2, "stdout: %s", out.String())
	var first, second map[string]any
	require.NoError(t, json.Unmarshal([]byte(lines[0]), &first))
	require.NoError(t, json.Unmarshal([]byte(lines[1]), &second))
	assert.Equal(t, "ContactDeleted", first["subject"])
	assert.Equal(t, "14", first["account"])
	assert.Equal(t, "2026-03-02T09:15:00Z", first["time"])
	assert.Equal(t, true, first["known"])
	assert.Equal(t, map[string]any{"contactId": float64(42)}, first["body"])
	assert.Equal(t, "ContactAdded", second["subject"])
	assert.Equal(t, "Ana", second["body"].(map[string]any)["data"].(map[string]any)["firstName"])

	errLines := strings.Split(strings.TrimSpace(errOut.String()), "\n")
	require.Len(t, errLines, 1, "stderr: %s", errOut.String())
	assert.Contains(t, errLines[0], "refused Notification "+forged["MessageId"])
	assert.Contains(t, errLines[0], "bad signature")
	assert.NotContains(t, errOut.String(), "secret-body-text")
}

func TestIvvyListenUsage(t *testing.T) {
	code, _, errOut := runCLI(t, nil, "ivvy", "listen")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "--addr is required")

	code, _, errOut = runCLI(t, nil, "ivvy", "listen", "--addr", "127.0.0.1:0", "--cert-file", filepath.Join(t.TempDir(), "none.pem"))
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "--cert-file")

	bad := filepath.Join(t.TempDir(), "bad.pem")
	require.NoError(t, os.WriteFile(bad, []byte("not a certificate"), 0o600))
	code, _, errOut = runCLI(t, nil, "ivvy", "listen", "--addr", "127.0.0.1:0", "--cert-file", bad)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "no PEM CERTIFICATE")

	code, _, errOut = runCLI(t, nil, "ivvy", "listen", "--addr", "127.0.0.1:0", "--topic", " ")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "empty topic ARN")
}
