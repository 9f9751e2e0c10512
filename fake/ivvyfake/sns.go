package ivvyfake

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1" //nolint:gosec // SNS SignatureVersion 1 is SHA1withRSA.
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
)

// SNS plays Amazon SNS delivering iVvy notifications, for tests of a
// receiver. It owns a test certificate authority and a signing certificate
// issued by it (made in memory, valid 2000 to 2100), signs messages with
// SignatureVersion 1 or 2, serves its certificate and SubscribeURL through
// Client (which counts every request it gets), and delivers messages to a
// handler, retrying failures as SNS does.
type SNS struct {
	Region   string
	TopicArn string
	// CertURL is where messages say the signing certificate is.
	CertURL string
	// CertPEM is the signing certificate; CAPEM the authority that issued
	// it; Roots a pool holding only that authority.
	CertPEM, CAPEM []byte
	Roots          *x509.CertPool
	// Now stamps messages (default time.Now).
	Now func() time.Time

	key *rsa.PrivateKey

	mu       sync.Mutex
	requests map[string]int
	seq      int
}

// NewSNS makes an SNS for topicArn in region, with fresh keys.
func NewSNS(region, topicArn string) (*SNS, error) {
	caKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	notBefore := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	notAfter := time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
	caTmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "invitekit test SNS root"},
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		return nil, err
	}
	leafTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2),
		Subject:      pkix.Name{CommonName: "sns.amazonaws.com"},
		DNSNames:     []string{"sns.amazonaws.com"},
		NotBefore:    notBefore,
		NotAfter:     notAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	roots := x509.NewCertPool()
	roots.AddCert(ca)
	return &SNS{
		Region:   region,
		TopicArn: topicArn,
		CertURL:  "https://sns." + region + ".amazonaws.com/SimpleNotificationService-0123456789abcdef.pem",
		CertPEM:  pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: leafDER}),
		CAPEM:    pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}),
		Roots:    roots,
		Now:      time.Now,
		key:      key,
		requests: map[string]int{},
	}, nil
}

// Copy returns an SNS with the same keys, certificates and URLs, stamping
// messages with now, and with its own request counts.
func (s *SNS) Copy(now func() time.Time) *SNS {
	return &SNS{Region: s.Region, TopicArn: s.TopicArn, CertURL: s.CertURL, CertPEM: s.CertPEM,
		CAPEM: s.CAPEM, Roots: s.Roots, Now: now, key: s.key, requests: map[string]int{}}
}

// SNSMessage is an SNS envelope as posted: key to value.
type SNSMessage map[string]string

// JSON encodes m as SNS posts it.
func (m SNSMessage) JSON() []byte {
	b, _ := json.Marshal(map[string]string(m))
	return b
}

func (s *SNS) nextID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	return fmt.Sprintf("5b1c3b5e-0000-4000-8000-%012d", s.seq)
}

func (s *SNS) stamp() string { return s.Now().UTC().Format("2006-01-02T15:04:05.000Z") }

// Notification builds a Notification carrying an iVvy message with subject
// and body (encoded to JSON unless it is a string or []byte), signed with
// version (1 or 2).
func (s *SNS) Notification(subject string, body any, version int) SNSMessage {
	var b []byte
	switch v := body.(type) {
	case string:
		b = []byte(v)
	case []byte:
		b = v
	default:
		b, _ = json.Marshal(v)
	}
	inner, _ := json.Marshal(map[string]any{
		"TxnId": "b898c04362bcbfe984f1867ce7db5599", "Region": "stage",
		"Timestamp": s.Now().Unix(), "AccountId": "14", "Subject": subject,
		"Body": string(b), "SourceType": 1, "SourceInfo": nil,
		"Signature":            base64.StdEncoding.EncodeToString([]byte("not verified")),
		"SigningPublicKeyPath": "/accounts/14/1537854341/notifcert.txt",
	})
	return s.Raw(string(inner), version)
}

// Raw builds a Notification whose Message is msg as given.
func (s *SNS) Raw(msg string, version int) SNSMessage {
	id := s.nextID()
	m := SNSMessage{
		"Type": "Notification", "MessageId": id, "TopicArn": s.TopicArn,
		"Message": msg, "Timestamp": s.stamp(), "SigningCertURL": s.CertURL,
		"UnsubscribeURL": "https://sns." + s.Region + ".amazonaws.com/?Action=Unsubscribe&SubscriptionArn=" + s.TopicArn + ":" + id,
	}
	s.Sign(m, version)
	return m
}

// Confirmation builds a SubscriptionConfirmation or UnsubscribeConfirmation
// (typ), signed with version.
func (s *SNS) Confirmation(typ string, version int) SNSMessage {
	token := "2336412f37fb687f5d51e6e2425f004ae03ffa22ff5caccf7d0"
	m := SNSMessage{
		"Type": typ, "MessageId": s.nextID(), "TopicArn": s.TopicArn, "Token": token,
		"Message":        "You have chosen to subscribe to the topic " + s.TopicArn + ".",
		"SubscribeURL":   s.SubscribeURL(),
		"Timestamp":      s.stamp(),
		"SigningCertURL": s.CertURL,
	}
	s.Sign(m, version)
	return m
}

// SubscribeURL is the URL a SubscriptionConfirmation asks to visit.
func (s *SNS) SubscribeURL() string {
	return "https://sns." + s.Region + ".amazonaws.com/?Action=ConfirmSubscription&TopicArn=" + s.TopicArn + "&Token=2336412"
}

var snsSigned = map[string][]string{
	"Notification":             {"Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"},
	"SubscriptionConfirmation": {"Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"},
	"UnsubscribeConfirmation":  {"Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"},
}

// Sign sets m's SignatureVersion and Signature for its current content;
// call it again after changing m to keep the signature valid.
func (s *SNS) Sign(m SNSMessage, version int) {
	var b strings.Builder
	for _, k := range snsSigned[m["Type"]] {
		v, ok := m[k]
		if !ok {
			continue
		}
		b.WriteString(k + "\n" + v + "\n")
	}
	var sig []byte
	var err error
	if version == 1 {
		d := sha1.Sum([]byte(b.String())) //nolint:gosec // SignatureVersion 1
		sig, err = rsa.SignPKCS1v15(rand.Reader, s.key, crypto.SHA1, d[:])
	} else {
		version = 2
		d := sha256.Sum256([]byte(b.String()))
		sig, err = rsa.SignPKCS1v15(rand.Reader, s.key, crypto.SHA256, d[:])
	}
	if err != nil {
		panic("ivvyfake: signing: " + err.Error()) // only with a broken key
	}
	m["SignatureVersion"] = fmt.Sprint(version)
	m["Signature"] = base64.StdEncoding.EncodeToString(sig)
}

// Client returns an HTTP client that reaches no network: it serves CertPEM
// at CertURL and 200 at SubscribeURL, 404 elsewhere, and counts every
// request.
func (s *SNS) Client() *http.Client {
	return &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		u := r.URL.String()
		s.mu.Lock()
		s.requests[u]++
		s.mu.Unlock()
		status, body := http.StatusNotFound, []byte("not found")
		switch u {
		case s.CertURL:
			status, body = http.StatusOK, s.CertPEM
		case s.SubscribeURL():
			status, body = http.StatusOK, []byte("<ConfirmSubscriptionResponse/>")
		}
		return &http.Response{StatusCode: status, Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(body)), Request: r}, nil
	})}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// Requests reports how many requests Client has made in all.
func (s *SNS) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.requests {
		n += c
	}
	return n
}

// RequestsTo reports how many requests Client has made to url.
func (s *SNS) RequestsTo(url string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[url]
}

// NewRequest builds the POST SNS makes for m.
func (s *SNS) NewRequest(ctx context.Context, url string, m SNSMessage) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(m.JSON()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "text/plain; charset=UTF-8")
	req.Header.Set("x-amz-sns-message-type", m["Type"])
	req.Header.Set("x-amz-sns-message-id", m["MessageId"])
	req.Header.Set("x-amz-sns-topic-arn", m["TopicArn"])
	req.Header.Set("User-Agent", "Amazon Simple Notification Service Agent")
	return req, nil
}

// Deliver posts m to h as SNS does: again after any answer outside 2xx, up
// to attempts times in all. It returns the status of every attempt. To
// deliver a duplicate, call it again with the same message.
func (s *SNS) Deliver(h http.Handler, m SNSMessage, attempts int) []int {
	var statuses []int
	for range max(attempts, 1) {
		req, err := s.NewRequest(context.Background(), "http://receiver.test/ivvy", m)
		if err != nil {
			panic("ivvyfake: " + err.Error())
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		statuses = append(statuses, rec.Code)
		if rec.Code >= 200 && rec.Code < 300 {
			break
		}
	}
	return statuses
}
