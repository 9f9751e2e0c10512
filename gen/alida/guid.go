package alida

import (
	"fmt"

	"github.com/google/uuid"
)

// ParseGUID reads a GUID written as Alida writes them,
// "3f2c5f0e-9a7b-4c1d-8e2f-0a1b2c3d4e5f" (any case; braces or a urn:uuid:
// prefix are accepted too), so a caller can build member and communication
// ids without importing a UUID library.
func ParseGUID(s string) (GUID, error) {
	u, err := uuid.Parse(s)
	if err != nil {
		return GUID{}, fmt.Errorf("alida: %q is not a GUID: %w", s, err)
	}
	return u, nil
}
