// Package assess is the "Where are we?" self-assessment: statements of what
// good looks like for each WGLL measure (content/self-assessment/), a reader's
// answers to them, where each measure stands, and the items of the knowledge
// base that would help most. Nothing is stored: answers come in a request and
// leave in its response.
package assess

import (
	"bytes"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/nhsx/kb/internal/diag"
	"github.com/nhsx/kb/internal/wgll"
)

// Folder is where the statements live, relative to the source folder; the
// content walker leaves it to this package.
const Folder = wgll.AssessmentFolder

// Audience is who a statement is about: an integrated care system as a
// whole, or one organisation.
type Audience struct {
	Slug, Name, Level string // Level is the workbook's "Level" column
}

// Audiences lists the two audiences in the order the site offers them.
var Audiences = []Audience{
	{"organisation", "An individual organisation", "Organisation"},
	{"ics", "An integrated care system", "ICS"},
}

// AudienceOf returns the audience of a slug.
func AudienceOf(slug string) (Audience, bool) {
	for _, a := range Audiences {
		if a.Slug == slug {
			return a, true
		}
	}
	return Audience{}, false
}

// Reference is a public document a statement follows.
type Reference struct {
	Key, Title, URL, Publisher string
	Published, Accessed        string // YYYY-MM-DD; Published may be empty
}

// Statement is one thing that is true where good has been reached.
type Statement struct {
	ID       string
	Measure  string // slug
	Audience string // slug
	Text     string
	Topics   []string
	Sources  []*Reference
}

// Set is every statement, in measure order and file order within a measure.
type Set struct {
	Statements []*Statement
	// TopicNames names the statements' topics, for the results page.
	TopicNames map[string]string
	byID       map[string]*Statement
}

// Lookup returns a statement by id.
func (s *Set) Lookup(id string) *Statement { return s.byID[id] }

// For lists the statements of one audience, in order.
func (s *Set) For(audience string) []*Statement {
	var out []*Statement
	for _, st := range s.Statements {
		if st.Audience == audience {
			out = append(out, st)
		}
	}
	return out
}

// Topics says which topic slugs exist, the nearest one to an unknown slug,
// and their names; config.Config satisfies it.
type Topics interface {
	TopicKnown(slug string) (bool, string)
	TopicName(slug string) string
}

type rawSource struct {
	Key       string `yaml:"key"`
	Title     string `yaml:"title"`
	URL       string `yaml:"url"`
	Publisher string `yaml:"publisher"`
	Published string `yaml:"published"`
	Accessed  string `yaml:"accessed"`
	node      *yaml.Node
}

type rawStatement struct {
	ID       yaml.Node   `yaml:"id"`
	Audience yaml.Node   `yaml:"audience"`
	Text     yaml.Node   `yaml:"text"`
	Topics   []yaml.Node `yaml:"topics"`
	Sources  []yaml.Node `yaml:"sources"`
}

type rawFile struct {
	Measure    yaml.Node      `yaml:"measure"`
	Sources    []yaml.Node    `yaml:"sources"`
	Statements []rawStatement `yaml:"statements"`
}

var idPattern = regexp.MustCompile(`^[A-Z]{2}[0-9]{1,2}$`)

// Load reads every content/self-assessment/*.yaml under root, one file per
// measure. A site without the folder has no self-assessment: Load returns
// nil and no error. Every problem is reported at its path:line:col.
func Load(root string, topics Topics, now time.Time) (*Set, diag.List) {
	if now.IsZero() {
		now = time.Now()
	}
	dir := filepath.Join(root, filepath.FromSlash(Folder))
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil
	}
	var errs diag.List
	set := &Set{byID: map[string]*Statement{}, TopicNames: map[string]string{}}
	byMeasure := map[string][]*Statement{}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~") {
			continue
		}
		rel := Folder + "/" + name
		if filepath.Ext(name) != ".yaml" {
			errs.Addf(diag.Pos{File: rel, Line: 1, Col: 1}, "only .yaml files of statements belong in %s: one file a measure, named after it (well-led.yaml)", Folder)
			continue
		}
		src, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			errs.Addf(diag.Pos{File: rel, Line: 1, Col: 1}, "cannot read: %v", err)
			continue
		}
		m, sts := loadFile(rel, src, topics, now, set, &errs)
		if m != "" {
			byMeasure[m] = append(byMeasure[m], sts...)
		}
	}
	for _, m := range wgll.Slugs() {
		set.Statements = append(set.Statements, byMeasure[m]...)
	}
	return set, errs
}

func loadFile(rel string, src []byte, topics Topics, now time.Time, set *Set, errs *diag.List) (string, []*Statement) {
	var raw rawFile
	dec := yaml.NewDecoder(bytes.NewReader(src))
	dec.KnownFields(true)
	if err := dec.Decode(&raw); err != nil {
		*errs = append(*errs, yamlError(rel, src, err))
		return "", nil
	}
	at := func(n *yaml.Node) diag.Pos {
		if n == nil || n.Line == 0 {
			return diag.Pos{File: rel, Line: 1, Col: 1}
		}
		return diag.Pos{File: rel, Line: n.Line, Col: n.Column}
	}
	measure := raw.Measure.Value
	if _, ok := wgll.Lookup(measure); !ok {
		if measure == "" {
			errs.Addf(at(nil), "missing measure: add measure: followed by one of %s", strings.Join(wgll.Slugs(), ", "))
		} else {
			errs.Addf(at(&raw.Measure), "%s", wgll.Unknown(measure))
		}
		measure = ""
	} else if want := measure + ".yaml"; filepath.Base(rel) != want {
		errs.Addf(at(&raw.Measure), "the statements of %s belong in %s/%s: rename the file", measure, Folder, want)
	}
	sources := map[string]*Reference{}
	for i := range raw.Sources {
		n := &raw.Sources[i]
		var rs rawSource
		if err := n.Decode(&rs); err != nil {
			*errs = append(*errs, yamlError(rel, src, err))
			continue
		}
		s := checkSource(rs, n, at, now, errs)
		if s.Key != "" {
			sources[s.Key] = s
		}
	}
	if len(raw.Statements) == 0 {
		errs.Addf(at(nil), "no statements: add statements: with a list of {id, audience, text, topics, sources}")
	}
	var out []*Statement
	for i := range raw.Statements {
		rs := &raw.Statements[i]
		st := &Statement{ID: rs.ID.Value, Measure: measure, Audience: rs.Audience.Value, Text: strings.TrimSpace(rs.Text.Value)}
		switch {
		case !idPattern.MatchString(st.ID):
			errs.Addf(at(&rs.ID), "statement id %q must be two capital letters and a number (WL1)", st.ID)
		case set.byID[st.ID] != nil:
			errs.Addf(at(&rs.ID), "statement id %s is used twice: every statement needs its own id", st.ID)
		}
		if _, ok := AudienceOf(st.Audience); !ok {
			errs.Addf(at(&rs.Audience), "unknown audience %q: use organisation or ics", st.Audience)
		}
		if st.Text == "" {
			errs.Addf(at(&rs.ID), "statement %s has no text: add text:", st.ID)
		}
		if len(rs.Topics) == 0 {
			errs.Addf(at(&rs.ID), "statement %s has no topics: add topics: from topics.yaml", st.ID)
		}
		for j := range rs.Topics {
			t := rs.Topics[j].Value
			if ok, near := topics.TopicKnown(t); !ok {
				msg := fmt.Sprintf("unknown topic %q: use a slug from topics.yaml", t)
				if near != "" {
					msg += fmt.Sprintf(" (did you mean %q?)", near)
				}
				errs.Addf(at(&rs.Topics[j]), "%s", msg)
				continue
			}
			st.Topics = append(st.Topics, t)
			set.TopicNames[t] = topics.TopicName(t)
		}
		if len(rs.Sources) == 0 {
			errs.Addf(at(&rs.ID), "statement %s cites no source: add sources: with keys of the file's sources", st.ID)
		}
		for j := range rs.Sources {
			s := sources[rs.Sources[j].Value]
			if s == nil {
				errs.Addf(at(&rs.Sources[j]), "unknown source %q: use the key of one of this file's sources", rs.Sources[j].Value)
				continue
			}
			st.Sources = append(st.Sources, s)
		}
		if st.ID != "" && set.byID[st.ID] == nil {
			set.byID[st.ID] = st
		}
		out = append(out, st)
	}
	return measure, out
}

func checkSource(rs rawSource, n *yaml.Node, at func(*yaml.Node) diag.Pos, now time.Time, errs *diag.List) *Reference {
	s := &Reference{Key: rs.Key, Title: rs.Title, URL: rs.URL, Publisher: rs.Publisher, Published: rs.Published, Accessed: rs.Accessed}
	pos := at(n)
	for _, f := range []struct{ name, v string }{{"key", s.Key}, {"title", s.Title}, {"url", s.URL}, {"publisher", s.Publisher}, {"accessed", s.Accessed}} {
		if f.v == "" {
			errs.Addf(pos, "source is missing %s: every source needs key, title, url (https), publisher and accessed", f.name)
		}
	}
	if u, err := url.Parse(s.URL); s.URL != "" && (err != nil || u.Scheme != "https" || u.Host == "") {
		errs.Addf(pos, "source url %q must be an https:// address", s.URL)
	}
	for _, d := range []struct{ name, v string }{{"published", s.Published}, {"accessed", s.Accessed}} {
		if d.v == "" {
			continue
		}
		t, err := time.Parse(time.DateOnly, d.v)
		if err != nil {
			errs.Addf(pos, "source %s %q is not a date: write it as YYYY-MM-DD", d.name, d.v)
		} else if d.name == "accessed" && !now.IsZero() && t.After(now) {
			errs.Addf(pos, "source accessed date %s is in the future: give the day you last read it", d.v)
		}
	}
	return s
}

var (
	yamlLine     = regexp.MustCompile(`line (\d+)`)
	unknownField = regexp.MustCompile(`^field (\S+) not found in type`)
)

// yamlError places a YAML decoding error at the line it names.
func yamlError(rel string, src []byte, err error) diag.Diagnostic {
	msg := err.Error()
	line := 1
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	msg = yamlLine.ReplaceAllString(msg, "")
	msg = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(strings.TrimPrefix(msg, "unmarshal errors:")), ":"))
	col := 1
	if m := unknownField.FindStringSubmatch(msg); m != nil {
		msg = "unknown field " + m[1] + ": a file has measure, sources and statements; a statement has id, audience, text, topics and sources"
		if lines := strings.Split(string(src), "\n"); line <= len(lines) {
			if i := strings.Index(lines[line-1], m[1]+":"); i >= 0 {
				col = i + 1
			}
		}
	}
	return diag.Diagnostic{Pos: diag.Pos{File: rel, Line: line, Col: col}, Msg: msg + ": check the YAML (see " + Folder + "/well-led.yaml for the shape)"}
}

// Measures returns the measure slugs that have statements for an audience.
func (s *Set) Measures(audience string) []string {
	var out []string
	for _, st := range s.For(audience) {
		if !slices.Contains(out, st.Measure) {
			out = append(out, st.Measure)
		}
	}
	return out
}

// TopicName is a topic's name as the site shows it; the slug for a topic no
// statement names.
func (s *Set) TopicName(slug string) string {
	if n := s.TopicNames[slug]; n != "" {
		return n
	}
	return slug
}
