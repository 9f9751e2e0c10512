package invitario

import "time"

// WithAfterFunc replaces the timers of streamed lists (the call's timeout
// until the answer begins, then the idle limit), for tests.
func WithAfterFunc(fn func(time.Duration, func()) func() bool) Option {
	return func(s *settings) { s.afterFunc = fn }
}
