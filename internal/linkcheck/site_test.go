package linkcheck_test

import (
	"testing"

	"github.com/nhsx/kb/internal/linkcheck"
	"github.com/nhsx/kb/internal/sitetest/sitebuild"
)

// TestKnowledgeBaseLinks builds the repository's knowledge base and checks
// every link, anchor and sitemap entry of the result.
func TestKnowledgeBaseLinks(t *testing.T) {
	check(t, sitebuild.Repo(t))
}

// TestExampleSiteLinks does the same for the end-to-end tests' example site,
// which has bundles, downloads, aliases and every page kind.
func TestExampleSiteLinks(t *testing.T) {
	check(t, sitebuild.Archive(t, "../../cmd/kb/testdata/site.txtar"))
}

func check(t *testing.T, out string) {
	t.Helper()
	problems, err := linkcheck.Check(out, "https://kb.example.org")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Error(p)
	}
}
