// Package signing authenticates outgoing requests: the iVvy HMAC-SHA1
// signature and HTTP Basic auth, each as a request editor.
package signing

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha1"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
	"unsafe"

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
// signs the final headers and body. It is safe for concurrent use.
type Ivvy struct {
	key    string
	secret redact.Secret
	now    func() time.Time
	// scratch holds *ivvyScratch values: the hashers and buffers of one
	// signature, reused so that signing allocates little.
	scratch sync.Pool
}

// ivvyScratch is what one Edit needs besides the request: an md5 hasher, an
// HMAC-SHA1 keyed with the secret, buffers for the string to sign, the
// header values and a body that cannot be hashed in place, and the chunks
// header values are cut from.
type ivvyScratch struct {
	md5, mac hash.Hash
	sum      [sha1.Size]byte
	sts      []byte
	values   []byte
	copyBuf  []byte
	// date is the IVVY-Date of the Unix second dateSec: a request made in
	// the same second reuses the string instead of formatting it again.
	// Strings are immutable, so every request may keep it as its header.
	date    string
	dateSec int64
	// text and slots are the unused ends of two chunks that header values
	// are cut from (see headerValues).
	text  []byte
	slots []string
}

// dateOf returns the IVVY-Date of t.
func (sc *ivvyScratch) dateOf(t time.Time) string {
	if sec := t.Unix(); sec != sc.dateSec || sc.date == "" {
		sc.date = t.UTC().Format(IvvyDateLayout)
		sc.dateSec = sec
	}
	return sc.date
}

// Sizes of the chunks header values are cut from: a signature takes about
// 110 bytes of text (77 and the key) and three strings, so one chunk of
// each serves more than a dozen requests.
const (
	textChunk  = 2 << 10
	slotsChunk = 48
)

// headerValues returns the values of Content-MD5, IVVY-Date and
// X-Api-Authorization: v[:md5End], date and v[md5End:], as a []string
// whose elements the caller puts in the header map as 1-element slices.
//
// A request keeps its header values for as long as it lives, so they
// cannot come from reused memory; allocating them request by request,
// though, made signing measurably slower (BENCHMARKS.md). They are cut
// from chunks that serve many requests, as net/textproto does for the
// values of the headers it reads. A chunk is never written where a string
// already points, which is what unsafe.String requires, and it is freed
// once no request refers to it; a request kept for long keeps its chunks
// (under 3 KiB) with it.
func (sc *ivvyScratch) headerValues(v []byte, md5End int, date string) []string {
	if cap(sc.text)-len(sc.text) < len(v) {
		sc.text = make([]byte, 0, max(textChunk, len(v)))
	}
	start := len(sc.text)
	sc.text = append(sc.text, v...)
	text := unsafe.String(&sc.text[start], len(v))
	if len(sc.slots) < 3 {
		sc.slots = make([]string, slotsChunk)
	}
	hv := sc.slots[:3:3]
	sc.slots = sc.slots[3:]
	hv[0], hv[1], hv[2] = text[:md5End], date, text[md5End:]
	return hv
}

// NewIvvy returns a signer for the key pair. now supplies the request time;
// nil means time.Now.
func NewIvvy(key string, secret redact.Secret, now func() time.Time) *Ivvy {
	if now == nil {
		now = time.Now
	}
	s := &Ivvy{key: key, secret: secret, now: now}
	s.scratch.New = func() any {
		return &ivvyScratch{
			md5:    md5.New(),
			mac:    hmac.New(sha1.New, []byte(secret.Reveal())),
			sts:    make([]byte, 0, 256),
			values: make([]byte, 0, 128),
		}
	}
	return s
}

// Canonical forms of the header names Edit sets, so that it can store the
// values without canonicalising the names on every call.
var (
	canonicalMD5  = http.CanonicalHeaderKey(ContentMD5Header)
	canonicalDate = http.CanonicalHeaderKey(IvvyDateHeader)
	canonicalAuth = http.CanonicalHeaderKey(IvvyAuthHeader)
)

// Edit hashes the body, sets Content-MD5 and IVVY-Date, removes any Date
// header and sets X-Api-Authorization. A multipart/form-data request (an
// upload) is signed in the upload mode (IvvyMultipartStringToSign). The body is left as it is (or, when
// it cannot be replayed with GetBody, replaced by the same bytes) so that it
// is sent whole.
func (s *Ivvy) Edit(_ context.Context, req *http.Request) error {
	if s.key == "" || s.secret.IsZero() {
		return errors.New("ivvy signing: API key and secret are required")
	}
	if req.URL == nil {
		return errors.New("ivvy signing: the request has no URL")
	}
	if req.Header == nil {
		req.Header = http.Header{}
	}
	sc := s.scratch.Get().(*ivvyScratch)
	defer s.scratch.Put(sc)

	// One pass over the header map finds all the signer needs from it.
	var stack [4]ivvyHeader
	hdr, pairs := readHeaders(req.Header, stack[:0], canonicalDate)
	if isMultipart(hdr.contentType) {
		return s.editMultipart(req, hdr.contentType)
	}
	if hdr.date {
		delete(req.Header, "Date") // req.Header.Del("Date") without canonicalising
	}
	if hdr.otherDate || !hdr.ascii {
		deleteOtherDates(req.Header)
	}

	sc.md5.Reset()
	if err := hashBody(req, sc.md5, sc); err != nil {
		return fmt.Errorf("ivvy signing: read body: %w", err)
	}
	// The body md5 and "IWS key:signature" go into one buffer, from which
	// the header values are cut.
	v := hex.AppendEncode(sc.values[:0], sc.md5.Sum(sc.sum[:0]))
	md5End := len(v)
	date := sc.dateOf(s.now())

	if !hdr.ascii {
		s.editUnicode(req, string(v[:md5End]), date, hdr.contentType)
		return nil
	}
	sts, ok := appendStringToSign(sc.sts[:0], req.Method, v[:md5End], hdr.contentType, req.URL, date, pairs)
	sc.sts = sts
	if !ok {
		// The method, path or an IVVY header value is not plain ASCII.
		s.editUnicode(req, string(v[:md5End]), date, hdr.contentType)
		return nil
	}
	sc.mac.Reset()
	sc.mac.Write(sts)
	v = append(v, "IWS "...)
	v = append(v, s.key...)
	v = append(v, ':')
	v = hex.AppendEncode(v, sc.mac.Sum(sc.sum[:0]))
	sc.values = v

	hv := sc.headerValues(v, md5End, date)
	req.Header[canonicalMD5] = hv[0:1:1]
	req.Header[canonicalDate] = hv[1:2:2]
	req.Header[canonicalAuth] = hv[2:3:3]
	return nil
}

// editUnicode signs req the general way, for text beyond ASCII, which
// needs Unicode lowercasing.
func (s *Ivvy) editUnicode(req *http.Request, bodyMD5, date, contentType string) {
	req.Header.Set(ContentMD5Header, bodyMD5)
	req.Header.Set(IvvyDateHeader, date)
	text := IvvyStringToSign(req.Method, bodyMD5, contentType, "", req.URL.RequestURI(), req.Header)
	req.Header.Set(IvvyAuthHeader, "IWS "+s.key+":"+IvvySignature(s.secret.Reveal(), text))
}

// signedHeaders is what Edit reads from a request's header map.
type signedHeaders struct {
	contentType string
	date        bool // a Date header, which Edit removes
	ascii       bool // false: a name needs Unicode lowercasing
	// otherDate: a header other than skip that cleans to the same name
	// (IVVY-DATE, IvvyDate), which Edit removes with the IVVY-Date it
	// replaces.
	otherDate bool
}

// readHeaders reads h in one pass: the Content-Type, whether there is a
// Date header, and the IVVY headers, appended to pairs, except one stored
// under the name skip (Edit skips the IVVY-Date it replaces).
func readHeaders(h http.Header, pairs []ivvyHeader, skip string) (signedHeaders, []ivvyHeader) {
	out := signedHeaders{ascii: true}
	for name, values := range h {
		switch {
		case name == "Content-Type":
			if len(values) > 0 {
				out.contentType = values[0]
			}
		case name == "Date":
			out.date = true
		case len(name) > 0 && name[0] >= utf8.RuneSelf:
			// Of the runes beyond ASCII only U+0130 lowercases to
			// one of "ivvy" (to 'i'): such a name may be an IVVY
			// header, which only the general path can tell.
			out.ascii = false
		case isIvvyName(name):
			switch {
			case !isASCII(name):
				out.ascii = false
			case name == skip:
			case skip != "" && compareCleaned(name, skip) == 0:
				out.otherDate = true
			default:
				pairs = append(pairs, ivvyHeader{name: name, values: values})
			}
		}
	}
	return out, pairs
}

// deleteOtherDates removes the headers that the string to sign would read
// as a second IVVY-Date (IVVY-DATE, IvvyDate, ivvy_date, a name that
// lowercases to one of these): Edit sets the one it signs.
func deleteOtherDates(h http.Header) {
	for name := range h {
		if name != canonicalDate && nameCleaner.Replace(strings.ToLower(name)) == "ivvydate" {
			delete(h, name)
		}
	}
}

// isIvvyName reports whether an ASCII-led name starts with "ivvy" in any
// case.
func isIvvyName(name string) bool {
	return len(name) >= 4 && name[0]|0x20 == 'i' && name[1]|0x20 == 'v' && name[2]|0x20 == 'v' && name[3]|0x20 == 'y'
}

// inMemoryBody is a request body that tells what reading it would return
// without being read, as the bodies of the HTTP layer (internal/httpx) do.
type inMemoryBody interface {
	Bytes() []byte
}

// hashBody writes the request body to w, leaving req.Body as it was
// whenever it can: a body that tells its bytes (inMemoryBody) is hashed in
// place; one that can be replayed (GetBody) is hashed from a fresh copy,
// without a buffer when that copy is a bytes.Reader or similar. Any other
// body is read, and replaced by a reader over the same bytes (with a
// GetBody).
func hashBody(req *http.Request, w io.Writer, sc *ivvyScratch) error {
	if req.Body == nil || req.Body == http.NoBody {
		return nil
	}
	if mb, ok := req.Body.(inMemoryBody); ok {
		b := mb.Bytes()
		_, _ = w.Write(b)
		req.ContentLength = int64(len(b))
		return nil
	}
	if req.GetBody != nil {
		rc, err := req.GetBody()
		if err != nil {
			return err
		}
		if sc.copyBuf == nil {
			sc.copyBuf = make([]byte, 4<<10)
		}
		n, err := io.CopyBuffer(w, rc, sc.copyBuf)
		_ = rc.Close()
		if err != nil {
			return err
		}
		req.ContentLength = n
		return nil
	}
	body, err := io.ReadAll(req.Body)
	_ = req.Body.Close()
	if err != nil {
		return err
	}
	_, _ = w.Write(body)
	req.Body = io.NopCloser(bytes.NewReader(body))
	req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	req.ContentLength = int64(len(body))
	return nil
}

// IvvyStringToSign builds the documented string to sign: method, body md5,
// Content-Type, date (empty when IVVY-Date is used), path and query, API
// version and the IVVY headers ("name=value" with '-' and '_' removed from
// the name, sorted by name, joined with '&'), all lowercased.
func IvvyStringToSign(method, bodyMD5, contentType, date, requestURI string, header http.Header) string {
	b := make([]byte, 0, len(method)+len(bodyMD5)+len(contentType)+len(date)+len(requestURI)+64)
	b = append(b, method...)
	b = append(b, bodyMD5...)
	b = append(b, contentType...)
	b = append(b, date...)
	b = append(b, requestURI...)
	b = append(b, IvvyAPIVersion...)
	b, ok := appendIvvyHeaders(b, header)
	if !ok || !lowerASCII(b) {
		return unicodeStringToSign(method, bodyMD5, contentType, date, requestURI, header)
	}
	return string(b)
}

// appendStringToSign appends the lowercased string to sign for a request to
// dst, like IvvyStringToSign with no Date: bodyMD5 is lowercase hex, the path
// and query come from u, the IVVY headers are date (the IVVY-Date) and pairs
// (which it sorts). Only the parts that may hold capitals are lowercased. It
// reports false, with dst holding garbage, when a part is not plain ASCII:
// the caller must then use IvvyStringToSign.
func appendStringToSign(dst []byte, method string, bodyMD5 []byte, contentType string, u *url.URL, date string, pairs []ivvyHeader) ([]byte, bool) {
	start := len(dst)
	dst = append(dst, method...)
	ok := lowerASCII(dst[start:])
	dst = append(dst, bodyMD5...)
	start = len(dst)
	dst = append(dst, contentType...)
	dst = appendRequestURI(dst, u)
	ok = lowerASCII(dst[start:]) && ok
	dst = append(dst, IvvyAPIVersion...)
	if len(pairs) == 0 {
		// The usual request: IVVY-Date is its only IVVY header, and
		// neither its cleaned name nor a date has capitals.
		dst = append(dst, "ivvydate="...)
		return append(dst, date...), ok
	}
	start = len(dst)
	dst = appendIvvyPairs(dst, append(pairs, ivvyHeader{name: canonicalDate, date: date}))
	return dst, lowerASCII(dst[start:]) && ok
}

// appendRequestURI appends u.RequestURI() to dst without building it as a
// string first.
func appendRequestURI(dst []byte, u *url.URL) []byte {
	if u.Opaque != "" {
		return append(dst, u.RequestURI()...)
	}
	p := u.Path // what EscapedPath returns for a plain path, found sooner
	if u.RawPath != "" || !plainPath(p) {
		p = u.EscapedPath()
	}
	if p == "" {
		p = "/"
	}
	dst = append(dst, p...)
	if u.ForceQuery || u.RawQuery != "" {
		dst = append(dst, '?')
		dst = append(dst, u.RawQuery...)
	}
	return dst
}

// pathBytes marks the bytes that net/url leaves as they are in a path:
// letters, digits and -_.~$&+,/:;=@.
var pathBytes = func() (t [256]bool) {
	for c := range 256 {
		b := byte(c)
		t[c] = 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' ||
			strings.IndexByte("-_.~$&+,/:;=@", b) >= 0
	}
	return t
}()

// plainPath reports whether escaping p for a URL path leaves it as it is.
func plainPath(p string) bool {
	for i := 0; i < len(p); i++ {
		if !pathBytes[p[i]] {
			return false
		}
	}
	return true
}

// lowerASCII lowercases b in place and reports whether b is all ASCII (if
// it is not, b is left partly lowercased). It works on eight bytes at a
// time: the string to sign is hashed on every request.
func lowerASCII(b []byte) bool {
	const (
		high   = 0x8080808080808080
		belowA = 0x3f3f3f3f3f3f3f3f // 0x80-'A': sets the high bit of bytes >= 'A'
		aboveZ = 0x2525252525252525 // 0x80-('Z'+1): sets it for bytes > 'Z'
	)
	for len(b) >= 8 {
		w := binary.LittleEndian.Uint64(b)
		if w&high != 0 {
			return false
		}
		if upper := ((w + belowA) ^ (w + aboveZ)) & high; upper != 0 {
			binary.LittleEndian.PutUint64(b, w|upper>>2) // 0x80>>2 is the case bit
		}
		b = b[8:]
	}
	for i, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return true
}

// ivvyHeader is one IVVY-prefixed header for the string to sign.
type ivvyHeader struct {
	name   string   // as in the header map
	values []string // nil with date set: the IVVY-Date being signed
	date   string
}

// appendIvvyHeaders appends the IVVY-prefixed headers of h for the string to
// sign: "name=value" pairs sorted by cleaned name and joined with '&'. It
// reports false when a header name is not plain ASCII.
func appendIvvyHeaders(dst []byte, h http.Header) ([]byte, bool) {
	var stack [4]ivvyHeader
	hdr, pairs := readHeaders(h, stack[:0], "")
	if !hdr.ascii {
		return dst, false
	}
	return appendIvvyPairs(dst, pairs), true
}

// appendIvvyPairs sorts pairs by cleaned name and appends them joined with
// '&'.
func appendIvvyPairs(dst []byte, pairs []ivvyHeader) []byte {
	if len(pairs) > 1 {
		slices.SortFunc(pairs, func(a, b ivvyHeader) int {
			if c := compareCleaned(a.name, b.name); c != 0 {
				return c
			}
			// Two names that clean alike (IVVY-X, Ivvy_X): by value, as
			// the lowercased string to sign reads them.
			return strings.Compare(lowerValue(a), lowerValue(b))
		})
	}
	for i, p := range pairs {
		if i > 0 {
			dst = append(dst, '&')
		}
		dst = appendHeaderPair(dst, p.name, p.values, p.date)
	}
	return dst
}

// appendHeaderPair appends "name=value" for the string to sign: the name
// without '-' and '_', the values joined with ','; nil values stand for
// the single value date.
func appendHeaderPair(dst []byte, name string, values []string, date string) []byte {
	for j := 0; j < len(name); j++ {
		if c := name[j]; c != '-' && c != '_' {
			dst = append(dst, c)
		}
	}
	dst = append(dst, '=')
	if values == nil {
		return append(dst, date...)
	}
	for j, v := range values {
		if j > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, v...)
	}
	return dst
}

// lowerValue is a pair's value as the string to sign holds it, lowercased:
// only for ordering two names that clean alike, which is rare.
func lowerValue(p ivvyHeader) string {
	if p.values == nil {
		return strings.ToLower(p.date)
	}
	return strings.ToLower(strings.Join(p.values, ","))
}

// compareCleaned compares two ASCII header names as the string to sign
// orders them: lowercased, with '-' and '_' left out.
func compareCleaned(a, b string) int {
	i, j := 0, 0
	for {
		for i < len(a) && (a[i] == '-' || a[i] == '_') {
			i++
		}
		for j < len(b) && (b[j] == '-' || b[j] == '_') {
			j++
		}
		switch {
		case i == len(a) && j == len(b):
			return 0
		case i == len(a):
			return -1
		case j == len(b):
			return 1
		}
		ca, cb := lowerByte(a[i]), lowerByte(b[j])
		if ca != cb {
			return int(ca) - int(cb)
		}
		i++
		j++
	}
}

func lowerByte(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// unicodeStringToSign is IvvyStringToSign for text beyond ASCII: it
// lowercases with strings.ToLower, as the documented scheme says.
func unicodeStringToSign(method, bodyMD5, contentType, date, requestURI string, header http.Header) string {
	var b strings.Builder
	b.WriteString(method)
	b.WriteString(bodyMD5)
	b.WriteString(contentType)
	b.WriteString(date)
	b.WriteString(requestURI)
	b.WriteString(IvvyAPIVersion)
	b.WriteString(unicodeIvvyHeaders(header))
	return strings.ToLower(b.String())
}

var nameCleaner = strings.NewReplacer("-", "", "_", "")

// unicodeIvvyHeaders renders the IVVY-prefixed headers for
// unicodeStringToSign.
func unicodeIvvyHeaders(h http.Header) string {
	type pair struct{ name, value string }
	var pairs []pair
	for name, values := range h {
		lower := strings.ToLower(name)
		if !strings.HasPrefix(lower, "ivvy") {
			continue
		}
		pairs = append(pairs, pair{nameCleaner.Replace(lower), strings.Join(values, ",")})
	}
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i].name != pairs[j].name {
			return pairs[i].name < pairs[j].name
		}
		return strings.ToLower(pairs[i].value) < strings.ToLower(pairs[j].value) // names that clean alike
	})
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
// received. It returns one of the ErrIvvy errors. A multipart/form-data
// request is checked as an upload: Content-MD5 is its file's md5 and the
// signature is the upload mode's.
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
	multipartBody := isMultipart(req.Header.Get("Content-Type"))
	var bodyMD5, fileMD5 string
	var fields []byte
	if multipartBody {
		var err error
		if fields, fileMD5, err = IvvyMultipartParts(req.Header.Get("Content-Type"), body); err != nil {
			return fmt.Errorf("%w: %v", ErrIvvyMalformed, err)
		}
		if !strings.EqualFold(req.Header.Get(ContentMD5Header), fileMD5) {
			return ErrIvvyBadMD5
		}
	} else {
		sum := md5.Sum(body)
		bodyMD5 = hex.EncodeToString(sum[:])
		if !strings.EqualFold(req.Header.Get(ContentMD5Header), bodyMD5) {
			return ErrIvvyBadMD5
		}
	}
	date := ""
	rawDate := req.Header.Get(IvvyDateHeader)
	if rawDate == "" && !multipartBody { // an upload's string to sign has no Date
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
	var want string
	if multipartBody {
		sum := md5.Sum(fields)
		want = IvvySignature(secret, IvvyMultipartStringToSign(req.Method, hex.EncodeToString(sum[:]), fileMD5, req.URL.RequestURI(), req.Header))
	} else {
		want = IvvySignature(secret, IvvyStringToSign(req.Method, bodyMD5, req.Header.Get("Content-Type"), date, req.URL.RequestURI(), req.Header))
	}
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
