package ivvy_test

import (
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	ivvyfake "github.com/invitekit/invitekit/fake/ivvyfake"
	"github.com/invitekit/invitekit/gen/ivvy"
)

func TestNewFilterBuildsDocumentedKeys(t *testing.T) {
	when := ivvy.NewTime(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	f, err := ivvy.NewFilter(
		ivvy.Where("firstName").Is(ivvy.BeginsWith, "M"),
		ivvy.Where("lastName").Equals("Smith"),
		ivvy.Where("externalId").IsNull(),
		ivvy.Where("modifiedDate").Is(ivvy.AtLeast, when),
	)
	require.NoError(t, err)
	assert.Equal(t, ivvy.Filter{
		"firstName__BEGINS":         "M",
		"lastName":                  "Smith",
		"externalId":                "__ISNULL__",
		"modifiedDate__GREATERTHAN": "2026-01-02 03:04:05 UTC",
	}, f)
}

func TestNewFilterRejectsMistakes(t *testing.T) {
	for name, c := range map[string][]ivvy.Condition{
		"no field":         {ivvy.Where(" ").Equals(1)},
		"suffixed field":   {ivvy.Where("firstName__BEGINS").Equals("M")},
		"unknown modifier": {ivvy.Where("firstName").Is("__LIKE", "M")},
		"duplicate":        {ivvy.Where("a").Equals(1), ivvy.Where("a").Equals(2)},
	} {
		_, err := ivvy.NewFilter(c...)
		assert.Error(t, err, name)
	}
}

func TestFiltersSelectOnTheFake(t *testing.T) {
	f := ivvyfake.Demo()
	srv := httptest.NewServer(f)
	defer srv.Close()
	api, err := ivvy.New(ivvyfake.DemoKey, ivvyfake.DemoSecret, ivvy.WithBaseURL(srv.URL))
	require.NoError(t, err)

	var filter ivvy.ContactListFilter
	require.NoError(t, ivvy.Apply(&filter, ivvy.Where("email").Is(ivvy.BeginsWith, "a")))
	var emails []string
	for c, err := range api.Contacts(t.Context(), ivvy.GetContactListRequest{Filter: &filter}) {
		require.NoError(t, err)
		emails = append(emails, c.Email)
	}
	require.NotEmpty(t, emails)
	for _, e := range emails {
		assert.Regexp(t, "^a", e)
	}

	all := 0
	for _, err := range api.Contacts(t.Context(), ivvy.GetContactListRequest{}) {
		require.NoError(t, err)
		all++
	}
	assert.Less(t, len(emails), all, fmt.Sprintf("the filter selected %d of %d", len(emails), all))
}
