package ivvy

import "strconv"

// NotificationResult is the per-endpoint result code of
// UnsubscribeFromNotifications. The set may grow: an unknown code decodes as
// itself and String reports it as such.
type NotificationResult int

// The documented result codes.
const (
	// NotificationResultSuccess: the endpoint is unsubscribed and gets no
	// more notifications.
	NotificationResultSuccess NotificationResult = 1
	// NotificationResultNotRequested: the endpoint was not named in the
	// request.
	NotificationResultNotRequested NotificationResult = 2
	// NotificationResultUnknownError: iVvy failed for a reason it does not
	// state; its support can tell more.
	NotificationResultUnknownError NotificationResult = 3
	// NotificationResultNotFound: the endpoint is not among the account's
	// subscriptions.
	NotificationResultNotFound NotificationResult = 4
	// NotificationResultIncorrectSource: only the API key that subscribed the
	// endpoint may unsubscribe it.
	NotificationResultIncorrectSource NotificationResult = 5
	// NotificationResultNotConfirmed: the subscription has not been
	// confirmed yet (its SubscribeURL was never visited), so it cannot be
	// unsubscribed.
	NotificationResultNotConfirmed NotificationResult = 6
)

var notificationResultNames = map[NotificationResult]string{
	NotificationResultSuccess:         "success",
	NotificationResultNotRequested:    "not requested",
	NotificationResultUnknownError:    "unknown error",
	NotificationResultNotFound:        "not found",
	NotificationResultIncorrectSource: "incorrect source",
	NotificationResultNotConfirmed:    "status not confirmed",
}

// String names the code ("success", "not found", ...), or "result N" for a
// code that is not documented.
func (r NotificationResult) String() string {
	if s, ok := notificationResultNames[r]; ok {
		return s
	}
	return "result " + strconv.Itoa(int(r))
}

// Known reports whether r is one of the documented codes.
func (r NotificationResult) Known() bool {
	_, ok := notificationResultNames[r]
	return ok
}

// OK reports whether the endpoint is now unsubscribed (code 1).
func (r NotificationResult) OK() bool { return r == NotificationResultSuccess }
