package move

import "testing"

func TestAddAliasEditsOnlyWhatItMust(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"none", "---\ntitle: A # t\n---\nBody\n", "---\ntitle: A # t\naliases: [/old/]\n---\nBody\n"},
		{"empty flow", "---\naliases: [] # kept\n---\n", "---\naliases: [/old/] # kept\n---\n"},
		{"flow", "---\naliases: [/a/, \"/b/\"]\ntitle: A\n---\n", "---\naliases: [/a/, \"/b/\", /old/]\ntitle: A\n---\n"},
		{"block", "---\naliases:\n    - /a/ # first\n\n    - /b/\ntitle: A\n---\n", "---\naliases:\n    - /a/ # first\n\n    - /b/\n    - /old/\ntitle: A\n---\n"},
		{"block at end", "---\ntitle: A\naliases:\n- /a/\n---\n", "---\ntitle: A\naliases:\n- /a/\n- /old/\n---\n"},
		{"empty block", "---\naliases:\ntitle: A\n---\n", "---\naliases:\n  - /old/\ntitle: A\n---\n"},
		{"text", "---\naliases: /a/ # one\n---\n", "---\naliases: [/a/, /old/] # one\n---\n"},
		{"crlf", "---\r\ntitle: A\r\n---\r\nBody\r\n", "---\r\ntitle: A\r\naliases: [/old/]\r\n---\r\nBody\r\n"},
		{"crlf block", "---\r\naliases:\r\n  - /a/\r\n---\r\n", "---\r\naliases:\r\n  - /a/\r\n  - /old/\r\n---\r\n"},
		// Moving a page back to a URL it once had drops that alias.
		{"back flow", "---\naliases: [/new/, /a/]\n---\n", "---\naliases: [/a/, /old/]\n---\n"},
		{"back block", "---\naliases:\n  - /new/\n  - /a/\n---\n", "---\naliases:\n  - /a/\n  - /old/\n---\n"},
		{"back text", "---\naliases: /new/\n---\n", "---\naliases: [/old/]\n---\n"},
	} {
		got, err := addAlias([]byte(c.in), "/old/", "/new/")
		if err != nil || string(got) != c.want {
			t.Errorf("%s: got %q (%v)\nwant %q", c.name, got, err, c.want)
		}
	}
	for _, in := range []string{"no front matter\n", "---\ntitle: A\n", "---\naliases: [/a/,\n  /b/]\n---\n"} {
		if _, err := addAlias([]byte(in), "/old/", "/new/"); err == nil {
			t.Errorf("%q: want an error", in)
		}
	}
}

func TestRelative(t *testing.T) {
	for _, c := range []struct{ dir, target, want string }{
		{"content/guides", "content/standards/a.md", "../standards/a.md"},
		{"content/guides/x", "content/standards/a.md", "../../standards/a.md"},
		{"content", "content/standards/a.md", "standards/a.md"},
		{"content/standards", "content/standards/a.md", "a.md"},
		{"content/standards/b", "content/standards/b/f.csv", "f.csv"},
		{"content/standards", "content/standards", "../standards"},
	} {
		if got := relative(c.dir, c.target); got != c.want {
			t.Errorf("relative(%s, %s) = %s, want %s", c.dir, c.target, got, c.want)
		}
	}
}
