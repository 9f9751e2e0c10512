package ivvyfake

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"strings"

	"github.com/invitekit/invitekit/internal/signing"
)

// uploadedFile is a file part of a multipart/form-data request.
type uploadedFile struct {
	field, name string
	data        []byte
}

// newCallOf decodes a request body by its content type: the form of a
// multipart/form-data request (every field a string parameter, every file
// kept aside), else JSON as newCall does.
func newCallOf(contentType string, body []byte, base string) (*call, *exception) {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || !strings.EqualFold(mt, signing.IvvyMultipartType) {
		return newCall(body, base)
	}
	c := &call{params: map[string]json.RawMessage{}, base: base}
	r := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	for {
		p, err := r.NextPart()
		if errors.Is(err, io.EOF) {
			return c, nil
		}
		if err != nil {
			return nil, badRequest(codeInvalidParam, "The multipart body could not be read")
		}
		data, err := io.ReadAll(p)
		if err != nil {
			return nil, badRequest(codeInvalidParam, "The multipart body could not be read")
		}
		if p.FileName() != "" {
			c.files = append(c.files, uploadedFile{field: p.FormName(), name: p.FileName(), data: data})
			continue
		}
		c.params[p.FormName()], _ = json.Marshal(string(data))
	}
}

// Upload is a booking document the fake received through
// uploadBookingDocument.
type Upload struct {
	ID             int64
	VenueID        int64
	BookingID      int64
	Type           int64
	Status         int64
	CanBeDeleted   bool
	DocumentNumber int64
	Version        int64
	FileName       string
	Content        []byte
}

// uploadBookingDocument stores an uploaded booking document: a new document
// number, or the next version of the documentNumber sent. The signature
// (over the fields and the file's md5) was verified before, and the form
// against the spec.
func (s *Server) uploadBookingDocument(c *call) (any, *exception) {
	if len(c.files) != 1 || c.files[0].field != "fileId" {
		return nil, badRequest(codeUploadInvalid, "The request must carry one file, in the part fileId")
	}
	var u Upload
	for _, f := range []struct {
		name string
		dst  *int64
	}{{"venueId", &u.VenueID}, {"bookingId", &u.BookingID}, {"type", &u.Type}, {"status", &u.Status}} {
		n, exc := c.requiredInt(f.name)
		if exc != nil {
			return nil, exc
		}
		*f.dst = n
	}
	u.CanBeDeleted = true
	if n, ok, exc := c.int64Param("canBeDeleted"); exc != nil {
		return nil, exc
	} else if ok {
		u.CanBeDeleted = n == 1
	}
	num, ok, exc := c.int64Param("documentNumber")
	if exc != nil {
		return nil, exc
	}
	if ok {
		v, known := s.st.documents[num]
		if !known {
			return nil, badRequest(codeUploadBadData, "The request contains bad data", "no document with this documentNumber")
		}
		u.DocumentNumber, u.Version = num, v+1
	} else {
		u.DocumentNumber, u.Version = s.st.id("documentNumber", 0), 1
	}
	s.st.documents[u.DocumentNumber] = u.Version
	u.ID = s.st.id("bookingDocument", 0)
	u.FileName, u.Content = c.files[0].name, c.files[0].data
	s.st.uploads = append(s.st.uploads, u)
	return record{"success": true, "id": u.ID, "documentNumber": u.DocumentNumber, "version": u.Version}, nil
}

// Uploads returns the booking documents received, oldest first.
func (s *Server) Uploads() []Upload {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Upload, len(s.st.uploads))
	copy(out, s.st.uploads)
	return out
}
