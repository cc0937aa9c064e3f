package main

import (
	"strings"
	"testing"
)

// kb search finds a misspelt word and says what was meant, and its JSON is
// safe to paste into a page.
func TestSearchSuggestsAndEscapes(t *testing.T) {
	root, _ := buildSite(t)
	code, stdout, stderr := kb(t, "search", "--source", root, "asessment")
	if code != 0 {
		t.Fatalf("kb search: exit %d: %s", code, stderr)
	}
	if !strings.HasPrefix(stdout, `Did you mean "assessment"?`) || !strings.Contains(stdout, "Data Security and Protection Toolkit") {
		t.Errorf("kb search asessment:\n%s", stdout)
	}
	code, stdout, stderr = kb(t, "search", "--source", root, "--json", "<b>")
	if code != 0 || strings.ContainsAny(stdout, "<>") || !strings.Contains(stdout, `\u003cb\u003e`) {
		t.Errorf("kb search --json <b>: exit %d, %s%s", code, stdout, stderr)
	}
}
