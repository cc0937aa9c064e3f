package site

// List is some of a site's pages in order, held by their numbers in the
// site's one array of pages rather than by pointers. The site keeps every
// list (each term's and section's items) until it is replaced, and the
// collector follows every pointer the site keeps on every cycle of a build's
// render: at 10,000 pages the terms' lists and the related items (numbers
// too, see Page.Related) were 13 of the 62 pointer words it followed for
// each page. Numbers it never reads.
//
// The zero List belongs to no site and holds nothing.
type List struct {
	site *Site
	nums []int32
}

// Len is the number of pages in the list.
func (l List) Len() int { return len(l.nums) }

// At returns the list's i-th page.
func (l List) At(i int) *Page { return &l.site.pages[l.nums[i]] }

// Slice returns the pages from i up to j, sharing l's numbers, with no room
// after them to append into.
func (l List) Slice(i, j int) List { return List{l.site, l.nums[i:j:j]} }

// AppendTo appends the pages to buf and returns it.
func (l List) AppendTo(buf []*Page) []*Page {
	for _, n := range l.nums {
		buf = append(buf, &l.site.pages[n])
	}
	return buf
}

// Pages returns the pages in a new slice (nil when there are none), as the
// theme ranges over them: {{range .Term.Pages}}.
func (l List) Pages() []*Page {
	if len(l.nums) == 0 {
		return nil
	}
	return l.AppendTo(make([]*Page, 0, len(l.nums)))
}

// WithFirst returns a new list of p and then l's pages.
func (l List) WithFirst(p *Page) List {
	nums := make([]int32, 0, len(l.nums)+1)
	return List{p.site, append(append(nums, p.num), l.nums...)}
}

// ListOf returns a list of the given pages of s, in that order: empty, but
// of s, when there are none.
func (s *Site) ListOf(pages ...*Page) List {
	nums := make([]int32, len(pages))
	for i, p := range pages {
		nums[i] = p.num
	}
	return List{s, nums}
}

// Site is the site the list's pages belong to: nil for the zero List.
func (l List) Site() *Site { return l.site }

// add appends p, a page of the list's site.
func (l *List) add(p *Page) { l.nums = append(l.nums, p.num) }

// page returns the site's page numbered n.
func (s *Site) page(n int32) *Page { return &s.pages[n] }

// Related returns the items the page shows as related, most related first,
// in a new slice (nil when there are none).
func (p *Page) Related() []*Page {
	if p.nrelated == 0 {
		return nil
	}
	out := make([]*Page, p.nrelated)
	for k := range out {
		out[k] = p.site.page(p.related[k])
	}
	return out
}

// setRelated makes the items numbered best (in items) p's related items.
func (p *Page) setRelated(best []int32, items []*Page) {
	p.nrelated = uint8(len(best))
	for k, j := range best {
		p.related[k] = items[j].num
	}
}

// MeasureTerms returns the measures of an item, in a new slice (nil when it
// has none).
func (p *Page) MeasureTerms() []*Term { return p.site.termsOf(p.measureNums()) }

// TopicTerms returns the topics of an item, in a new slice (nil when it has
// none).
func (p *Page) TopicTerms() []*Term { return p.site.termsOf(p.topicNums()) }

// OrgTerms returns the organisations of an item, in a new slice (nil when it
// has none).
func (p *Page) OrgTerms() []*Term { return p.site.termsOf(p.orgNums()) }

// The runs of an item's term numbers in site.termNums, in order: each
// starts at Page.termAt[run] and ends where the next starts.
const (
	measureRun = iota
	topicRun
	orgRun
	runsEnd
)

func (p *Page) measureNums() []int32 { return p.termNums(measureRun, topicRun) }
func (p *Page) topicNums() []int32   { return p.termNums(topicRun, orgRun) }
func (p *Page) orgNums() []int32     { return p.termNums(orgRun, runsEnd) }

// sharedNums are its topics and organisations: the terms related items
// are found through.
func (p *Page) sharedNums() []int32 { return p.termNums(topicRun, runsEnd) }

// eachSharing calls f with every item sharing a topic or organisation with
// p (p among them), once for each term they share: the items whose related
// items p may be among.
func (p *Page) eachSharing(f func(*Page)) {
	for _, n := range p.sharedNums() {
		t := p.site.terms[n]
		for _, m := range t.nums {
			f(p.site.page(m))
		}
	}
}

// allTermNums are its measures, topics and organisations.
func (p *Page) allTermNums() []int32 { return p.termNums(measureRun, runsEnd) }

// termNums returns the numbers of p's terms from run a up to run b, a part
// of the site's.
func (p *Page) termNums(a, b int) []int32 {
	if p.site == nil {
		return nil
	}
	return p.site.termNums[p.termAt[a]:p.termAt[b]]
}

// termsOf returns the site's terms numbered nums.
func (s *Site) termsOf(nums []int32) []*Term {
	if len(nums) == 0 {
		return nil
	}
	out := make([]*Term, len(nums))
	for i, n := range nums {
		out[i] = s.terms[n]
	}
	return out
}
