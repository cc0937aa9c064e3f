package config

import (
	"os"
	"path/filepath"
	"testing"
)

func TestCheckBaseURL(t *testing.T) {
	for s, want := range map[string]string{
		"https://wgll-kb.netlify.app":    "",
		"https://kb.example.org/":        "",
		"http://127.0.0.1:1313":          "",
		"https://example.org/kb/":        "",
		"javascript:alert(1)":            "it must start with https:// (or http://)",
		"JavaScript://%0aalert(1)":       "it is not a URL",
		"JavaScript://x.org/":            "it must start with https:// (or http://)",
		"data:text/html,x":               "it must start with https:// (or http://)",
		"/kb/":                           "it must start with https:// (or http://)",
		"wgll-kb.netlify.app":            "it must start with https:// (or http://)",
		"https:///path":                  "it has no host name after the //",
		"https:example.org":              "it has no host name after the //",
		"https://user:pw@example.org":    "it must not carry a user name or password",
		"https://example.org/?a=b":       "it must not carry a query (?…) or fragment (#…)",
		"https://example.org/#top":       "it must not carry a query (?…) or fragment (#…)",
		"https://example.org/?":          "it must not carry a query (?…) or fragment (#…)",
		" https://example.org":           "it contains spaces or control characters",
		"https://example.org/\n<script>": "it contains spaces or control characters",
	} {
		if got := CheckBaseURL(s); got != want {
			t.Errorf("CheckBaseURL(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestLoadPointsAtBadBaseURL(t *testing.T) {
	dir := t.TempDir()
	yaml := "title: KB\nbase_url:   \"ftp://kb.example.org\"\n"
	if err := os.WriteFile(filepath.Join(dir, SettingsFile), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errs := Load(dir)
	want := `site.yaml:2:13: base_url "ftp://kb.example.org" is not the site's web address: it must start with https:// (or http://): give the full public address, such as https://wgll-kb.netlify.app`
	if len(errs) != 1 || errs[0].Error() != want {
		t.Errorf("errors = %v\nwant %s", errs, want)
	}
}
