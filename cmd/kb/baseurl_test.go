package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nhsx/kb/internal/sitetest"
)

// TestBuildWithoutBaseURL: with no base_url anywhere there is no sitemap or
// feed (both need absolute addresses; a sitemap of "/" is invalid), robots.txt
// names none, no page links to the feed, and the build says so once.
func TestBuildWithoutBaseURL(t *testing.T) {
	t.Setenv("URL", "")
	t.Setenv("DEPLOY_PRIME_URL", "")
	root := t.TempDir()
	mustWrite(t, filepath.Join(root, "site.yaml"), "title: KB\n")
	mustWrite(t, filepath.Join(root, "content", "guides", "a.md"), goodPage)
	out := filepath.Join(t.TempDir(), "public")
	code, _, stderr := kb(t, "build", "--source", root, "--theme", sitetest.ThemeDir(t), "--out", out, "--index", "")
	if code != 0 {
		t.Fatalf("exit code %d: %s", code, stderr)
	}
	want := "site.yaml: warning: no base_url, so no sitemap.xml or feed.xml (both need the site's full address): add base_url: https://… to site.yaml, or pass --base-url\n"
	if stderr != want {
		t.Errorf("stderr = %q, want %q", stderr, want)
	}
	for _, f := range []string{"sitemap.xml", "feed.xml"} {
		if _, err := os.Stat(filepath.Join(out, f)); !os.IsNotExist(err) {
			t.Errorf("%s written without a base URL (%v)", f, err)
		}
	}
	if robots, _ := os.ReadFile(filepath.Join(out, "robots.txt")); string(robots) != "User-agent: *\nAllow: /\n" {
		t.Errorf("robots.txt = %q", robots)
	}
	doc := sitetest.Page(t, out, "guides/a/index.html")
	if n := doc.Find(`a[href="/feed.xml"], link[href="/feed.xml"]`).Length(); n != 0 {
		t.Errorf("%d links to the missing feed", n)
	}
}

// TestBuildBaseURLFromEnvironment: Netlify's URL variable is checked like
// the flag, and the message names it.
func TestBuildBaseURLFromEnvironment(t *testing.T) {
	t.Setenv("URL", "javascript:alert(document.domain)")
	t.Setenv("DEPLOY_PRIME_URL", "")
	root := t.TempDir()
	mustWrite(t, filepath.Join(root, "content", "guides", "a.md"), goodPage)
	out := filepath.Join(t.TempDir(), "public")
	code, _, stderr := kb(t, "build", "--source", root, "--theme", sitetest.ThemeDir(t), "--out", out)
	want := "kb: the URL environment variable \"javascript:alert(document.domain)\" is not the site's web address: it must start with https:// (or http://): give the full public address, such as https://wgll-kb.netlify.app\n"
	if code != 1 || stderr != want {
		t.Errorf("exit %d, stderr = %q, want %q", code, stderr, want)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("the failed build wrote %s", out)
	}

	t.Setenv("URL", "https://kb.example.org")
	if code, _, stderr := kb(t, "build", "--source", root, "--theme", sitetest.ThemeDir(t), "--out", out, "--index", ""); code != 0 {
		t.Fatalf("exit code %d: %s", code, stderr)
	}
	if robots, _ := os.ReadFile(filepath.Join(out, "robots.txt")); !strings.Contains(string(robots), "Sitemap: https://kb.example.org/sitemap.xml\n") {
		t.Errorf("robots.txt = %q", robots)
	}
}
