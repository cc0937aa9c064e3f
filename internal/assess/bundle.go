package assess

import (
	"encoding/json"
	"fmt"

	"github.com/nhsx/kb/internal/frame"
)

// bundled is a Source as kb build writes it for the search function, less
// the items, which the function lists from its index.
type bundled struct {
	BaseURL    string            `json:"baseURL"`
	Statements []*Statement      `json:"statements"`
	TopicNames map[string]string `json:"topicNames"`
	Frames     map[string]string `json:"frames"` // by FramePage.Key
}

// Encode writes src, but its items, for the search function to Decode.
func (src *Source) Encode() ([]byte, error) {
	b := bundled{BaseURL: src.BaseURL, Statements: src.Set.Statements, TopicNames: src.Set.TopicNames,
		Frames: map[string]string{}}
	for k, f := range src.Frames {
		b.Frames[k] = string(f.Bytes())
	}
	return json.Marshal(&b)
}

// Decode reads what Encode wrote.
func Decode(data []byte) (*Source, error) {
	var b bundled
	if err := json.Unmarshal(data, &b); err != nil {
		return nil, fmt.Errorf("the self-assessment's data cannot be read (%v): run make netlify again", err)
	}
	set := &Set{Statements: b.Statements, TopicNames: b.TopicNames, byID: map[string]*Statement{}}
	for _, st := range set.Statements {
		set.byID[st.ID] = st
	}
	src := &Source{Set: set, Frames: Frames{}, BaseURL: b.BaseURL}
	for _, p := range FramePages() {
		f, err := frame.Parse(p.Layout, []byte(b.Frames[p.Key()]))
		if err != nil {
			return nil, fmt.Errorf("the self-assessment's frame of %s: %w", p.Path, err)
		}
		src.Frames[p.Key()] = f
	}
	return src, nil
}
