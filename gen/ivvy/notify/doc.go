// Package notify receives iVvy notifications: the messages iVvy publishes
// through Amazon SNS to a URL subscribed with
// (*ivvy.API).SubscribeToNotifications.
//
// A Receiver is an http.Handler. For every POST it checks, before anything
// else, that the body is an SNS message of a known type, that its Timestamp
// is within the accepted window, that its topic is allowed, and that its
// signature (SignatureVersion 1, SHA1withRSA, or 2, SHA256withRSA) verifies
// with the signing certificate, which is fetched only over https from
// sns.<region>.amazonaws.com, checked against the root pool and cached.
// Verified notifications reach the Handler with their Body decoded into the
// generated type of their Subject (see NewBody); a Body of an unknown subject
// arrives as json.RawMessage. Each MessageId is handled once within the
// deduplication window, and SNS gets 200 only after the Handler returns nil.
//
// iVvy also signs its inner message (Signature, SigningPublicKeyPath). That
// scheme is not documented, so this package passes both fields on and does
// not check them.
package notify
