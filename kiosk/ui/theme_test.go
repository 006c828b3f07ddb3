package ui

import (
	"fmt"
	"image/color"
	"math"
	"testing"
)

// contrastRatio is WCAG 2's contrast ratio of two opaque colours, from 1
// (the same) to 21 (black on white).
func contrastRatio(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// luminance is WCAG 2's relative luminance.
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

func TestContrastRatio(t *testing.T) {
	for _, tc := range []struct {
		a, b color.Color
		want float64
	}{
		{black, white, 21},
		{white, white, 1},
		{color.NRGBA{R: 0x76, G: 0x76, B: 0x76, A: 0xff}, white, 4.54}, // WCAG's own example of the AA limit
	} {
		if got := contrastRatio(tc.a, tc.b); math.Abs(got-tc.want) > 0.01 {
			t.Errorf("contrast(%v, %v): got %.2f, want %.2f", tc.a, tc.b, got, tc.want)
		}
	}
}

// Every text colour on every surface it is drawn on reaches WCAG AA
// (4.5:1) in every theme the kiosk has. The screens' test
// (TestEveryScreenFits) checks the colours actually drawn.
func TestThemeTextContrast(t *testing.T) {
	for _, mode := range themeModes {
		th := newTheme(mode.contrast, mode.large, nil)
		for text, surfaces := range textOn {
			for _, surface := range surfaces {
				fg, bg := th.Color(text, 0), th.Color(surface, 0)
				if r := contrastRatio(fg, bg); r < 4.5 {
					t.Errorf("%s: %s on %s: %.2f:1, want at least 4.5:1", mode, text, surface, r)
				}
			}
		}
	}
}

// themeMode is one of the kiosk's themes.
type themeMode struct{ contrast, large bool }

func (m themeMode) String() string { return fmt.Sprintf("contrast=%t large=%t", m.contrast, m.large) }

var themeModes = []themeMode{{false, false}, {false, true}, {true, false}, {true, true}}
