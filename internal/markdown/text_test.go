package markdown

import "testing"

// TestSearchTextKeepsBlocksAndMovesNavigation: every heading, list item and
// table cell ends its line, and contents lists, lists and paragraphs made
// only of links, and the headings over them, come after the prose.
func TestSearchTextKeepsBlocksAndMovesNavigation(t *testing.T) {
	src := "---\ntitle: T\n---\n" +
		"- [Overview](#overview)\n- [Risks](#risks)\n  - [Cyber](#cyber)\n\n" +
		"## Overview\n\nAn ICS population health platform. It joins records.\n\n" +
		"- Integrating electronic patient records\n- Network, infrastructure\n\n" +
		"| Step | Owner |\n| --- | --- |\n| Plan | CIO |\n\n" +
		"### Related frameworks for specialists\n\nHEE commissioned a framework.\n\n" +
		"## Related pages\n\n- [Procuring a patient portal](../guides/p.md)\n- [DTAC](d.md), [DSPT](s.md)\n\n" +
		"[Download the template](t.docx)\n\n" +
		"## Where this is used\n\nThese pages rely on it:\n\n- [A guide](a.md)\n"
	text, prose := New().Parse([]byte(src)).SearchText()
	wantProse := "Overview\nAn ICS population health platform. It joins records.\n" +
		"Integrating electronic patient records\nNetwork, infrastructure\n" +
		"Step\nOwner\nPlan\nCIO\n" +
		"Related frameworks for specialists\nHEE commissioned a framework.\n" +
		"Where this is used\nThese pages rely on it:\n"
	wantNav := "Overview\nRisks\nCyber\nRelated pages\nProcuring a patient portal\nDTAC, DSPT\nDownload the template\nA guide\n"
	if text[:prose] != wantProse {
		t.Errorf("prose = %q\nwant    %q", text[:prose], wantProse)
	}
	if text[prose:] != wantNav {
		t.Errorf("navigation = %q\nwant         %q", text[prose:], wantNav)
	}
}
