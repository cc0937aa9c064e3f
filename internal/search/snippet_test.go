package search_test

import (
	"strings"
	"testing"

	"github.com/nhsx/kb/internal/sitetest"
)

// snippetSite has one page with a heading, lists, a table, a long paragraph
// and a "Related pages" list, and one whose only mention of its word is in
// links.
const snippetSite = `-- site.yaml --
title: Snippet test KB
description: Snippets.
base_url: https://kb.example.org/
-- content/_index.md --
---
title: Home
summary: Home.
---
Welcome.
-- content/guides/_index.md --
---
title: Guides
summary: Guides.
---
Guides.
-- content/guides/platform.md --
---
title: Joining up care
type: guide
summary: How systems join up.
date: 2026-03-01
measures: [smart-foundations]
---
- [Overview](#overview)
- [Related pages](#related-pages)

## Blueprints

- ICS population health management data platform
- Integrating electronic patient records across trusts

## Overview

Network, infrastructure and hosting come first. A trust that shares a data platform across its sites needs one contract for hosting, one for support and one for the network between them, and every one of them has to say who answers when the platform is down at night, who pays for the links, and how long a repair may take before the trust calls in the penalty clauses it agreed. Only then does integration start.

| Item | Cost |
| --- | --- |
| Wifi survey | 12,000 |

## Related pages

- [Procuring a population health platform](../guides/other.md)
- [Another platform guide](../guides/other.md)
-- content/guides/other.md --
---
title: Other
type: guide
summary: Something else entirely.
date: 2026-03-02
measures: [smart-foundations]
---
Nothing here but [the wifi survey guide](platform.md).

## Related

- [Penalty clauses](platform.md)
`

func TestSnippetsFromSentences(t *testing.T) {
	s := buildAt(t, sitetest.Write(t, []byte(snippetSite)))
	for _, c := range []struct{ q, url, want string }{
		// A list item is a sentence of its own: no heading or next item runs in.
		{"population", "/guides/platform/", "ICS <mark>population</mark> health management data platform"},
		// A table cell ends too.
		{"wifi", "/guides/platform/", "<mark>Wifi</mark> survey"},
		// A long sentence is cut at words, with an ellipsis where it is cut.
		{"penalty", "/guides/platform/", "…them, and every one of them has to say who answers when the platform is down at night, who pays for the links, and how long a repair may take before the trust calls in the <mark>penalty</mark> clauses it agreed."},
		{"hosting", "/guides/platform/", "A trust that shares a data platform across its sites needs one contract for <mark>hosting</mark>, one for support and one for the network between them, and every one of them has to say who answers when the…"},
		// Words found only in links (the "Related" list, a link's text) are
		// not shown: the summary stands in.
		{"penalty", "/guides/other/", "Something else entirely."},
		{"procuring", "/guides/platform/", "How systems join up."},
	} {
		res := s.API(t, "q="+c.q)
		found := false
		for _, h := range res.Results {
			if h.URL != c.url {
				continue
			}
			found = true
			if h.Snippet != c.want {
				t.Errorf("%s: snippet of %s\n got %q\nwant %q", c.q, c.url, h.Snippet, c.want)
			}
			if strings.Contains(h.Snippet, "\n") {
				t.Errorf("%s: snippet %q runs across blocks", c.q, h.Snippet)
			}
		}
		if !found {
			t.Errorf("%s: %s not found in %v", c.q, c.url, urls(res))
		}
	}
}
