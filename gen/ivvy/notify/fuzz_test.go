package notify_test

import (
	"errors"
	"testing"

	"github.com/invitekit/invitekit/gen/ivvy/notify"
)

func FuzzParseEnvelope(f *testing.F) {
	f.Add([]byte(`{"Type":"Notification","MessageId":"1bca0cbf","TopicArn":"arn:aws:sns:ap-southeast-2:1:t","Subject":"s","Message":"{\"Subject\":\"ContactDeleted\",\"Body\":\"{}\"}","Timestamp":"2024-03-11T00:00:45.569Z","SignatureVersion":"1","Signature":"k1fv","SigningCertURL":"https://sns.ap-southeast-2.amazonaws.com/a.pem"}`))
	f.Add([]byte(`{"Type":"SubscriptionConfirmation","MessageId":"9a55","Token":"2336","TopicArn":"arn","Message":"m","SubscribeURL":"https://sns.ap-southeast-2.amazonaws.com/?Action=ConfirmSubscription","Timestamp":"2020-09-14T00:10:13.086Z","SignatureVersion":"2","Signature":"bvcr","SigningCertURL":"https://sns.ap-southeast-2.amazonaws.com/b.pem"}`))
	f.Add([]byte(`{"Type":"Notification","Subject":null,"Message":"m"}`))
	f.Add([]byte(`{"Type":7}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := notify.ParseEnvelope(b)
		if err != nil {
			if !errors.Is(err, notify.ErrMalformed) && !errors.Is(err, notify.ErrUnknownType) {
				t.Fatalf("error %v matches no refusal", err)
			}
			return
		}
		s, err := e.StringToSign()
		if err != nil || len(s) == 0 {
			t.Fatalf("parsed envelope of type %q has no string to sign: %v", e.Type, err)
		}
		_ = notify.CheckSNSURL(e.SigningCertURL)
		_, _ = e.Time()
	})
}
