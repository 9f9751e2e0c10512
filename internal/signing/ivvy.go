// Package signing authenticates outgoing requests: the iVvy HMAC-SHA1
// signature and HTTP Basic auth, each as a request editor.
package signing

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/invitekit/invitekit/internal/redact"
)

// iVvy protocol constants.
const (
	// IvvyAPIVersion is the version part of every iVvy string to sign.
	IvvyAPIVersion = "1.0"
	// IvvyDateLayout is the layout of the IVVY-Date header (always UTC).
	IvvyDateLayout = "2006-01-02 15:04:05"
	// IvvyDateHeader carries the request time in place of Date.
	IvvyDateHeader = "IVVY-Date"
	// IvvyAuthHeader carries "IWS <key>:<signature>".
	IvvyAuthHeader = "X-Api-Authorization"
	// ContentMD5Header carries the lowercase hex md5 of the body.
	ContentMD5Header = "Content-MD5"
	// IvvyMaxSkew is how far the server lets a request's date differ from its clock.
	IvvyMaxSkew = 5 * time.Minute
)

// Ivvy signs iVvy requests. Its Edit method has the shape of a request
// editor; it must run after every other editor, on every attempt, because it
// signs the final headers and body.
type Ivvy struct {
	key    string
	secret redact.Secret
	now    func() time.Time
}

// NewIvvy returns a signer for the key pair. now supplies the request time;
// nil means time.Now.
func NewIvvy(key string, secret redact.Secret, now func() time.Time) *Ivvy {
	if now == nil {
		now = time.Now
	}
	return &Ivvy{key: key, secret: secret, now: now}
}

// Edit hashes the body, sets Content-MD5 and IVVY-Date, removes any Date
// header and sets X-Api-Authorization. The body is restored so it is sent
// whole.
func (s *Ivvy) Edit(_ context.Context, req *http.Request) error {
	if s.key == "" || s.secret.IsZero() {
		return errors.New("ivvy signing: API key and secret are required")
	}
	body, err := snapshotBody(req)
	if err != nil {
		return fmt.Errorf("ivvy signing: read body: %w", err)
	}
	sum := md5.Sum(body)
	bodyMD5 := hex.EncodeToString(sum[:])

	req.Header.Del("Date")
	req.Header.Set(ContentMD5Header, bodyMD5)
	req.Header.Set(IvvyDateHeader, s.now().UTC().Format(IvvyDateLayout))

	sts := IvvyStringToSign(req.Method, bodyMD5, req.Header.Get("Content-Type"), "", req.URL.RequestURI(), req.Header)
	req.Header.Set(IvvyAuthHeader, "IWS "+s.key+":"+IvvySignature(s.secret.Reveal(), sts))
	return nil
}

// snapshotBody returns the request body bytes and leaves the request with a
// fresh reader over the same bytes (and a GetBody that can replay it).
func snapshotBody(req *http.Request) ([]byte, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return nil, nil
	}
	var rc io.ReadCloser
	var err error
	if req.GetBody != nil {
		rc, err = req.GetBody()
		if err != nil {
			return nil, err
		}
	} else {
		rc = req.Body
	}
	body, err := io.ReadAll(rc)
	_ = rc.Close()
	if err != nil {
		return nil, err
	}
	req.Body = io.NopCloser(bytes.NewReader(body))
	req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	req.ContentLength = int64(len(body))
	return body, nil
}

// IvvyStringToSign builds the documented string to sign: method, body md5,
// Content-Type, date (empty when IVVY-Date is used), path and query, API
// version and the IVVY headers ("name=value" with '-' and '_' removed from
// the name, sorted by name, joined with '&'), all lowercased.
func IvvyStringToSign(method, bodyMD5, contentType, date, requestURI string, header http.Header) string {
	var b strings.Builder
	b.Grow(len(method) + len(bodyMD5) + len(contentType) + len(date) + len(requestURI) + 64)
	b.WriteString(method)
	b.WriteString(bodyMD5)
	b.WriteString(contentType)
	b.WriteString(date)
	b.WriteString(requestURI)
	b.WriteString(IvvyAPIVersion)
	b.WriteString(ivvyHeaders(header))
	return strings.ToLower(b.String())
}

// ivvyHeaders renders the IVVY-prefixed headers for the string to sign.
func ivvyHeaders(h http.Header) string {
	type pair struct{ name, value string }
	var pairs []pair
	for name, values := range h {
		lower := strings.ToLower(name)
		if !strings.HasPrefix(lower, "ivvy") {
			continue
		}
		clean := strings.NewReplacer("-", "", "_", "").Replace(lower)
		pairs = append(pairs, pair{clean, strings.Join(values, ",")})
	}
	if len(pairs) == 1 {
		return pairs[0].name + "=" + pairs[0].value
	}
	sort.Slice(pairs, func(i, j int) bool { return pairs[i].name < pairs[j].name })
	parts := make([]string, len(pairs))
	for i, p := range pairs {
		parts[i] = p.name + "=" + p.value
	}
	return strings.Join(parts, "&")
}

// IvvySignature returns the lowercase hex HMAC-SHA1 of stringToSign keyed
// with secret.
func IvvySignature(secret, stringToSign string) string {
	m := hmac.New(sha1.New, []byte(secret))
	m.Write([]byte(stringToSign))
	return hex.EncodeToString(m.Sum(nil))
}

// Reasons VerifyIvvy gives for refusing a request.
var (
	ErrIvvyMalformed    = errors.New("authorization header missing or malformed")
	ErrIvvyUnknownKey   = errors.New("unknown API key")
	ErrIvvyBadSignature = errors.New("signature does not match")
	ErrIvvyStale        = errors.New("request is stale")
	ErrIvvyBadMD5       = errors.New("Content-MD5 does not match the body")
)

// VerifyIvvy checks a received iVvy request the way the server does: the
// Content-MD5 matches the body, the IVVY-Date is within IvvyMaxSkew of now,
// the key is known and the signature matches. body is the request body as
// received. It returns one of the ErrIvvy errors.
func VerifyIvvy(req *http.Request, body []byte, secretFor func(key string) (string, bool), now time.Time) error {
	auth := req.Header.Get(IvvyAuthHeader)
	rest, ok := strings.CutPrefix(auth, "IWS ")
	if !ok {
		return ErrIvvyMalformed
	}
	key, sig, ok := strings.Cut(rest, ":")
	if !ok || key == "" || sig == "" {
		return ErrIvvyMalformed
	}
	sum := md5.Sum(body)
	bodyMD5 := hex.EncodeToString(sum[:])
	if !strings.EqualFold(req.Header.Get(ContentMD5Header), bodyMD5) {
		return ErrIvvyBadMD5
	}
	date := ""
	rawDate := req.Header.Get(IvvyDateHeader)
	if rawDate == "" {
		rawDate = req.Header.Get("Date")
		date = rawDate
	}
	t, err := parseIvvyDate(rawDate)
	if err != nil {
		return ErrIvvyStale
	}
	if d := now.Sub(t); d > IvvyMaxSkew || d < -IvvyMaxSkew {
		return ErrIvvyStale
	}
	secret, ok := secretFor(key)
	if !ok {
		return ErrIvvyUnknownKey
	}
	want := IvvySignature(secret, IvvyStringToSign(req.Method, bodyMD5, req.Header.Get("Content-Type"), date, req.URL.RequestURI(), req.Header))
	if !hmac.Equal([]byte(strings.ToLower(sig)), []byte(want)) {
		return ErrIvvyBadSignature
	}
	return nil
}

// parseIvvyDate reads an IVVY-Date ("yyyy-mm-dd HH:mm:ss", optional " UTC")
// or an HTTP Date header.
func parseIvvyDate(v string) (time.Time, error) {
	if t, err := time.ParseInLocation(IvvyDateLayout, strings.TrimSuffix(v, " UTC"), time.UTC); err == nil {
		return t, nil
	}
	if t, err := http.ParseTime(v); err == nil {
		return t, nil
	}
	return time.Parse("Mon, 02 Jan 2006 15:04:05 MST", v)
}
