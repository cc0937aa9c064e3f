package assess_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/nhsx/kb/internal/assess"
	"github.com/nhsx/kb/internal/config"
	"github.com/nhsx/kb/internal/sitetest"
	"github.com/nhsx/kb/internal/wgll"
)

// The workbook's statement sheet is generated from the statements, so that
// editors change one place: go test ./internal/assess -run Workbook -update-workbook
var updateWorkbook = flag.Bool("update-workbook", false, "rewrite the workbook template's statement sheet from content/self-assessment/")

const workbookCSV = "content/templates/wgll-self-assessment-workbook/wgll-self-assessment.csv"

// repoStatements loads the repository's own statements, failing on any
// problem kb check would report.
func repoStatements(t *testing.T) (string, *assess.Set) {
	t.Helper()
	root := sitetest.RepoRoot(t)
	cfg, errs := config.Load(root)
	if err := errs.Err(); err != nil {
		t.Fatal(err)
	}
	set, errs := assess.Load(root, cfg, time.Time{})
	if err := errs.Err(); err != nil {
		t.Fatal(err)
	}
	return root, set
}

func TestWorkbookRegenerate(t *testing.T) {
	if !*updateWorkbook {
		t.Skip("run with -update-workbook to rewrite " + workbookCSV)
	}
	root, set := repoStatements(t)
	var buf bytes.Buffer
	if err := set.WorkbookCSV(&buf); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, filepath.FromSlash(workbookCSV)), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// Each measure offers each audience a short set of statements: enough to
// place the measure, few enough to answer the form in minutes.
func TestStatementsPerMeasureAndAudience(t *testing.T) {
	_, set := repoStatements(t)
	for _, a := range assess.Audiences {
		for _, m := range wgll.Slugs() {
			n := 0
			for _, st := range set.For(a.Slug) {
				if st.Measure == m {
					n++
				}
			}
			if n < 5 || n > 8 {
				t.Errorf("%s has %d statements for %s, want 5 to 8", m, n, a.Slug)
			}
		}
	}
}

// Every statement's sources are distinct: a repeated key is a copy-and-paste
// slip, not a second source.
func TestStatementSourcesDistinct(t *testing.T) {
	_, set := repoStatements(t)
	for _, st := range set.Statements {
		seen := map[string]bool{}
		for _, s := range st.Sources {
			if seen[s.Key] {
				t.Errorf("%s cites %s twice", st.ID, s.Key)
			}
			seen[s.Key] = true
		}
	}
}
