package officetest

import (
	"net/http"
	"testing"
)

func TestStopAndRestartOnTheSameAddress(t *testing.T) {
	o := Start(t, Tuesday("09:00"))
	get := func() error {
		resp, err := http.Get(o.URL + "/healthz")
		if err == nil {
			resp.Body.Close()
		}
		return err
	}
	if err := get(); err != nil {
		t.Fatal(err)
	}
	o.Stop()
	if err := get(); err == nil {
		t.Fatal("the stopped server still answers")
	}
	n := o.Restart()
	if n.URL != o.URL {
		t.Fatalf("restarted on %s, want %s", n.URL, o.URL)
	}
	if err := get(); err != nil {
		t.Fatal(err)
	}
}
