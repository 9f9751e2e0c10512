package httpx

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadAllWhateverTheHint(t *testing.T) {
	body := strings.Repeat("0123456789", 300)
	for _, hint := range []int64{-1, 0, 1, 2999, 3000, 3001, 1 << 40} {
		got, err := readAll(iotest.HalfReader(strings.NewReader(body)), hint)
		require.NoError(t, err, hint)
		assert.Equal(t, body, string(got), hint)
	}
	_, err := readAll(iotest.ErrReader(io.ErrClosedPipe), 10)
	assert.ErrorIs(t, err, io.ErrClosedPipe)
}

func TestReadBodyCapDoesNotTrustContentLength(t *testing.T) {
	resp := func(body string, declared int64) *http.Response {
		return &http.Response{Body: io.NopCloser(strings.NewReader(body)), ContentLength: declared}
	}
	var tooLarge *TooLargeError
	_, err := ReadBody(resp(strings.Repeat("x", 101), 10), 100)
	require.ErrorAs(t, err, &tooLarge, "a body longer than it said is still capped")
	_, err = ReadBody(resp(strings.Repeat("x", 101), 1<<30), 100)
	require.ErrorAs(t, err, &tooLarge)
	got, err := ReadBody(resp("short", 1<<30), 100)
	require.NoError(t, err)
	assert.Equal(t, "short", string(got))
}

func TestMemBodyTellsWhatIsLeft(t *testing.T) {
	m := &memBody{b: []byte("hello world")}
	assert.Equal(t, "hello world", string(m.Bytes()))
	p := make([]byte, 6)
	n, err := m.Read(p)
	require.NoError(t, err)
	assert.Equal(t, "hello ", string(p[:n]))
	assert.Equal(t, "world", string(m.Bytes()), "Bytes is what a read would return")
	var rest bytes.Buffer
	_, err = io.Copy(&rest, m)
	require.NoError(t, err)
	assert.Equal(t, "world", rest.String())
	assert.Empty(t, m.Bytes())
	n, err = m.Read(p)
	assert.Equal(t, 0, n)
	assert.ErrorIs(t, err, io.EOF)
}
