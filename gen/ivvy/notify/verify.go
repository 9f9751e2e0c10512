package notify

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha1" //nolint:gosec // SNS SignatureVersion 1 is SHA1withRSA.
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"sync"
	"time"
)

// snsHost is the only host form a certificate or SubscribeURL may have.
var snsHost = regexp.MustCompile(`^sns\.[a-z0-9]+(-[a-z0-9]+)*\.amazonaws\.com$`)

// CheckSNSURL reports whether raw is an https URL on a host of the form
// sns.<region>.amazonaws.com (no user info, no port other than 443). The
// receiver fetches nothing else.
func CheckSNSURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%w: %q is not a URL", ErrCertURL, clip(raw))
	}
	if u.Scheme != "https" {
		return fmt.Errorf("%w: %q is not https", ErrCertURL, clip(raw))
	}
	if u.User != nil || u.Opaque != "" {
		return fmt.Errorf("%w: %q has user info or an opaque part", ErrCertURL, clip(raw))
	}
	if p := u.Port(); p != "" && p != "443" {
		return fmt.Errorf("%w: %q has port %s", ErrCertURL, clip(raw), p)
	}
	if !snsHost.MatchString(u.Hostname()) {
		return fmt.Errorf("%w: host %q is not sns.<region>.amazonaws.com", ErrCertURL, clip(u.Hostname()))
	}
	return nil
}

// maxCertBytes caps a fetched certificate file.
const maxCertBytes = 64 << 10

// maxCachedCerts bounds the certificate cache.
const maxCachedCerts = 32

// certSource gives the certificate to check a signature with.
type certSource struct {
	pinned *x509.Certificate
	client *http.Client
	roots  *x509.CertPool
	now    func() time.Time

	mu    sync.Mutex
	cache map[string]*x509.Certificate
}

// ParseCertificatePEM reads the first certificate of a PEM file.
func ParseCertificatePEM(b []byte) (*x509.Certificate, error) {
	certs, err := parsePEMChain(b)
	if err != nil {
		return nil, err
	}
	return certs[0], nil
}

func parsePEMChain(b []byte) ([]*x509.Certificate, error) {
	var certs []*x509.Certificate
	for {
		var blk *pem.Block
		blk, b = pem.Decode(b)
		if blk == nil {
			break
		}
		if blk.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(blk.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrCertificate, err)
		}
		certs = append(certs, c)
	}
	if len(certs) == 0 {
		return nil, fmt.Errorf("%w: no PEM CERTIFICATE block", ErrCertificate)
	}
	return certs, nil
}

// get returns the verified certificate behind certURL, from the pin, the
// cache or a fetch. The URL has passed CheckSNSURL.
func (s *certSource) get(ctx context.Context, certURL string) (*x509.Certificate, error) {
	if s.pinned != nil {
		return s.pinned, nil
	}
	now := s.now()
	s.mu.Lock()
	c, ok := s.cache[certURL]
	s.mu.Unlock()
	if ok && now.Before(c.NotAfter) {
		return c, nil
	}
	c, err := s.fetch(ctx, certURL)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	if len(s.cache) >= maxCachedCerts {
		for k := range s.cache { // drop any one: the cache only saves fetches
			delete(s.cache, k)
			break
		}
	}
	s.cache[certURL] = c
	s.mu.Unlock()
	return c, nil
}

func (s *certSource) fetch(ctx context.Context, certURL string) (*x509.Certificate, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, certURL, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCertURL, err)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCertFetch, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%w: %s answered %d", ErrCertFetch, clip(certURL), resp.StatusCode)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxCertBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCertFetch, err)
	}
	if len(b) > maxCertBytes {
		return nil, fmt.Errorf("%w: %s is over %d bytes", ErrCertificate, clip(certURL), maxCertBytes)
	}
	chain, err := parsePEMChain(b)
	if err != nil {
		return nil, err
	}
	inter := x509.NewCertPool()
	for _, c := range chain[1:] {
		inter.AddCert(c)
	}
	_, err = chain[0].Verify(x509.VerifyOptions{
		Roots:         s.roots, // nil: the system roots
		Intermediates: inter,
		CurrentTime:   s.now(),
		KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCertificate, err)
	}
	return chain[0], nil
}

// verifySignature checks e's signature with cert's RSA key.
func verifySignature(e *Envelope, cert *x509.Certificate) error {
	var h crypto.Hash
	switch e.SignatureVersion {
	case "1":
		h = crypto.SHA1
	case "2":
		h = crypto.SHA256
	default:
		return fmt.Errorf("%w: unsupported SignatureVersion %q", ErrBadSignature, clip(e.SignatureVersion))
	}
	pub, ok := cert.PublicKey.(*rsa.PublicKey)
	if !ok {
		return fmt.Errorf("%w: the signing certificate has no RSA key", ErrCertificate)
	}
	sig, err := base64.StdEncoding.DecodeString(e.Signature)
	if err != nil {
		return fmt.Errorf("%w: Signature is not base64", ErrBadSignature)
	}
	msg, err := e.StringToSign()
	if err != nil {
		return err
	}
	var digest []byte
	if h == crypto.SHA1 {
		d := sha1.Sum(msg) //nolint:gosec // required by SignatureVersion 1
		digest = d[:]
	} else {
		d := sha256.Sum256(msg)
		digest = d[:]
	}
	if err := rsa.VerifyPKCS1v15(pub, h, digest, sig); err != nil {
		return fmt.Errorf("%w: it does not match the message (SignatureVersion %s)", ErrBadSignature, e.SignatureVersion)
	}
	return nil
}
