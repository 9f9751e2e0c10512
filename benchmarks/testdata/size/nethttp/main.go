// Command nethttp signs and sends an iVvy ping with net/http alone: the
// baseline TestPingBinarySize measures the generated client against.
package main

import (
	"bytes"
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"
)

func main() {
	body := []byte("{}")
	sum := md5.Sum(body)
	date := time.Now().UTC().Format("2006-01-02 15:04:05")
	path := "/api/1.0/test?action=ping"
	sts := strings.ToLower("POST" + hex.EncodeToString(sum[:]) + "application/json" + path + "1.0" + "ivvydate=" + date)
	mac := hmac.New(sha1.New, []byte(os.Getenv("IVVY_API_SECRET")))
	mac.Write([]byte(sts))
	req, _ := http.NewRequest("POST", os.Getenv("IVVY_BASE_URL")+path, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Content-MD5", hex.EncodeToString(sum[:]))
	req.Header.Set("IVVY-Date", date)
	req.Header.Set("X-Api-Authorization", "IWS "+os.Getenv("IVVY_API_KEY")+":"+hex.EncodeToString(mac.Sum(nil)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var out struct{ Ack string }
	_ = json.Unmarshal(b, &out)
	fmt.Println(out.Ack)
}
