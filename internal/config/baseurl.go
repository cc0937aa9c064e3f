package config

import (
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/nhsx/kb/internal/diag"
)

// CheckBaseURL says what is wrong with s as the site's public address, or ""
// when it is an absolute http or https URL with a host and nothing after the
// path. The address is written into the sitemap, the feed, robots.txt and
// each page's head: anything else (javascript:, a bare path) would put a
// script or a broken link there.
func CheckBaseURL(s string) string {
	if strings.TrimSpace(s) != s || strings.ContainsFunc(s, func(r rune) bool { return r < ' ' || r == 0x7f || r == ' ' }) {
		return "it contains spaces or control characters"
	}
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return "it is not a URL"
	case u.Scheme != "https" && u.Scheme != "http":
		return "it must start with https:// (or http://)"
	case u.Opaque != "" || u.Host == "" || u.Hostname() == "":
		return "it has no host name after the //"
	case u.User != nil:
		return "it must not carry a user name or password"
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.ContainsAny(s, "?#"):
		return "it must not carry a query (?…) or fragment (#…)"
	}
	return ""
}

// BaseURLError is the fix for a bad base URL taken from where.
func BaseURLError(where, s, why string) string {
	return fmt.Sprintf("%s %q is not the site's web address: %s: give the full public address, such as https://wgll-kb.netlify.app", where, s, why)
}

// checkBaseURL reports a bad base_url at its value in site.yaml.
func (c *Config) checkBaseURL(src []byte, errs *diag.List) {
	why := CheckBaseURL(c.BaseURL)
	if c.BaseURL == "" || why == "" {
		return
	}
	pos := diag.Pos{File: SettingsFile, Line: 1, Col: 1}
	for i, l := range strings.Split(string(src), "\n") {
		if rest, ok := strings.CutPrefix(l, "base_url:"); ok {
			value := strings.TrimLeft(rest, " \t")
			pos.Line = i + 1
			pos.Col = utf8.RuneCountInString(l[:len(l)-len(value)]) + 1
			break
		}
	}
	errs.Addf(pos, "%s", BaseURLError("base_url", c.BaseURL, why))
}
