package web

import (
	"net/http"
	"testing"
)

func TestClientAddr(t *testing.T) {
	trusted, err := ParseTrustedProxies("10.0.0.1, 192.168.50.0/24,::1")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, remote string
		forwarded    []string
		want         string
	}{
		{"direct", "203.0.113.7:5123", nil, "203.0.113.7"},
		{"direct, forged header ignored", "203.0.113.7:5123", []string{"10.9.9.9"}, "203.0.113.7"},
		{"through the proxy", "10.0.0.1:40000", []string{"203.0.113.7"}, "203.0.113.7"},
		{"through two trusted proxies", "10.0.0.1:40000", []string{"203.0.113.7, 192.168.50.3"}, "203.0.113.7"},
		{"a client's forged hop is left of the real one", "10.0.0.1:40000", []string{"10.9.9.9, 203.0.113.7"}, "203.0.113.7"},
		{"several headers", "10.0.0.1:40000", []string{"10.9.9.9", "203.0.113.7"}, "203.0.113.7"},
		{"proxy without the header", "10.0.0.1:40000", nil, "10.0.0.1"},
		{"unreadable hop", "10.0.0.1:40000", []string{"not-an-ip"}, "10.0.0.1"},
		{"IPv6 counts by /64", "[2001:db8:1:2:aaaa::5]:443", nil, "2001:db8:1:2::/64"},
		{"IPv4 in IPv6", "[::ffff:203.0.113.7]:443", nil, "203.0.113.7"},
		{"IPv6 proxy", "[::1]:443", []string{"198.51.100.4"}, "198.51.100.4"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := &http.Request{RemoteAddr: tc.remote, Header: http.Header{}}
			for _, v := range tc.forwarded {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := clientAddr(r, trusted); got != tc.want {
				t.Fatalf("got %s, want %s", got, tc.want)
			}
		})
	}
	if _, err := ParseTrustedProxies("10.0.0.1, proxy.local"); err == nil {
		t.Fatal("a host name was accepted as a trusted proxy")
	}
}
