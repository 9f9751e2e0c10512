package signing

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"
)

// IvvyMultipartType is the content type of an iVvy upload, and the text
// that stands for it in the upload's string to sign (without the boundary
// parameter the Content-Type header carries).
const IvvyMultipartType = "multipart/form-data"

// An iVvy upload (venue uploadBookingDocument) is signed in a second mode.
// Its string to sign is
//
//	method + md5(fields JSON) + md5(file) + "multipart/form-data" + path and query + "1.0" + IVVY headers
//
// lowercased, where the fields JSON is an object of the form fields (every
// part without a file name) in the order they are sent, each value a JSON
// string, and Content-MD5 carries the file's md5 instead of the body's. The
// IVVY headers are rendered as in the JSON mode; an upload normally has
// only IVVY-Date, giving "ivvydate=<date>".

// isMultipart reports whether a Content-Type header value is
// multipart/form-data.
func isMultipart(contentType string) bool {
	if len(contentType) < len(IvvyMultipartType) {
		return false
	}
	if c := contentType[0]; c|0x20 != 'm' && c != ' ' && c != '\t' {
		return false // the usual answer, without the work below
	}
	mt, _, _ := strings.Cut(contentType, ";")
	mt = strings.TrimSpace(mt)
	// The length test first: it rejects application/json and the like
	// without the case-folding comparison.
	return len(mt) == len(IvvyMultipartType) && strings.EqualFold(mt, IvvyMultipartType)
}

// IvvyMultipartParts reads a multipart/form-data body as the upload
// signature sees it: the JSON object of its form fields, in the order sent,
// and the lowercase hex md5 of its one file part (the part with a file
// name). A body without exactly one file part is an error.
func IvvyMultipartParts(contentType string, body []byte) (fieldsJSON []byte, fileMD5 string, err error) {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || !strings.EqualFold(mt, IvvyMultipartType) || params["boundary"] == "" {
		return nil, "", fmt.Errorf("content type %q is not multipart/form-data with a boundary", contentType)
	}
	r := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	var fields bytes.Buffer
	enc := json.NewEncoder(&fields)
	enc.SetEscapeHTML(false)
	fields.WriteByte('{')
	files := 0
	for {
		p, err := r.NextRawPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, "", fmt.Errorf("multipart body: %w", err)
		}
		if p.FileName() != "" {
			files++
			h := md5.New()
			if _, err := io.Copy(h, p); err != nil {
				return nil, "", fmt.Errorf("multipart body: file part: %w", err)
			}
			fileMD5 = hex.EncodeToString(h.Sum(nil))
			continue
		}
		value, err := io.ReadAll(p)
		if err != nil {
			return nil, "", fmt.Errorf("multipart body: field %q: %w", p.FormName(), err)
		}
		if fields.Len() > 1 {
			fields.WriteByte(',')
		}
		// Encode appends a newline after each value: drop it.
		_ = enc.Encode(p.FormName())
		fields.Truncate(fields.Len() - 1)
		fields.WriteByte(':')
		_ = enc.Encode(string(value))
		fields.Truncate(fields.Len() - 1)
	}
	if files != 1 {
		return nil, "", fmt.Errorf("multipart body has %d file parts, want one", files)
	}
	fields.WriteByte('}')
	return fields.Bytes(), fileMD5, nil
}

// IvvyMultipartStringToSign builds the upload's string to sign from the md5
// of the fields JSON and of the file, the path and query, and the IVVY
// headers, lowercased.
func IvvyMultipartStringToSign(method, fieldsMD5, fileMD5, requestURI string, header http.Header) string {
	return strings.ToLower(method + fieldsMD5 + fileMD5 + IvvyMultipartType + requestURI + IvvyAPIVersion + unicodeIvvyHeaders(header))
}

// editMultipart signs an upload (see IvvyMultipartStringToSign); the body
// is left replayable.
func (s *Ivvy) editMultipart(req *http.Request, contentType string) error {
	body, err := bodyOf(req)
	if err != nil {
		return fmt.Errorf("ivvy signing: read body: %w", err)
	}
	fields, fileMD5, err := IvvyMultipartParts(contentType, body)
	if err != nil {
		return fmt.Errorf("ivvy signing: %w", err)
	}
	sum := md5.Sum(fields)
	delete(req.Header, "Date")
	req.Header.Set(ContentMD5Header, fileMD5)
	req.Header.Set(IvvyDateHeader, s.now().UTC().Format(IvvyDateLayout))
	text := IvvyMultipartStringToSign(req.Method, hex.EncodeToString(sum[:]), fileMD5, req.URL.RequestURI(), req.Header)
	req.Header.Set(IvvyAuthHeader, "IWS "+s.key+":"+IvvySignature(s.secret.Reveal(), text))
	return nil
}

// bodyOf returns the request body's bytes, leaving req.Body readable from
// the start (as hashBody does).
func bodyOf(req *http.Request) ([]byte, error) {
	var buf bytes.Buffer
	if err := hashBody(req, &buf, &ivvyScratch{}); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
