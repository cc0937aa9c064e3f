package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nhsx/kb/internal/sitetest"
)

// assessSite runs kb assess on the recommendation test site with answers.
func assessSite(t *testing.T, answers string, args ...string) (int, string, string) {
	t.Helper()
	_, root := sitetest.Load(t, "../../internal/assess/testdata/recommend.txtar")
	file := filepath.Join(t.TempDir(), "answers.txt")
	if err := os.WriteFile(file, []byte(answers), 0o644); err != nil {
		t.Fatal(err)
	}
	args = append([]string{"assess", "--source", root, "--theme", sitetest.ThemeDir(t), "--answers", file}, args...)
	return kb(t, args...)
}

func TestAssessText(t *testing.T) {
	code, out, stderr := assessSite(t, "# our answers\naudience=organisation\nSP1=0\nSP2=3\nIC1=3\n")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	want := `Where are we? An individual organisation: 3 of 3 statements answered. Furthest from good first.

Safe practice: Getting there
  SP1  Not started      Cyber incident plans are tested every year
  SP2  Fully in place   Every deployment has a clinical safety case
  What would help most:
  - A cyber exercise (case study) /case-studies/cyber-exercise/ [topics: cyber-security]
  - Cyber playbook (guide) /guides/cyber-playbook/ [topics: cyber-security]
  - Cyber security for your EPR (guide) /guides/epr-cyber/ [topics: cyber-security]
  - Hazard log (template) /templates/hazard-log/ [same measure]

Improve care: In place
  IC1  Fully in place   An EPR is in place
`
	if out != want {
		t.Errorf("got:\n%s\nwant:\n%s", out, want)
	}
}

func TestAssessJSON(t *testing.T) {
	code, out, _ := assessSite(t, "audience=organisation&SP1=0", "--format", "json")
	var res struct {
		Measures []struct {
			Measure, Position string
			Recommendations   []struct{ URL string }
		}
	}
	if err := json.Unmarshal([]byte(out), &res); code != 0 || err != nil {
		t.Fatalf("exit %d, %v\n%s", code, err, out)
	}
	if m := res.Measures[0]; m.Measure != "safe-practice" || m.Position != "Early days" || m.Recommendations[0].URL != "/case-studies/cyber-exercise/" {
		t.Errorf("%+v", m)
	}
}

func TestAssessBadAnswers(t *testing.T) {
	code, _, stderr := assessSite(t, "audience=organisation\nSP1=7\nQQ1=1\n")
	if code != 2 || !strings.Contains(stderr, "The answer to statement SP1 must be") || !strings.Contains(stderr, `There is no statement "QQ1"`) {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}
