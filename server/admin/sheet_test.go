package admin

import (
	"regexp"
	"strings"
	"testing"
)

func TestThePreviewsReadTheSheetAsTheAppsDo(t *testing.T) {
	md := "# Titolo\n**Cosa portare / What to bring**\n- documento *valido*\n* codice `fiscale`\n1. primo passo\nriga uno\nriga due\n\n[modulo](http://x.it) <b>non html</b>"
	kiosk := string(KioskHTML(md))
	for _, want := range []string{
		"<h3><strong>Titolo</strong></h3>",
		"<p><strong>Cosa portare / What to bring</strong></p>",
		`<p class="bullet">documento *valido*</p>`, // the kiosk shows single asterisks as they are
		`<p class="bullet">codice fiscale</p>`,
		"<p>1. primo passo</p>",
		"<p>riga uno riga due</p>", // joined, as the kiosk joins a paragraph
		"<p>modulo &lt;b&gt;non html&lt;/b&gt;</p>",
	} {
		if !strings.Contains(kiosk, want) {
			t.Errorf("kiosk: no %q in\n%s", want, kiosk)
		}
	}
	counter := string(CounterHTML(md))
	for _, want := range []string{
		"<h3>Titolo</h3>",
		"<p><strong>Cosa portare / What to bring</strong></p>",
		"<ul><li>documento <em>valido</em></li><li>codice <code>fiscale</code></li></ul>",
		"<ol><li>primo passo</li></ol>",
		"<p>riga uno</p><p>riga due</p>", // each line its own, as the counter keeps them
		`<span class="link">modulo</span> &lt;b&gt;non html&lt;/b&gt;`,
	} {
		if !strings.Contains(counter, want) {
			t.Errorf("counter: no %q in\n%s", want, counter)
		}
	}
}

// ourTags are the tags the previews write; anything else is text.
var ourTags = regexp.MustCompile(`</?(p|strong|em|code|ul|ol|li|h[3-6]|blockquote)>|<p class="bullet">|<span class="link">|</span>`)

// FuzzSheetHTML: whatever the back office writes, the previews hold no tag
// but their own (the sheet is someone's input shown to others).
func FuzzSheetHTML(f *testing.F) {
	f.Add("**Cosa portare**\n- <script>alert(1)</script>\n# [x](javascript:y)")
	f.Add("*a **b* c** `d <i>` _e_")
	f.Fuzz(func(t *testing.T, md string) {
		for name, out := range map[string]string{"kiosk": string(KioskHTML(md)), "counter": string(CounterHTML(md))} {
			if rest := ourTags.ReplaceAllString(out, ""); strings.ContainsAny(rest, "<>") {
				t.Fatalf("%s: a tag of the text got through: %q from %q", name, out, md)
			}
		}
	})
}
