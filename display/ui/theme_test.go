package ui

import (
	"image/color"
	"math"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// luminance is WCAG 2's relative luminance of an opaque colour.
func luminance(c color.Color) float64 {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	lin := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(n.R) + 0.7152*lin(n.G) + 0.0722*lin(n.B)
}

// contrast is WCAG 2's contrast ratio of two opaque colours.
func contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// over blends a colour (perhaps translucent) over an opaque one.
func over(top, bottom color.Color) color.Color {
	t := color.NRGBAModel.Convert(top).(color.NRGBA)
	b := color.NRGBAModel.Convert(bottom).(color.NRGBA)
	a := float64(t.A) / 255
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x)*a + float64(y)*(1-a))) }
	return color.NRGBA{R: mix(t.R, b.R), G: mix(t.G, b.G), B: mix(t.B, b.B), A: 0xff}
}

func TestContrastHelpers(t *testing.T) {
	black, white := color.NRGBA{A: 0xff}, color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
	if got := contrast(black, white); math.Abs(got-21) > 0.01 {
		t.Fatalf("black on white: %.2f, want 21", got)
	}
	// Fyne's own success green on white, as the issue measured it.
	if got := contrast(color.NRGBA{R: 0x43, G: 0xf4, B: 0x36, A: 0xff}, white); math.Abs(got-1.48) > 0.02 {
		t.Fatalf("#43F436 on white: %.2f, want 1.48", got)
	}
	if got := over(color.NRGBA{A: 0x80}, white).(color.NRGBA); got.R != 127 {
		t.Fatalf("half black over white: %v", got)
	}
}

// wcagAA is the least contrast of body text (WCAG 2, 1.4.3).
const wcagAA = 4.5

// Every text colour of the display's themes, against every ground it is
// drawn on, is at least 4.5:1: computed from the themes' own colours, so a
// colour changed in theme.go is checked here.
func TestEveryTextColourHasContrast(t *testing.T) {
	check := func(what string, text, ground color.Color) {
		t.Helper()
		if c := contrast(text, ground); c < wcagAA {
			t.Errorf("%s: %.2f:1, want at least %.1f:1", what, c, wcagAA)
		} else {
			t.Logf("%-60s %5.2f:1", what, c)
		}
	}

	// The board draws its own texts in its palette.
	for _, g := range []struct {
		name  string
		color color.Color
	}{{"ground", boardGround}, {"panel", boardPanel}} {
		for _, tx := range []struct {
			name  string
			color color.Color
		}{{"ink", boardInk}, {"dim", boardDim}, {"green (open)", boardGreen}, {"amber (stopped)", boardAmber}} {
			check("board: "+tx.name+" on the "+g.name, tx.color, g.color)
		}
	}
	check("board: the highlighted call, black on yellow", boardBlack, boardYellow)
	check("board: the connection banner, ink on red", boardInk, boardRed)
	check("board: the hall message, ink on blue", boardInk, boardMessage)
	bt := NewBoardTheme()
	check("board theme: foreground on background", bt.Color(theme.ColorNameForeground, theme.VariantDark), bt.Color(theme.ColorNameBackground, theme.VariantDark))

	// The flow view: each of Fyne's text colours on each ground it is drawn
	// on. Labels (of any importance) lie on the view's grounds; a button's
	// text is the foreground (or the disabled colour on a disabled button);
	// a placeholder is in an entry.
	th := NewFlowTheme()
	col := func(n fyne.ThemeColorName) color.Color { return th.Color(n, theme.VariantLight) }
	labelGrounds := map[string]color.Color{
		"background":             col(theme.ColorNameBackground),
		"overlay (pop-ups)":      col(theme.ColorNameOverlayBackground),
		"menu":                   col(theme.ColorNameMenuBackground),
		"header":                 col(theme.ColorNameHeaderBackground),
		"input":                  col(theme.ColorNameInputBackground),
		"card":                   flowCard,
		"the last action's note": over(flowPrimaryVeil, flowGround),
		"a short hour's row":     over(flowShortRow, flowGround),
		// A choice's label, and a booking's time, name and state (in the
		// colour of its state), lie on their button.
		"button":          col(theme.ColorNameButton),
		"button, hovered": over(col(theme.ColorNameHover), col(theme.ColorNameButton)),
		"button, pressed": over(col(theme.ColorNamePressed), col(theme.ColorNameButton)),
	}
	labelTexts := []fyne.ThemeColorName{
		theme.ColorNameForeground, theme.ColorNameDisabled, theme.ColorNamePrimary,
		theme.ColorNameHyperlink, theme.ColorNameSuccess, theme.ColorNameWarning, theme.ColorNameError,
	}
	for _, tx := range labelTexts {
		for name, g := range labelGrounds {
			if tx == theme.ColorNameDisabled && strings.HasPrefix(name, "button,") {
				continue // a label on a button is never in the disabled colour: a missed booking says so in ink
			}
			check("flow: "+string(tx)+" on "+name, col(tx), g)
		}
	}
	check("flow: disabled on a disabled button", col(theme.ColorNameDisabled), col(theme.ColorNameDisabledButton))
	check("flow: placeholder in an entry", col(theme.ColorNamePlaceHolder), col(theme.ColorNameInputBackground))
	// Text on a coloured ground: buttons of an importance, the banner.
	for _, pair := range [][2]fyne.ThemeColorName{
		{theme.ColorNameForegroundOnPrimary, theme.ColorNamePrimary},
		{theme.ColorNameForegroundOnSuccess, theme.ColorNameSuccess},
		{theme.ColorNameForegroundOnWarning, theme.ColorNameWarning},
		{theme.ColorNameForegroundOnError, theme.ColorNameError},
	} {
		check("flow: "+string(pair[0])+" on "+string(pair[1]), col(pair[0]), col(pair[1]))
		check("flow: "+string(pair[0])+" on "+string(pair[1])+", hovered", col(pair[0]), over(col(theme.ColorNameHover), col(pair[1])))
	}
	banner := onColour{th}
	check("flow: the banner's text on red", banner.Color(theme.ColorNameForeground, theme.VariantLight), flowError)
}
