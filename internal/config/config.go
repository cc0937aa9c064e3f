// Package config reads the knowledge base's own settings: site.yaml (title,
// description, base URL, repository for edit links) and topics.yaml (the
// controlled list of topics).
package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v2"

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
	Topics []Topic
	bySlug map[string]int
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
			errs.Append(diag.List{yamlDiag(SettingsFile, err)})
		}
	}
	if c.PageSize <= 0 || c.PageSize > 200 {
		errs.Addf(diag.Pos{File: SettingsFile}, "page_size must be between 1 and 200")
	}
	if src, err := os.ReadFile(filepath.Join(root, TopicsFile)); err == nil {
		c.loadTopics(src, &errs)
	}
	return c, errs
}

func (c *Config) loadTopics(src []byte, errs *diag.List) {
	c.Topics = []Topic{}
	if err := yaml.UnmarshalStrict(src, &c.Topics); err != nil {
		errs.Append(diag.List{yamlDiag(TopicsFile, err)})
		return
	}
	c.bySlug = map[string]int{}
	lines := strings.Split(string(src), "\n")
	for i, t := range c.Topics {
		pos := diag.Pos{File: TopicsFile, Line: lineOf(lines, "slug: "+t.Slug), Col: 3}
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

func yamlDiag(file string, err error) diag.Diagnostic {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	pos := diag.Pos{File: file, Line: 1, Col: 1}
	var n int
	if _, e := fmt.Sscanf(msg, "line %d:", &n); e == nil {
		pos.Line = n
		msg = msg[strings.Index(msg, ":")+2:]
	} else if _, e := fmt.Sscanf(strings.TrimPrefix(msg, "unmarshal errors:\n  "), "line %d:", &n); e == nil {
		pos.Line = n
		msg = strings.TrimSpace(msg[strings.Index(msg, "line"):])
		msg = msg[strings.Index(msg, ":")+2:]
	}
	return diag.Diagnostic{Pos: pos, Msg: "not valid settings: " + msg}
}
