package secure

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestMiddlewareSetsEveryHeader(t *testing.T) {
	h := Middleware(http.NotFoundHandler())
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/missing/", nil))
	if rec.Code != http.StatusNotFound {
		t.Fatalf("status %d: the middleware must not change the response", rec.Code)
	}
	for _, x := range Headers() {
		if got := rec.Header().Get(x.Name); got != x.Value {
			t.Errorf("%s = %q, want %q", x.Name, got, x.Value)
		}
	}
}

// TestPolicyIsStrict guards the directives the issue asks for against a
// well-meant loosening.
func TestPolicyIsStrict(t *testing.T) {
	directives := map[string]string{}
	for _, d := range strings.Split(Policy, ";") {
		name, value, _ := strings.Cut(strings.TrimSpace(d), " ")
		directives[name] = value
	}
	want := map[string]string{
		"default-src":     "'self'",
		"script-src":      "'self'",
		"style-src":       "'self'",
		"img-src":         "'self' data:",
		"font-src":        "'self' " + FontOrigin,
		"object-src":      "'none'",
		"base-uri":        "'self'",
		"form-action":     "'self'",
		"frame-ancestors": "'none'",
	}
	for name, value := range want {
		if directives[name] != value {
			t.Errorf("%s = %q, want %q", name, directives[name], value)
		}
	}
	for _, loose := range []string{"unsafe-inline", "unsafe-eval", "*", "http:"} {
		if strings.Contains(Policy, loose) {
			t.Errorf("policy allows %s", loose)
		}
	}
}
