// Package secure holds the one list of HTTP security headers the knowledge base
// is served with, so that Netlify (netlify.toml), the preview server and the
// search function cannot drift apart: a test checks netlify.toml against it.
package secure

import "net/http"

// Header is one response header.
type Header struct {
	Name, Value string
}

// Policy is the Content-Security-Policy. Pages load only their own files: no
// inline script or style (the theme keeps all of it in files), no plugins, no
// framing. The NHS design system's stylesheet loads its Frutiger fonts from
// assets.nhs.uk, the one outside origin allowed; data: images are its inline
// SVG icons.
const Policy = "default-src 'self'; " +
	"script-src 'self'; " +
	"style-src 'self'; " +
	"img-src 'self' data:; " +
	"font-src 'self' https://assets.nhs.uk; " +
	"connect-src 'self'; " +
	"object-src 'none'; " +
	"base-uri 'self'; " +
	"form-action 'self'; " +
	"frame-ancestors 'none'"

// FontOrigin is the only origin outside the site a page may load from.
const FontOrigin = "https://assets.nhs.uk"

// headers is the list, in the order netlify.toml gives it.
var headers = [...]Header{
	{"Content-Security-Policy", Policy},
	// Two years, the value the HSTS preload list asks for.
	{"Strict-Transport-Security", "max-age=63072000; includeSubDomains"},
	{"X-Content-Type-Options", "nosniff"},
	{"Referrer-Policy", "strict-origin-when-cross-origin"},
	// The site uses none of these browser features; deny them to anything it embeds.
	{"Permissions-Policy", "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"},
}

// Headers returns the security headers every response carries.
func Headers() []Header { return headers[:] }

// Set adds the security headers to h, replacing any earlier values.
func Set(h http.Header) {
	for _, x := range headers {
		h.Set(x.Name, x.Value)
	}
}

// Middleware sets the security headers on every response of next, before next
// writes anything, so that error pages carry them too.
func Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		Set(w.Header())
		next.ServeHTTP(w, r)
	})
}
