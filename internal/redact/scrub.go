package redact

import (
	"encoding/base64"
	"html"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"
)

// Withheld replaces the whole of a server-provided text that contains a
// secret too short to be cut out of it without mangling the rest.
const Withheld = "[withheld: contained a credential]"

// MinLength is the length from which a secret is cut out of text; text that
// contains a shorter secret is withheld as a whole.
const MinLength = 4

// Scrubber removes secrets from text a server sent back (error messages,
// error pages, token endpoint errors), in every form the server may have
// given them: as sent, JSON-escaped, URL-escaped, HTML-escaped, and for
// HTTP Basic credentials base64-encoded and decoded. The zero value scrubs
// nothing; add secrets with Add, AddBasic, AddAuthorization or AddRequest.
// Scrub may be called concurrently once the secrets are added.
type Scrubber struct {
	long  []string // forms cut out of text, longest first
	short []string // forms of short secrets: text containing one is withheld
}

// Add adds secrets. Empty values are ignored.
func (s *Scrubber) Add(secrets ...string) {
	for _, v := range secrets {
		if v == "" {
			continue
		}
		forms := Forms(v)
		if len(v) < MinLength {
			s.short = appendNew(s.short, forms...)
			continue
		}
		s.long = appendNew(s.long, forms...)
	}
	// Longest first, so that a form containing another is cut out whole.
	slices.SortStableFunc(s.long, func(a, b string) int { return len(b) - len(a) })
}

// AddBasic adds HTTP Basic credentials: the base64 value of user:password
// (with and without padding), user:password itself and the password alone.
// The user name on its own is not a secret.
func (s *Scrubber) AddBasic(user, password string) {
	if password == "" {
		return
	}
	pair := user + ":" + password
	s.Add(base64.StdEncoding.EncodeToString([]byte(pair)), base64.RawStdEncoding.EncodeToString([]byte(pair)),
		base64.URLEncoding.EncodeToString([]byte(pair)), pair, password)
}

// AddAuthorization adds the secrets of an authorization header value: the
// whole value; for Basic the credentials in all their forms (see AddBasic);
// for Bearer the token; for iVvy's "IWS key:signature" both key:signature
// and the signature alone.
func (s *Scrubber) AddAuthorization(value string) {
	value = strings.TrimSpace(value)
	if value == "" {
		return
	}
	s.Add(value)
	scheme, cred, ok := strings.Cut(value, " ")
	if !ok {
		return
	}
	cred = strings.TrimSpace(cred)
	s.Add(cred)
	switch {
	case strings.EqualFold(scheme, "Basic"):
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding} {
			if b, err := enc.DecodeString(cred); err == nil {
				user, pass, _ := strings.Cut(string(b), ":")
				s.AddBasic(user, pass)
				// OAuth2 client credentials are form-encoded inside Basic.
				if u, err := url.QueryUnescape(user); err == nil {
					if p, err := url.QueryUnescape(pass); err == nil && p != pass {
						s.AddBasic(u, p)
					}
				}
				break
			}
		}
	case strings.EqualFold(scheme, "IWS"):
		if _, sig, ok := strings.Cut(cred, ":"); ok {
			s.Add(sig, strings.ToUpper(sig))
		}
	}
}

// credentialHeaders are the request headers that carry credentials.
var credentialHeaders = []string{"Authorization", "X-Api-Authorization", "Proxy-Authorization"}

// AddRequest adds the credentials a request carried in its authorization
// headers (Authorization, X-Api-Authorization, Proxy-Authorization).
func (s *Scrubber) AddRequest(req *http.Request) {
	if req == nil {
		return
	}
	for _, h := range credentialHeaders {
		for _, v := range req.Header.Values(h) {
			s.AddAuthorization(v)
		}
	}
}

// Clone returns a copy of s to which secrets can be added without
// changing s.
func (s *Scrubber) Clone() *Scrubber {
	if s == nil {
		return &Scrubber{}
	}
	return &Scrubber{long: slices.Clone(s.long), short: slices.Clone(s.short)}
}

// Scrub returns text with every form of every secret replaced by
// Placeholder, or Withheld when text contains a form of a secret shorter
// than MinLength.
func (s *Scrubber) Scrub(text string) string {
	if s == nil || text == "" {
		return text
	}
	for _, f := range s.short {
		if strings.Contains(text, f) {
			return Withheld
		}
	}
	for _, f := range s.long {
		text = strings.ReplaceAll(text, f, Placeholder)
	}
	return text
}

// ScrubAll scrubs each element of texts in place.
func (s *Scrubber) ScrubAll(texts []string) {
	for i := range texts {
		texts[i] = s.Scrub(texts[i])
	}
}

// Scrub removes the given secrets from text; see Scrubber.
func Scrub(text string, secrets ...string) string {
	var s Scrubber
	s.Add(secrets...)
	return s.Scrub(text)
}

// Forms returns the ways a server may write back the value v: as is;
// JSON-escaped as encoders do it (with or without escaping <, > and &, "/"
// and non-ASCII characters, with lower- or upper-case hex digits);
// percent-encoded as in a query, a path segment or strictly (every byte but
// the unreserved ones), with either case of hex digits; and HTML-escaped,
// as is or over any of the JSON forms.
// The first element is v itself; there are no duplicates.
func Forms(v string) []string {
	if v == "" {
		return nil
	}
	forms := []string{v}
	for _, html := range []bool{false, true} {
		for _, slash := range []bool{false, true} {
			for _, ascii := range []bool{false, true} {
				for _, upper := range []bool{false, true} {
					forms = appendNew(forms, jsonEscape(v, html, slash, ascii, upper))
				}
			}
		}
	}
	jsonEnd := len(forms)
	for _, esc := range []string{url.QueryEscape(v), url.PathEscape(v), percentEncode(v, false), percentEncode(v, true)} {
		forms = appendNew(forms, esc, lowerHexEscapes(esc))
	}
	// HTML-escaped, also over the JSON forms: an error page that shows
	// the request's JSON body escapes it once more.
	for _, f := range slices.Clone(forms[:jsonEnd]) {
		forms = appendNew(forms, htmlForms(f)...)
	}
	return forms
}

// appendNew appends the values not yet in list.
func appendNew(list []string, values ...string) []string {
	for _, v := range values {
		if v != "" && !slices.Contains(list, v) {
			list = append(list, v)
		}
	}
	return list
}

const lowerHex, upperHex = "0123456789abcdef", "0123456789ABCDEF"

// jsonEscape writes v as the inside of a JSON string. html escapes <, > and
// & as \u003c and so on (as Go does); slash escapes "/" as "\/" (as PHP
// does); ascii escapes every non-ASCII character (as Python does); upper
// writes \u escapes with upper-case hex digits.
func jsonEscape(v string, html, slash, ascii, upper bool) string {
	hex := lowerHex
	if upper {
		hex = upperHex
	}
	var b strings.Builder
	u := func(r rune) {
		b.WriteString(`\u`)
		for shift := 12; shift >= 0; shift -= 4 {
			b.WriteByte(hex[(r>>shift)&0xf])
		}
	}
	for _, r := range v {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '/' && slash:
			b.WriteString(`\/`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20, html && (r == '<' || r == '>' || r == '&'), r == 0x2028, r == 0x2029:
			u(r)
		case ascii && r > 0x7e:
			if r > 0xffff {
				r -= 0x10000
				u(0xd800 + (r>>10)&0x3ff)
				u(0xdc00 + r&0x3ff)
				continue
			}
			u(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// percentEncode escapes every byte of v but the unreserved characters of
// RFC 3986 (letters, digits, "-", ".", "_", "~"); plus writes a space as "+".
func percentEncode(v string, plus bool) string {
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '.', c == '_', c == '~':
			b.WriteByte(c)
		case c == ' ' && plus:
			b.WriteByte('+')
		default:
			b.WriteByte('%')
			b.WriteByte(upperHex[c>>4])
			b.WriteByte(upperHex[c&0xf])
		}
	}
	return b.String()
}

// lowerHexEscapes rewrites the %XX escapes of s with lower-case hex digits.
func lowerHexEscapes(s string) string {
	b := []byte(s)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' {
			b[i+1], b[i+2] = lowerASCII(b[i+1]), lowerASCII(b[i+2])
			i += 2
		}
	}
	return string(b)
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'F' {
		return c + 'a' - 'A'
	}
	return c
}

// htmlForms returns v HTML-escaped as Go's html package does and with the
// other common spellings of the quote entities.
func htmlForms(v string) []string {
	if !utf8.ValidString(v) || !strings.ContainsAny(v, `<>&'"`) {
		return nil
	}
	base := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(v)
	var out []string
	out = append(out, html.EscapeString(v))
	for _, dq := range []string{"&#34;", "&quot;", `"`} {
		for _, sq := range []string{"&#39;", "&#x27;", "&apos;", "'"} {
			out = append(out, strings.NewReplacer(`"`, dq, "'", sq).Replace(base))
		}
	}
	return out
}
