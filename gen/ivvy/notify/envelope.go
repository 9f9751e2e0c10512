package notify

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// The SNS message types.
const (
	TypeNotification             = "Notification"
	TypeSubscriptionConfirmation = "SubscriptionConfirmation"
	TypeUnsubscribeConfirmation  = "UnsubscribeConfirmation"
)

// Envelope is the JSON document Amazon SNS posts: the message it carries
// (Message) and what is needed to check that SNS sent it. Fields a type does
// not use are empty.
type Envelope struct {
	Type             string
	MessageID        string
	Token            string
	TopicArn         string
	Subject          string
	Message          string
	Timestamp        string
	SignatureVersion string
	Signature        string
	SigningCertURL   string
	SubscribeURL     string
	UnsubscribeURL   string

	hasSubject bool
}

// envelopeFields maps each key SNS may send to its field.
func (e *Envelope) field(key string) *string {
	switch key {
	case "Type":
		return &e.Type
	case "MessageId":
		return &e.MessageID
	case "Token":
		return &e.Token
	case "TopicArn":
		return &e.TopicArn
	case "Subject":
		return &e.Subject
	case "Message":
		return &e.Message
	case "Timestamp":
		return &e.Timestamp
	case "SignatureVersion":
		return &e.SignatureVersion
	case "Signature":
		return &e.Signature
	case "SigningCertURL", "SigningCertUrl":
		return &e.SigningCertURL
	case "SubscribeURL":
		return &e.SubscribeURL
	case "UnsubscribeURL":
		return &e.UnsubscribeURL
	}
	return nil
}

// signedKeys lists, per type, the keys whose values SNS signs, in the order
// they enter the string to sign.
var signedKeys = map[string][]string{
	TypeNotification:             {"Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"},
	TypeSubscriptionConfirmation: {"Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"},
	TypeUnsubscribeConfirmation:  {"Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"},
}

// ParseEnvelope decodes an SNS envelope. It requires a JSON object whose
// known keys hold strings, a known Type, and every key that type signs
// (Subject is optional on a Notification), plus the signature fields. It
// checks the form only: Verify (through a Receiver) checks the signature.
func ParseEnvelope(body []byte) (*Envelope, error) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 || body[0] != '{' {
		return nil, fmt.Errorf("%w: the body is not a JSON object", ErrMalformed)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, fmt.Errorf("%w: the body is not valid JSON", ErrMalformed)
	}
	e := &Envelope{}
	for k, v := range raw {
		f := e.field(k)
		if f == nil {
			continue
		}
		if bytes.Equal(v, []byte("null")) {
			continue
		}
		if err := json.Unmarshal(v, f); err != nil {
			return nil, fmt.Errorf("%w: %s is not a string", ErrMalformed, k)
		}
		if k == "Subject" {
			e.hasSubject = true
		}
	}
	keys, ok := signedKeys[e.Type]
	if !ok {
		if e.Type == "" {
			return nil, fmt.Errorf("%w: no Type", ErrUnknownType)
		}
		return nil, fmt.Errorf("%w: %q", ErrUnknownType, clip(e.Type))
	}
	var missing []string
	for _, k := range keys {
		if k == "Subject" {
			continue
		}
		if *e.field(k) == "" {
			missing = append(missing, k)
		}
	}
	for _, k := range []string{"SignatureVersion", "Signature", "SigningCertURL"} {
		if *e.field(k) == "" {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%w: %s without %s", ErrMalformed, e.Type, strings.Join(missing, ", "))
	}
	return e, nil
}

// Time parses the envelope's Timestamp (RFC 3339, as SNS writes it).
func (e *Envelope) Time() (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, e.Timestamp)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: Timestamp %q is not an RFC 3339 time", ErrMalformed, clip(e.Timestamp))
	}
	return t, nil
}

// StringToSign returns the bytes SNS signs for this envelope: "key\nvalue\n"
// for each signed key of its type, in order; a Notification's Subject only
// when the envelope has one.
func (e *Envelope) StringToSign() ([]byte, error) {
	keys, ok := signedKeys[e.Type]
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrUnknownType, clip(e.Type))
	}
	var b bytes.Buffer
	for _, k := range keys {
		if k == "Subject" && !e.hasSubject {
			continue
		}
		b.WriteString(k)
		b.WriteByte('\n')
		b.WriteString(*e.field(k))
		b.WriteByte('\n')
	}
	return b.Bytes(), nil
}

// clip shortens a value for an error message and drops control characters.
func clip(s string) string {
	const max = 64
	if len(s) > max {
		s = s[:max] + "..."
	}
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
}

// Errors a Receiver refuses a message with; match them with errors.Is.
var (
	ErrMalformed       = errors.New("notify: malformed SNS message")
	ErrUnknownType     = errors.New("notify: unknown SNS message type")
	ErrTooLarge        = errors.New("notify: message body too large")
	ErrStale           = errors.New("notify: message timestamp outside the accepted window")
	ErrTopicNotAllowed = errors.New("notify: topic not allowed")
	ErrCertURL         = errors.New("notify: signing certificate URL refused")
	ErrCertificate     = errors.New("notify: signing certificate not trusted")
	ErrCertFetch       = errors.New("notify: signing certificate could not be fetched")
	ErrBadSignature    = errors.New("notify: bad signature")
)
