package ui

import (
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"turno/server/queue"
)

// The information sheet panel: what the citizen must bring, which form,
// for each service served, as the back office wrote it. A long sheet
// scrolls inside the panel.

func (c *Console) buildSheet() fyne.CanvasObject {
	d := &c.desk
	d.sheetFor = c.newSelect(func(string) { c.renderSheet() })
	d.sheet = widget.NewRichTextFromMarkdown("")
	d.sheet.Wrapping = fyne.TextWrapWord
	return container.NewBorder(
		container.NewVBox(heading(tr("Information sheet")), d.sheetFor), nil, nil, nil,
		container.NewVScroll(d.sheet))
}

// renderSheetChoice offers the sheets of the services served, and turns
// to the current ticket's service when one is called.
func (c *Console) renderSheetChoice(cur *queue.TicketView) {
	d := &c.desk
	ids := slices.Clone(c.counter.Services)
	if cur != nil && !slices.Contains(ids, cur.Service) {
		ids = append(ids, cur.Service)
	}
	names := make([]string, len(ids))
	for i, id := range ids {
		names[i] = c.serviceName(id)
	}
	d.sheetIDs = ids
	d.sheetFor.Options = names
	want := d.sheetFor.SelectedIndex()
	if cur != nil {
		want = slices.Index(ids, cur.Service)
	}
	if want < 0 || want >= len(ids) {
		want = 0
	}
	if len(ids) == 0 {
		d.sheetFor.ClearSelected()
	} else if d.sheetFor.SelectedIndex() != want || d.sheetFor.Selected != names[want] {
		d.sheetFor.SetSelectedIndex(want) // calls renderSheet
	}
	d.sheetFor.Refresh()
	c.renderSheet()
}

func (c *Console) renderSheet() {
	d := &c.desk
	i := d.sheetFor.SelectedIndex()
	src := ""
	if i >= 0 && i < len(d.sheetIDs) {
		if v := c.serviceView(d.sheetIDs[i]); v != nil {
			src = v.Info
		}
		if src == "" {
			src = tr("*The back office has not written a sheet for this service yet.*")
		}
	}
	if src != d.sheetSrc {
		d.sheetSrc = src
		d.sheet.ParseMarkdown(keepLineBreaks(src))
	}
}

// keepLineBreaks makes every line of a sheet its own paragraph, as the
// back office writes them (an Italian line, then its English one), instead
// of Markdown's joining them; lists and blank lines stay as they are.
func keepLineBreaks(md string) string {
	lines := strings.Split(md, "\n")
	var b strings.Builder
	for i, l := range lines {
		b.WriteString(l)
		b.WriteString("\n")
		if i+1 < len(lines) && prose(l) && prose(lines[i+1]) {
			b.WriteString("\n")
		}
	}
	return b.String()
}

// prose reports whether a line is a paragraph's text (not blank, not a
// list item, heading or quote).
func prose(line string) bool {
	t := strings.TrimSpace(line)
	if t == "" {
		return false
	}
	for _, p := range []string{"- ", "* ", "+ ", "#", ">", "1.", "2.", "3.", "4.", "5.", "6.", "7.", "8.", "9."} {
		if strings.HasPrefix(t, p) {
			return false
		}
	}
	return true
}

func (c *Console) serviceView(id string) *queue.ServiceView {
	for _, s := range c.services() {
		if s.ID == id {
			return &s
		}
	}
	return nil
}
