package ivvy

// OK reports whether the endpoint is now unsubscribed (code 1). The codes
// themselves are generated from the spec (x-go-enums).
func (n NotificationResult) OK() bool { return n == NotificationResultSuccess }
