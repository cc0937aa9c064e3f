package build

import (
	"testing"

	"github.com/nhsx/kb/internal/render"
)

// The preview refuses two outputs for one path as kb build does, instead of
// keeping whichever its map was given last.
func TestDistinctRefusesTwoOutputsForOnePath(t *testing.T) {
	jobs := []render.Job{{Path: "index.html"}, {Path: "feed.xml"}}
	assets := []render.Output{{Path: "assets/kb.css"}}
	if err := distinct(jobs, assets, []render.Output{{Path: "guides/a/plan.pdf"}}); err != nil {
		t.Fatalf("distinct outputs: %v", err)
	}
	for _, files := range [][]render.Output{{{Path: "feed.xml"}}, {{Path: "assets/kb.css"}}, {{Path: "a.pdf"}, {Path: "a.pdf"}}} {
		want := "internal error: two outputs for " + files[0].Path + "; please report this as a kb bug"
		if err := distinct(jobs, assets, files); err == nil || err.Error() != want {
			t.Errorf("files %v: %v, want %s", files, err, want)
		}
	}
}
