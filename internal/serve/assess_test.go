package serve

import (
	"strings"
	"testing"
)

const statements = `measure: well-led
sources:
  - key: wgll
    title: "What Good Looks Like framework"
    url: https://www.nhsx.nhs.uk/digitise-connect-transform/what-good-looks-like/what-good-looks-like-publication/
    publisher: NHSX
    accessed: 2026-12-01
statements:
  - id: WL1
    audience: organisation
    text: "The board owns the digital strategy"
    topics: [cyber-security]
    sources: [wgll]
`

// The preview serves the self-assessment's forms and results from the last
// build, reads the statements afresh, and refuses bad answers with a 400.
func TestPreviewServesTheSelfAssessment(t *testing.T) {
	files := sampleSite()
	files["content/self-assessment/well-led.yaml"] = statements
	ts := startServer(t, files)
	if code, _, body := ts.get("/self-assessment/organisation/"); code != 200 || !strings.Contains(string(body), `name="WL1"`) {
		t.Fatalf("form: %d\n%s", code, body)
	}
	code, doc, body := ts.get("/self-assessment/results/?audience=organisation&WL1=0")
	if code != 200 || !strings.Contains(mainText(doc), "Well led: Early days") || !strings.Contains(string(body), "/guides/a/") {
		t.Errorf("results: %d\n%s", code, body)
	}
	ts.write("content/self-assessment/well-led.yaml", strings.Replace(statements, "owns the digital strategy", "reviews the strategy", 1))
	if _, _, body := ts.get("/self-assessment/organisation/"); !strings.Contains(string(body), "reviews the strategy") {
		t.Error("an edit to the statements is not served")
	}
	if code, _, body := ts.get("/self-assessment/results/?audience=organisation&WL1=5"); code != 400 || !strings.Contains(string(body), "nhsuk-error-summary") {
		t.Errorf("bad answer: %d\n%s", code, body)
	}
}
