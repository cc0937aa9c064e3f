package content_test

import (
	"slices"
	"testing"

	"github.com/nhsx/kb/internal/content"
	"github.com/nhsx/kb/internal/diag"
	"github.com/nhsx/kb/internal/markdown"
)

// TestListItemsAsWritten: goldmark-meta reads YAML 1.1, where y, no, on and
// off are true and false and 010 is eight; a list's items are kept as the
// contributor wrote them, as a single value is.
func TestListItemsAsWritten(t *testing.T) {
	src := "---\ntitle: A\nsummary: S\nmeasures: [well-led]\ntopics: [y, \"x\", 010, no]\norganisations:\n  - On\n  - Off Grid\n---\nBody.\n"
	p := &content.Page{Path: "content/guides/a.md"}
	var errs diag.List
	if !content.ParseSource(p, []byte(src), markdown.New(), nil, &errs) || len(errs) > 0 {
		t.Fatalf("parse: %v", errs)
	}
	if want := []string{"y", "x", "010", "no"}; !slices.Equal(p.Topics(), want) {
		t.Errorf("topics %q, want %q", p.Topics(), want)
	}
	if want := []string{"On", "Off Grid"}; !slices.Equal(p.Organisations(), want) {
		t.Errorf("organisations %q, want %q", p.Organisations(), want)
	}
}
