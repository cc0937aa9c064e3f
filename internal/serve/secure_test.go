package serve

import (
	"net/http"
	"testing"

	"golang.org/x/net/html"

	"github.com/nhsx/kb/internal/secure"
)

// TestPreviewSendsSecurityHeaders: the preview serves pages, its own reload
// script, search and missing pages with production's security headers, and
// its pages need nothing the policy forbids (the reload script is a file).
func TestPreviewSendsSecurityHeaders(t *testing.T) {
	ts := startServer(t, map[string]string{"content/guides/a.md": page("A", "Body.")})
	for _, path := range []string{"/guides/a/", "/_kb/reload.js", "/search/?q=body", "/nowhere/"} {
		resp, err := ts.client.Get(ts.url + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		for _, h := range secure.Headers() {
			if got := resp.Header.Get(h.Name); got != h.Value {
				t.Errorf("%s (%d): %s = %q, want %q", path, resp.StatusCode, h.Name, got, h.Value)
			}
		}
	}
	code, doc, _ := ts.get("/guides/a/")
	if code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
	if n := find(doc, func(n *html.Node) bool { return n.Data == "script" && attr(n, "src") == "" }); n != nil {
		t.Error("the preview page has an inline script, which the policy blocks")
	}
	if n := find(doc, func(n *html.Node) bool { return n.Data == "style" || attr(n, "style") != "" }); n != nil {
		t.Errorf("the preview page has inline style on <%s>, which the policy blocks", n.Data)
	}
}
