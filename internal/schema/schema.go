// Package schema writes JSON Schemas (draft-07, the draft the VS Code YAML
// extension handles best) for a knowledge base's page front matter, site.yaml
// and topics.yaml, from the same facts kb checks against: the seven
// measures, the item types and the topics listed in topics.yaml. Editors use
// them to underline a wrong value as it is typed; kb check stays the judge.
package schema

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/nhsx/kb/internal/config"
	"github.com/nhsx/kb/internal/content"
	"github.com/nhsx/kb/internal/wgll"
)

// Draft is the JSON Schema dialect written.
const Draft = "http://json-schema.org/draft-07/schema#"

// DefaultDir is where kb schema writes, inside the source folder: generated,
// like the search index, so it is never committed and never stale.
const DefaultDir = ".kb/schema"

// Files are the schemas written, by file name.
const (
	PageFile   = "page.schema.json"
	SiteFile   = "site.schema.json"
	TopicsFile = "topics.schema.json"
)

type obj = map[string]any

var (
	datePattern = `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`
	slugPattern = `^[a-z0-9]+(-[a-z0-9]+)*$`
)

func date(what string) obj {
	return obj{"type": "string", "format": "date", "pattern": datePattern,
		"description": what + ", written YYYY-MM-DD, such as 2026-03-31."}
}

func text(what string) obj { return obj{"type": "string", "minLength": 1, "description": what} }

// Page is the schema of a page's front matter. topics are the slugs from
// topics.yaml; with none (no topics.yaml) any slug is accepted.
func Page(topics []config.Topic) obj {
	topic := obj{"type": "string", "pattern": slugPattern}
	if len(topics) > 0 {
		slugs := make([]string, len(topics))
		for i, t := range topics {
			slugs[i] = t.Slug
		}
		topic = obj{"enum": slugs}
	}
	var measures []string
	for _, m := range wgll.All() {
		measures = append(measures, fmt.Sprintf("%s (%s)", m.Slug, m.Name))
	}
	return obj{
		"$schema":              Draft,
		"title":                "kb page front matter",
		"description":          "The fields between the --- lines at the top of a page in content/. kb check has the last word.",
		"type":                 "object",
		"additionalProperties": false,
		"required":             []string{"title", "summary"},
		"properties": obj{
			"title":   text("The page's title, shown as its heading."),
			"summary": text("One or two plain sentences saying what the page is for and who it helps."),
			"type": obj{"enum": content.Types(),
				"description": "The item's type; it must match its section folder, so it may be left out."},
			"measures": obj{"type": "array", "uniqueItems": true, "items": obj{"enum": wgll.Slugs()},
				"description": "The What Good Looks Like success measures the page helps with (required on items): " + strings.Join(measures, ", ") + "."},
			"topics": obj{"type": "array", "uniqueItems": true, "items": topic,
				"description": "Topic slugs from topics.yaml."},
			"organisations": obj{"type": "array", "items": text("An organisation's name."),
				"description": "The organisations the page is about, by name."},
			"programme":  text("The national programme the page belongs to, if any."),
			"date":       date("When the page was first published"),
			"reviewed":   date("When the page was last checked against its sources"),
			"review_due": date("When the page must next be reviewed (after reviewed)"),
			"draft":      obj{"type": "boolean", "description": "true keeps the page out of kb build; kb serve shows it marked as a draft."},
			"aliases": obj{"type": "array", "items": obj{"type": "string", "pattern": `^/[^?#\\]*$`, "not": obj{"pattern": `\.\.|//`}},
				"description": "Old URLs of the page, such as /standards/dtac/, which redirect to it (kb mv adds them)."},
			"weight": obj{"type": "integer", "description": "Orders the page in its lists: lower comes first."},
			"owner":  text("The team or role that reviews the page."),
			"sources": obj{"type": "array", "description": "The public documents the page's facts come from.",
				"items": obj{
					"type": "object", "additionalProperties": false,
					"required": []string{"title", "url"},
					"properties": obj{
						"title":     text("The document's title."),
						"url":       obj{"type": "string", "pattern": "^https://", "description": "Its web address, starting https://."},
						"publisher": text("Who published it."),
						"published": date("When it was published"),
						"accessed":  date("When a contributor last read it"),
					},
				}},
			"downloads": obj{"type": "array", "description": "The files of a page bundle to offer for download, each beside index.md.",
				"items": obj{
					"type": "object", "additionalProperties": false,
					"required": []string{"file", "title"},
					"properties": obj{
						"file":        obj{"type": "string", "pattern": `^[^/\\]+$`, "description": "The file's name, in the bundle's folder."},
						"title":       text("What the file is, as its link text."),
						"description": text("A sentence on what is in it."),
					},
				}},
		},
	}
}

// Site is the schema of site.yaml.
func Site() obj {
	return obj{
		"$schema": Draft, "title": "kb site.yaml", "type": "object", "additionalProperties": false,
		"properties": obj{
			"title":       text("The site's name, in every page's header and title."),
			"description": text("One sentence about the site, for search engines and the feed."),
			"base_url":    obj{"type": "string", "pattern": "^https?://", "description": "The site's public address; kb build --base-url or Netlify's URL overrides it."},
			"repository":  obj{"type": "string", "pattern": "^https://", "description": "The source repository's web address, for \"edit this page\" links."},
			"branch":      text("The repository's branch for edit links (default main)."),
			"page_size":   obj{"type": "integer", "minimum": 1, "maximum": 200, "description": "Items on one page of a section list (default 20)."},
			"publisher": obj{"type": "object", "additionalProperties": false, "required": []string{"name"},
				"description": "Who publishes the site, named in the footer and the feed.",
				"properties": obj{
					"name": text("The publisher's name."),
					"url":  obj{"type": "string", "pattern": "^https://", "description": "The publisher's web address."},
				}},
			"nhs_identity": obj{"type": "boolean", "description": "Show the NHS logo: only for a site an NHS organisation publishes."},
			"require_sources": obj{"type": "array", "uniqueItems": true, "description": "Item types that must cite at least one source.",
				"items": obj{"enum": content.Types()}},
		},
	}
}

// Topics is the schema of topics.yaml.
func Topics() obj {
	return obj{
		"$schema": Draft, "title": "kb topics.yaml", "description": "The controlled list of topics pages may use.",
		"type": "array",
		"items": obj{
			"type": "object", "additionalProperties": false, "required": []string{"slug", "name"},
			"properties": obj{
				"slug":        obj{"type": "string", "pattern": slugPattern, "description": "Lower case with hyphens; never rename one that pages use."},
				"name":        text("The topic's name as shown."),
				"description": text("One sentence on what the topic covers."),
			},
		},
	}
}

// Write writes the three schemas into dir, returning the files written.
func Write(dir string, cfg *config.Config) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var written []string
	for _, f := range []struct {
		name string
		s    obj
	}{{PageFile, Page(cfg.Topics)}, {SiteFile, Site()}, {TopicsFile, Topics()}} {
		name, s := f.name, f.s
		b, err := json.MarshalIndent(s, "", "  ")
		if err != nil {
			return nil, err
		}
		file := filepath.Join(dir, name)
		if err := os.WriteFile(file, append(b, '\n'), 0o644); err != nil {
			return nil, err
		}
		written = append(written, file)
	}
	return written, nil
}
