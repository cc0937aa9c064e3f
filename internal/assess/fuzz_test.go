package assess_test

import (
	"errors"
	"testing"
	"time"

	"github.com/nhsx/kb/internal/assess"
	"github.com/nhsx/kb/internal/config"
	"github.com/nhsx/kb/internal/sitetest"
)

// FuzzParseQuery: any query is either answers of the chosen audience with
// scores in range, or a list of problems; never a panic or another error.
func FuzzParseQuery(f *testing.F) {
	root := sitetest.Write(f, []byte("-- site.yaml --\ntitle: T\n-- content/self-assessment/well-led.yaml --\n"+
		"measure: well-led\nsources:\n  - key: w\n    title: W\n    url: https://example.org/\n    publisher: P\n    accessed: 2026-01-01\n"+
		"statements:\n  - id: WL1\n    audience: ics\n    text: A\n    topics: [x]\n    sources: [w]\n"))
	cfg, _ := config.Load(root)
	set, errs := assess.Load(root, cfg, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
	if errs.Err() != nil {
		f.Fatal(errs.Err())
	}
	for _, seed := range []string{"audience=ics&WL1=2", "audience=ics&WL1=dk&format=csv", "WL1=%zz", "audience=ics&WL1=0&WL1=1", "a;b&c=d"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, q string) {
		a, err := set.ParseQuery(q)
		var bad assess.BadAnswers
		switch {
		case err != nil && !errors.As(err, &bad):
			t.Fatalf("%q: %v", q, err)
		case err == nil:
			if a.Audience != "ics" {
				t.Fatalf("%q: audience %q", q, a.Audience)
			}
			for id, s := range a.Scores {
				if set.Lookup(id) == nil || s < assess.DontKnow || s > assess.Fully {
					t.Fatalf("%q: %s=%d", q, id, s)
				}
			}
		}
	})
}
