package assess_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/nhsx/kb/internal/assess"
	"github.com/nhsx/kb/internal/build"
	"github.com/nhsx/kb/internal/config"
	"github.com/nhsx/kb/internal/sitetest"
)

// site loads a txtar site with the repository's theme.
func site(t *testing.T, name string) *build.Model {
	t.Helper()
	_, root := sitetest.Load(t, filepath.Join("testdata", name))
	m, err := build.Load(build.Options{Source: root, ThemeDir: sitetest.ThemeDir(t)})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func evaluate(t *testing.T, m *build.Model, query string) *assess.Result {
	t.Helper()
	a, err := m.Assessment.ParseQuery(query)
	if err != nil {
		t.Fatal(err)
	}
	return m.Assessment.Evaluate(a, build.AssessItems(m.Site))
}

func titles(recs []assess.Recommendation) []string {
	var out []string
	for _, r := range recs {
		out = append(out, r.Title)
	}
	return out
}

func TestLowCyberAnswerRecommendsTheMeasuresCyberItemsFirst(t *testing.T) {
	m := site(t, "recommend.txtar")
	res := evaluate(t, m, "audience=organisation&SP1=0&SP2=3&IC1=3")
	if got := res.Measures[0].Slug; got != "safe-practice" {
		t.Fatalf("furthest from good = %s, want safe-practice", got)
	}
	sp := res.Measures[0]
	if sp.Position != assess.GettingThere { // (0+3)/2 = 1.5
		t.Errorf("position = %q", sp.Position)
	}
	// Cyber items of the measure, then the cyber item of another measure,
	// then the measure's other item; never a standard.
	want := []string{"A cyber exercise", "Cyber playbook", "Cyber security for your EPR", "Hazard log"}
	if got := titles(sp.Recommend); !slices.Equal(got, want) {
		t.Errorf("recommendations = %q, want %q", got, want)
	}
	if ic := res.Measures[1]; ic.Position != assess.InPlace || len(ic.Recommend) != 0 {
		t.Errorf("improve-care = %s with %q, want In place and nothing", ic.Position, titles(ic.Recommend))
	}
}

func TestLowClinicalSafetyAnswerRecommendsTheHazardLogFirst(t *testing.T) {
	m := site(t, "recommend.txtar")
	res := evaluate(t, m, "audience=organisation&SP1=3&SP2=1")
	if got := titles(res.Measures[0].Recommend); len(got) == 0 || got[0] != "Hazard log" {
		t.Errorf("recommendations = %q, want the hazard log first", got)
	}
}

func TestUnansweredAndDontKnowMeasuresComeLast(t *testing.T) {
	m := site(t, "recommend.txtar")
	res := evaluate(t, m, "audience=organisation&SP1=dk&IC1=1")
	if res.Measures[0].Slug != "improve-care" || res.Measures[0].Position != assess.GettingThere {
		t.Errorf("first = %s %s", res.Measures[0].Slug, res.Measures[0].Position)
	}
	if last := res.Measures[1]; last.Position != assess.NotKnown || len(last.Recommend) != 0 {
		t.Errorf("last = %s %s %q", last.Slug, last.Position, titles(last.Recommend))
	}
}

func TestStatementErrorsArePositioned(t *testing.T) {
	_, root := sitetest.Load(t, filepath.Join("testdata", "errors.txtar"))
	cfg, errs := config.Load(root)
	if err := errs.Err(); err != nil {
		t.Fatal(err)
	}
	_, errs = assess.Load(root, cfg, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
	var got []string
	for _, d := range errs {
		got = append(got, d.Error())
	}
	const f = "content/self-assessment/safe-practice.yaml"
	want := []string{
		f + `:1:10: unknown measure "safe-practise"; valid measures are well-led, smart-foundations, safe-practice, support-people, empower-citizens, improve-care, healthy-populations (did you mean "safe-practice"?)`,
		f + `:3:5: source url "http://example.org/" must be an https:// address`,
		f + `:12:14: unknown topic "cyber-securty": use a slug from topics.yaml (did you mean "cyber-security"?)`,
		f + `:14:9: statement id SP1 is used twice: every statement needs its own id`,
		f + `:15:15: unknown audience "trust": use organisation or ics`,
		f + `:18:15: unknown source "dma": use the key of one of this file's sources`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestBadAnswers(t *testing.T) {
	m := site(t, "recommend.txtar")
	for _, tc := range []struct{ query, want string }{
		{"audience=organisation&ZZ9=1", `There is no statement "ZZ9"`},
		{"audience=organisation&SP1=4", "The answer to statement SP1 must be"},
		{"audience=organisation&SP1=-1", "The answer to statement SP1 must be"},
		{"audience=organisation&SP1=0&SP1=1", "answered more than once"},
		{"audience=organisation&SP3=1", "SP3 is not one of the organisation statements"},
		{"audience=trust&SP1=1", "Choose who the answers are about"},
		{"SP1=1", "Choose who the answers are about"},
		{"audience=ics&format=pdf", "The format must be csv"},
		{"audience=ics" + strings.Repeat("&SP3=1", assess.MaxParams), "Too many answers"},
	} {
		_, err := m.Assessment.ParseQuery(tc.query)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%.60s: err = %v, want %q", tc.query, err, tc.want)
		}
	}
}

// serve runs the self-assessment's handler over a loaded site.
func serve(t *testing.T, m *build.Model) *httptest.Server {
	t.Helper()
	src, err := m.AssessSource(m.Assessment)
	if err != nil {
		t.Fatal(err)
	}
	h := assess.Handler(func() (*assess.Source, error) { return src, nil })
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, srv *httptest.Server, path string) (int, http.Header, []byte) {
	t.Helper()
	resp, err := http.Get(srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(resp.Body)
	return resp.StatusCode, resp.Header, buf.Bytes()
}

func doc(t *testing.T, body []byte) *goquery.Document {
	t.Helper()
	d, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestFormIsFieldsetsOfLabelledRadios(t *testing.T) {
	srv := serve(t, site(t, "recommend.txtar"))
	status, _, body := get(t, srv, "/self-assessment/organisation/")
	if status != 200 {
		t.Fatalf("status %d", status)
	}
	d := doc(t, body)
	form := d.Find("form#answers")
	if form.AttrOr("method", "") != "get" || form.AttrOr("action", "") != assess.ResultsPath {
		t.Errorf("form method/action = %q %q", form.AttrOr("method", ""), form.AttrOr("action", ""))
	}
	if v := form.Find(`input[type=hidden][name=audience]`).AttrOr("value", ""); v != "organisation" {
		t.Errorf("audience = %q", v)
	}
	if got := sitetest.Texts(d.Find("form h2")); !slices.Equal(got, []string{"3. Safe practice", "6. Improve care"}) {
		t.Errorf("measures = %q", got)
	}
	sets := form.Find("fieldset")
	if sets.Length() != 3 { // SP1, SP2, IC1; SP3 is for an ICS
		t.Fatalf("%d fieldsets, want 3", sets.Length())
	}
	sets.Each(func(_ int, fs *goquery.Selection) {
		id := fs.AttrOr("id", "")
		if strings.TrimSpace(fs.Find("legend").Text()) == "" {
			t.Errorf("%s: no legend", id)
		}
		radios := fs.Find("input[type=radio]")
		var labels []string
		radios.Each(func(_ int, r *goquery.Selection) {
			if r.AttrOr("name", "") != id {
				t.Errorf("%s: radio named %q", id, r.AttrOr("name", ""))
			}
			l := fs.Find(`label[for="` + r.AttrOr("id", "") + `"]`)
			labels = append(labels, strings.TrimSpace(l.Text()))
		})
		want := []string{"Not started", "Planning", "Partly in place", "Fully in place", "Don't know"}
		if !slices.Equal(labels, want) {
			t.Errorf("%s: labels %q", id, labels)
		}
		if got := sitetest.Attrs(radios, "value"); !slices.Equal(got, []string{"0", "1", "2", "3", "dk"}) {
			t.Errorf("%s: values %q", id, got)
		}
	})
	if !strings.Contains(d.Find(".nhsuk-inset-text").Text(), "this site does not store them, write them to any log or send them anywhere") {
		t.Error("the form does not say the answers are not stored, logged or sent")
	}
	if d.Find(`meta[name=referrer][content=no-referrer]`).Length() != 1 {
		t.Error("the form lets links send its address (with the browser's answers) as the Referer")
	}
	if d.Find(`script:not([src]):not([type="application/json"])`).Length() > 0 {
		t.Error("the form has inline script")
	}
}

func TestResultsPage(t *testing.T) {
	srv := serve(t, site(t, "recommend.txtar"))
	status, h, body := get(t, srv, "/self-assessment/results/?audience=organisation&SP1=0&SP2=3&IC1=3")
	if status != 200 || h.Get("Cache-Control") != "no-store" {
		t.Fatalf("status %d, Cache-Control %q", status, h.Get("Cache-Control"))
	}
	d := doc(t, body)
	if got := sitetest.Texts(d.Find(".kb-assess__result h2")); !slices.Equal(got, []string{"Safe practice: Getting there", "Improve care: In place"}) {
		t.Errorf("measures = %q", got)
	}
	recs := sitetest.Attrs(d.Find("#result-safe-practice .kb-assess__recs a"), "href")
	if len(recs) == 0 || recs[0] != "/case-studies/cyber-exercise/" {
		t.Errorf("recommendations = %q", recs)
	}
	csvURL := d.Find(`a[download]`).AttrOr("href", "")
	if !strings.HasSuffix(csvURL, "&format=csv") {
		t.Fatalf("CSV link = %q", csvURL)
	}
	if !strings.Contains(d.Find(".nhsuk-inset-text").Text(), "not stored your answers") {
		t.Error("the page does not say the answers are not stored")
	}
	status, h, body = get(t, srv, csvURL)
	if status != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/csv") {
		t.Fatalf("CSV: status %d, type %q", status, h.Get("Content-Type"))
	}
	rows, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if rows[1][3] != "SP1" || rows[1][5] != "Not started" {
		t.Errorf("first answer row = %q", rows[1])
	}
	var rec []string
	for _, r := range rows {
		if r[0] == "recommendation" {
			rec = r
			break
		}
	}
	if rec == nil || rec[8] != "https://kb.example.org/case-studies/cyber-exercise/" {
		t.Errorf("first recommendation row = %q", rec)
	}
}

func TestBadAnswersGet400WithErrorSummary(t *testing.T) {
	srv := serve(t, site(t, "recommend.txtar"))
	for _, tc := range []struct {
		query string
		hrefs []string
	}{
		{"audience=organisation&SP1=7&ZZ1=1", []string{"#SP1-0", "#answers"}},
		{"audience=nobody&SP1=1", []string{"#audience"}},
		{"audience=ics" + strings.Repeat("&SP3=1", assess.MaxParams), []string{"#audience"}},
	} {
		status, _, body := get(t, srv, "/self-assessment/results/?"+tc.query)
		if status != http.StatusBadRequest {
			t.Errorf("%.40s: status %d, want 400", tc.query, status)
			continue
		}
		d := doc(t, body)
		sum := d.Find(".nhsuk-error-summary")
		if sum.Find(`[role=alert]`).Length() != 1 || strings.TrimSpace(sum.Find("h2").Text()) != "There is a problem" {
			t.Errorf("%.40s: no NHS.UK error summary", tc.query)
		}
		if got := sitetest.Attrs(sum.Find("li a"), "href"); !slices.Equal(got, tc.hrefs) {
			t.Errorf("%.40s: summary links %q, want %q", tc.query, got, tc.hrefs)
		}
		for _, href := range tc.hrefs { // each link leads to the field at fault
			if d.Find(href).Length() != 1 {
				t.Errorf("%.40s: the summary links to %s, which is not on the page", tc.query, href)
			}
		}
		if !strings.HasPrefix(d.Find("title").Text(), "Error: ") {
			t.Errorf("%.40s: title %q", tc.query, d.Find("title").Text())
		}
	}
	// The form is shown again with the field marked and the good answers kept.
	_, _, body := get(t, srv, "/self-assessment/results/?audience=organisation&SP1=7&SP2=2")
	d := doc(t, body)
	if d.Find("#SP1 .nhsuk-error-message#SP1-error").Length() != 1 || d.Find("#SP1").Closest(".nhsuk-form-group--error").Length() != 1 {
		t.Error("SP1 has no error message, or its group is not marked as in error")
	}
	if got := d.Find("#SP1").AttrOr("aria-describedby", ""); got != "SP1-hint SP1-error" {
		t.Errorf("SP1's fieldset is described by %q, want its hint and its error", got)
	}
	if v := d.Find("#SP2 input[checked]").AttrOr("value", ""); v != "2" {
		t.Errorf("SP2 kept %q, want 2", v)
	}
}

// The workbook template's statement sheet is the statements, row for row.
func TestWorkbookMatchesStatements(t *testing.T) {
	root := sitetest.RepoRoot(t)
	cfg, errs := config.Load(root)
	if err := errs.Err(); err != nil {
		t.Fatal(err)
	}
	set, errs := assess.Load(root, cfg, time.Time{})
	if err := errs.Err(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := set.WorkbookCSV(&buf); err != nil {
		t.Fatal(err)
	}
	want, _ := csv.NewReader(&buf).ReadAll()
	data, err := os.ReadFile(filepath.Join(root, "content/templates/wgll-self-assessment-workbook/wgll-self-assessment.csv"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("workbook has %d rows, statements make %d: update one from the other", len(got), len(want))
	}
	for i := range want {
		if !slices.Equal(got[i], want[i]) {
			t.Errorf("workbook row %d = %q\nstatements make %q", i+1, got[i], want[i])
		}
	}
}

// Before any answer, the results address offers the forms (kb build writes
// it too, so the form's action is a real page of the static site).
func TestResultsWithoutAnswersOffersTheForms(t *testing.T) {
	srv := serve(t, site(t, "recommend.txtar"))
	status, _, body := get(t, srv, assess.ResultsPath)
	if status != 200 {
		t.Fatalf("status %d", status)
	}
	hrefs := sitetest.Attrs(doc(t, body).Find("#audience a"), "href")
	if !slices.Equal(hrefs, []string{"/self-assessment/organisation/", "/self-assessment/ics/"}) {
		t.Errorf("links %q", hrefs)
	}
	if status, _, _ := get(t, srv, "/self-assessment/nobody/"); status != 404 {
		t.Errorf("unknown page: %d", status)
	}
}

func TestUnknownFieldIsPositioned(t *testing.T) {
	root := t.TempDir()
	sitetest.WriteTo(t, []byte("-- site.yaml --\ntitle: T\n-- content/self-assessment/well-led.yaml --\nmeasure: well-led\nstatements:\n  - id: WL1\n    audience: ics\n    txt: \"typo\"\n"), root)
	cfg, _ := config.Load(root)
	_, errs := assess.Load(root, cfg, time.Time{})
	want := "content/self-assessment/well-led.yaml:5:5: unknown field txt: a file has measure, sources and statements; a statement has id, audience, text, topics and sources: check the YAML (see content/self-assessment/well-led.yaml for the shape)"
	if len(errs) != 1 || errs[0].Error() != want {
		t.Errorf("errors %q\nwant %q", errs, want)
	}
}

// The form page hands its script the audience's statements, grouped by
// measure, and each measure's candidate items in the order that breaks
// ties: those of the measure first, then by title; standards never.
func TestFormCarriesTheDataForTheBrowser(t *testing.T) {
	srv := serve(t, site(t, "recommend.txtar"))
	_, _, body := get(t, srv, "/self-assessment/organisation/")
	raw := doc(t, body).Find(`script#kb-assess-data[type="application/json"]`).Text()
	var data struct {
		Audience string
		Measures []struct {
			Slug       string
			Statements []struct{ ID string }
			Candidates []struct {
				Item    int
				Measure bool
			}
		}
		Items []struct{ Title, Type string }
	}
	if err := json.Unmarshal([]byte(raw), &data); err != nil {
		t.Fatalf("the form's data is not JSON: %v\n%s", err, raw)
	}
	var got []string
	for _, m := range data.Measures {
		var ids, cands []string
		for _, st := range m.Statements {
			ids = append(ids, st.ID)
		}
		for _, c := range m.Candidates {
			cands = append(cands, fmt.Sprintf("%s (%s, measure %v)", data.Items[c.Item].Title, data.Items[c.Item].Type, c.Measure))
		}
		got = append(got, m.Slug+": "+strings.Join(ids, " ")+": "+strings.Join(cands, "; "))
	}
	want := []string{
		"safe-practice: SP1 SP2: A cyber exercise (Case study, measure true); Cyber playbook (Guide, measure true); Hazard log (Template, measure true); Cyber security for your EPR (Guide, measure false)",
		"improve-care: IC1: Cyber security for your EPR (Guide, measure true); EPR plan (Template, measure true)",
	}
	if data.Audience != "organisation" || !slices.Equal(got, want) {
		t.Errorf("data for %q:\n%s\nwant:\n%s", data.Audience, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if strings.Contains(raw, "</") {
		t.Error("the data could close its script element")
	}
}

// The results name the measures furthest from good: those answered with the
// lowest average, all of them when they tie, none when all are in place.
func TestResultsNameTheWeakestMeasures(t *testing.T) {
	srv := serve(t, site(t, "recommend.txtar"))
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"audience=organisation&SP1=0&SP2=3&IC1=3", []string{"#result-safe-practice"}},
		{"audience=organisation&SP1=1&SP2=1&IC1=1", []string{"#result-safe-practice", "#result-improve-care"}},
		{"audience=organisation&SP1=3&SP2=3&IC1=3", nil},
		{"audience=organisation&SP1=dk", nil},
		{"audience=organisation&IC1=2", []string{"#result-improve-care"}},
	} {
		_, _, body := get(t, srv, assess.ResultsPath+"?"+tc.query)
		p := doc(t, body).Find(".kb-assess__weakest")
		if got := sitetest.Attrs(p.Find("a"), "href"); !slices.Equal(got, tc.want) {
			t.Errorf("%s: furthest from good %q, want %q", tc.query, got, tc.want)
		}
		if len(tc.want) > 0 && !strings.HasPrefix(strings.TrimSpace(p.Text()), "Furthest from good: ") {
			t.Errorf("%s: the sentence reads %q", tc.query, p.Text())
		}
	}
}
