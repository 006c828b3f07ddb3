package ui

import (
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// Every text colour of the console, on everything it is drawn on (with the
// hover and focus tints over buttons, the selection over an entry), has a
// contrast of at least 4.5:1 (WCAG 2.1 AA, 1.4.3), in both variants. The
// one exception is WCAG's own: the label of a disabled button, which is
// still kept at 3:1 so that a clerk reads what a key will do once enabled.
func TestTextContrast(t *testing.T) {
	const aa, disabled = 4.5, 3.0
	type pair struct {
		what string
		fg   fyne.ThemeColorName
		bg   []fyne.ThemeColorName // bottom first, tints composited over
		min  float64
	}
	var pairs []pair
	text := func(what string, fg fyne.ThemeColorName, bgs ...[]fyne.ThemeColorName) {
		for _, bg := range bgs {
			pairs = append(pairs, pair{what, fg, bg, aa})
		}
	}
	on := func(n ...fyne.ThemeColorName) []fyne.ThemeColorName { return n }
	const (
		bg, fg, btn, hover, focus = theme.ColorNameBackground, theme.ColorNameForeground, theme.ColorNameButton, theme.ColorNameHover, theme.ColorNameFocus
		overlay, input, menu      = theme.ColorNameOverlayBackground, theme.ColorNameInputBackground, theme.ColorNameMenuBackground
	)
	text("text", fg, on(bg), on(overlay), on(input), on(input, theme.ColorNameSelection), on(menu), on(menu, hover),
		on(btn), on(btn, hover), on(btn, focus), on(colorNameBanner))
	text("placeholder", theme.ColorNamePlaceHolder, on(input))
	text("timer", theme.ColorNamePrimary, on(bg), on(overlay))
	text("error message", theme.ColorNameError, on(bg), on(overlay), on(colorNameBanner))
	text("priority", theme.ColorNameWarning, on(bg), on(overlay))
	text("success", theme.ColorNameSuccess, on(bg), on(overlay))
	text("link in a sheet", theme.ColorNameHyperlink, on(bg))
	for _, b := range []struct{ fg, bg fyne.ThemeColorName }{
		{theme.ColorNameForegroundOnPrimary, theme.ColorNamePrimary},
		{theme.ColorNameForegroundOnSuccess, theme.ColorNameSuccess},
		{theme.ColorNameForegroundOnError, theme.ColorNameError},
		{theme.ColorNameForegroundOnWarning, theme.ColorNameWarning},
	} {
		text("button label", b.fg, on(b.bg), on(b.bg, hover), on(b.bg, focus))
	}
	pairs = append(pairs, pair{"disabled button label", theme.ColorNameDisabled, on(theme.ColorNameDisabledButton), disabled})

	th := Theme()
	for v, name := range map[fyne.ThemeVariant]string{theme.VariantLight: "light", theme.VariantDark: "dark"} {
		for _, p := range pairs {
			under := th.Color(p.bg[0], v)
			for _, tint := range p.bg[1:] {
				under = over(under, th.Color(tint, v))
			}
			if got := contrast(th.Color(p.fg, v), under); got < p.min {
				t.Errorf("%s, %s: %s on %v is %.2f:1, want at least %.1f:1", name, p.what, p.fg, p.bg, got, p.min)
			}
		}
	}
}

func TestContrastFormula(t *testing.T) {
	for _, tc := range []struct {
		a, b color.Color
		want float64
	}{
		{color.White, color.Black, 21},
		{color.White, color.White, 1},
		{color.NRGBA{R: 0x76, G: 0x76, B: 0x76, A: 0xff}, color.White, 4.54}, // the lightest grey passing AA on white
	} {
		if got := contrast(tc.a, tc.b); math.Abs(got-tc.want) > 0.01 {
			t.Errorf("contrast(%v, %v): got %.3f, want %.2f", tc.a, tc.b, got, tc.want)
		}
	}
}

// contrast is WCAG's contrast ratio of two opaque colours.
func contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// luminance is WCAG's relative luminance.
func luminance(c color.Color) float64 {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	lin := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(n.R) + 0.7152*lin(n.G) + 0.0722*lin(n.B)
}

// over paints a translucent tint over an opaque colour, as Fyne blends a
// button's hover and focus.
func over(under, tint color.Color) color.Color {
	u := color.NRGBAModel.Convert(under).(color.NRGBA)
	o := color.NRGBAModel.Convert(tint).(color.NRGBA)
	a := float64(o.A) / 255
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(y)*a + float64(x)*(1-a))) }
	return color.NRGBA{R: mix(u.R, o.R), G: mix(u.G, o.G), B: mix(u.B, o.B), A: 0xff}
}
