package notify

import "sort"

// The table of subjects (bodies) is generated from the spec's
// x-ivvy-subject markers, in subjects.gen.go.

// Subjects lists the documented subjects, sorted.
func Subjects() []string {
	out := make([]string, 0, len(bodies))
	for s := range bodies {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// NewBody returns a pointer to a new value of the type subject's Body
// decodes into (*ivvy.ContactAddedNotification for "ContactAdded"), or
// false for a subject that is not documented.
func NewBody(subject string) (any, bool) {
	f, ok := bodies[subject]
	if !ok {
		return nil, false
	}
	return f(), true
}
