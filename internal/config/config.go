// Package config reads the knowledge base's own settings: site.yaml (title,
// description, base URL, publisher, repository for edit links, which types
// must cite sources) and topics.yaml (the controlled list of topics).
package config

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v2"

	"github.com/nhsx/kb/internal/content"
	"github.com/nhsx/kb/internal/diag"
	"github.com/nhsx/kb/internal/wgll"
)

// Settings are the site-wide values from site.yaml.
type Settings struct {
	Title       string `yaml:"title"`
	Description string `yaml:"description"`
	BaseURL     string `yaml:"base_url"`
	// Repository is the web address of the source repository; with Branch it
	// makes each page's "edit this page" link.
	Repository string `yaml:"repository"`
	Branch     string `yaml:"branch"`
	// PageSize is how many items a section list shows on one page.
	PageSize int `yaml:"page_size"`
	// Publisher is who publishes the site, named in the footer and the feed,
	// so that readers know whose knowledge base they are relying on.
	Publisher Publisher `yaml:"publisher"`
	// NHSIdentity shows the NHS logo in the header. Only a site published by
	// the NHS may use it (NHS identity guidelines); without it the header
	// shows the title alone.
	NHSIdentity bool `yaml:"nhs_identity"`
	// RequireSources lists the item types that must cite at least one source.
	RequireSources []string `yaml:"require_sources"`
}

// Publisher is the organisation or group responsible for the site.
type Publisher struct {
	Name string `yaml:"name"`
	URL  string `yaml:"url"` // optional
}

// Topic is one entry of the controlled topic list.
type Topic struct {
	Slug        string `yaml:"slug"`
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
}

// Config is everything read from the settings files.
type Config struct {
	Settings
	// Topics is nil when the site has no topics.yaml: topics are then free.
	Topics     []Topic
	bySlug     map[string]int
	topicLines map[string]int
}

// TopicLine is the line of topics.yaml where a topic is listed.
func (c *Config) TopicLine(slug string) int {
	if n, ok := c.topicLines[slug]; ok {
		return n
	}
	return 1
}

// SettingsFile and TopicsFile are the names looked for in the source folder.
const (
	SettingsFile = "site.yaml"
	TopicsFile   = "topics.yaml"
)

// Load reads both files from root; either may be absent.
func Load(root string) (*Config, diag.List) {
	var errs diag.List
	c := &Config{Settings: Settings{Title: "Knowledge base", Branch: "main", PageSize: 20}}
	if src, err := os.ReadFile(filepath.Join(root, SettingsFile)); err == nil {
		if err := yaml.UnmarshalStrict(src, &c.Settings); err != nil {
			errs.Append(yamlDiags(SettingsFile, err))
		}
		c.checkBaseURL(src, &errs)
		if c.PageSize <= 0 || c.PageSize > 200 {
			pos := diag.Pos{File: SettingsFile, Line: lineOf(strings.Split(string(src), "\n"), "page_size:"), Col: 1}
			errs.Addf(pos, "page_size %d is out of range: give a number of items per list page between 1 and 200, such as page_size: 20", c.PageSize)
		}
		c.checkSettings(strings.Split(string(src), "\n"), &errs)
	}
	if src, err := os.ReadFile(filepath.Join(root, TopicsFile)); err == nil {
		c.loadTopics(src, &errs)
	}
	return c, errs
}

// checkSettings checks the values the decoder cannot: the publisher's
// address and the types named by require_sources.
func (c *Config) checkSettings(lines []string, errs *diag.List) {
	if u := c.Publisher.URL; u != "" {
		if p, err := url.Parse(u); err != nil || p.Scheme != "https" || p.Host == "" {
			errs.Addf(diag.Pos{File: SettingsFile, Line: lineOf(lines, u), Col: 1}, "publisher url %q must be a web address starting with https://, such as https://www.example.org", u)
		}
	}
	if c.Publisher.URL != "" && c.Publisher.Name == "" {
		errs.Addf(diag.Pos{File: SettingsFile, Line: lineOf(lines, "publisher:"), Col: 1}, "publisher has a url but no name: add name: with who publishes the site")
	}
	types := make([]string, len(content.Sections))
	for i, s := range content.Sections {
		types[i] = s.Type
	}
	for _, t := range c.RequireSources {
		if !slices.Contains(types, t) {
			errs.Addf(diag.Pos{File: SettingsFile, Line: lineOf(lines, "require_sources"), Col: 1}, "require_sources names an unknown type %q; valid types are %s", t, strings.Join(types, ", "))
		}
	}
}

// SourcesRequired reports whether items of type typ must cite a source.
func (c *Config) SourcesRequired(typ string) bool { return slices.Contains(c.RequireSources, typ) }

func (c *Config) loadTopics(src []byte, errs *diag.List) {
	c.Topics = []Topic{}
	if err := yaml.UnmarshalStrict(src, &c.Topics); err != nil {
		errs.Append(yamlDiags(TopicsFile, err))
		return
	}
	c.bySlug = map[string]int{}
	c.topicLines = map[string]int{}
	entries := entryLines(strings.Split(string(src), "\n"))
	for i, t := range c.Topics {
		pos := diag.Pos{File: TopicsFile, Line: 1, Col: 1}
		if i < len(entries) {
			pos.Line = entries[i]
		}
		c.topicLines[t.Slug] = pos.Line
		switch {
		case t.Slug == "" || t.Name == "":
			errs.Addf(pos, "topic %d needs both a slug and a name", i+1)
		case t.Slug != strings.ToLower(t.Slug) || strings.ContainsAny(t.Slug, " _/"):
			errs.Addf(pos, "topic slug %q must be lower case with hyphens, such as remote-monitoring", t.Slug)
		}
		if j, dup := c.bySlug[t.Slug]; dup {
			errs.Addf(pos, "topic %q is listed twice (entries %d and %d): keep one", t.Slug, j+1, i+1)
		}
		c.bySlug[t.Slug] = i
	}
}

// entryLines returns the line of each top-level list entry ("- slug: ...").
func entryLines(lines []string) []int {
	var at []int
	for i, l := range lines {
		if strings.HasPrefix(l, "-") {
			at = append(at, i+1)
		}
	}
	return at
}

func lineOf(lines []string, needle string) int {
	for i, l := range lines {
		if strings.Contains(l, needle) {
			return i + 1
		}
	}
	return 1
}

// TopicKnown reports whether slug is in the controlled list (always true when
// there is none) and the nearest listed slug when it is not.
func (c *Config) TopicKnown(slug string) (bool, string) {
	if c.Topics == nil {
		return true, ""
	}
	if _, ok := c.bySlug[slug]; ok {
		return true, ""
	}
	slugs := make([]string, len(c.Topics))
	for i, t := range c.Topics {
		slugs[i] = t.Slug
	}
	return false, wgll.Nearest(slug, slugs)
}

// Topic returns the listed topic for slug, or one named after the slug when the
// site keeps no list.
func (c *Config) Topic(slug string) Topic {
	if i, ok := c.bySlug[slug]; ok {
		return c.Topics[i]
	}
	name := strings.ReplaceAll(slug, "-", " ")
	if name != "" {
		name = strings.ToUpper(name[:1]) + name[1:]
	}
	return Topic{Slug: slug, Name: name}
}

// TopicName is the name of a topic, as Topic gives it.
func (c *Config) TopicName(slug string) string { return c.Topic(slug).Name }

var (
	yamlAt       = regexp.MustCompile(`^line (\d+): (.*)$`)
	unknownField = regexp.MustCompile(`^field (\S+) not found in type config\.(\w+)$`)
)

// yamlDiags turns a YAML decoder error into one positioned problem per line it
// names: a strict decode lists every unknown or mistyped field at once.
func yamlDiags(file string, err error) diag.List {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	parts := []string{msg}
	if rest, ok := strings.CutPrefix(msg, "unmarshal errors:\n"); ok {
		parts = strings.Split(rest, "\n")
	}
	var list diag.List
	for _, part := range parts {
		pos := diag.Pos{File: file, Line: 1, Col: 1}
		part = strings.TrimSpace(part)
		if m := yamlAt.FindStringSubmatch(part); m != nil {
			pos.Line, _ = strconv.Atoi(m[1])
			part = m[2]
		}
		list = append(list, diag.Diagnostic{Pos: pos, Msg: explain(file, part)})
	}
	return list
}

// explain rewords a decoder message in the file's own terms.
func explain(file, msg string) string {
	m := unknownField.FindStringSubmatch(msg)
	if m == nil {
		return file + " is not valid: " + msg + " (check indentation, and quote values that contain a colon)"
	}
	known := fieldsOf(Settings{})
	what := "setting"
	if m[2] == "Topic" {
		known, what = fieldsOf(Topic{}), "topic field"
	}
	out := fmt.Sprintf("unknown %s %q", what, m[1])
	if near := wgll.Nearest(m[1], known); near != "" {
		out += fmt.Sprintf(" (did you mean %q?)", near)
	}
	return out + "; the known ones are " + strings.Join(known, ", ")
}

// fieldsOf lists the YAML names of a struct's fields.
func fieldsOf(v any) []string {
	t := reflect.TypeOf(v)
	names := make([]string, 0, t.NumField())
	for i := range t.NumField() {
		names = append(names, t.Field(i).Tag.Get("yaml"))
	}
	return names
}
