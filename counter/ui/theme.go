package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// colorNameBanner is the background of the connection banner.
const colorNameBanner fyne.ThemeColorName = "turno-banner"

// Theme is the console's look: Fyne's default theme with colours every
// text of the console can be read in, at a contrast of at least 4.5:1
// (WCAG AA) on whatever it is drawn on, in the light and the dark variant
// (TestTextContrast). The default's bright blue, green and orange make
// white button labels and coloured text 2-3:1.
func Theme() fyne.Theme { return deskTheme{theme.DefaultTheme()} }

type deskTheme struct{ fyne.Theme }

var (
	white = color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
	ink   = color.NRGBA{R: 0x0b, G: 0x0b, B: 0x0c, A: 0xff}
)

// palettes hold what the console changes of the default theme, by variant.
var palettes = map[fyne.ThemeVariant]map[fyne.ThemeColorName]color.Color{
	theme.VariantLight: {
		theme.ColorNameBackground:          white,
		theme.ColorNameForeground:          color.NRGBA{R: 0x1f, G: 0x1f, B: 0x1f, A: 0xff},
		theme.ColorNameButton:              color.NRGBA{R: 0xe9, G: 0xec, B: 0xef, A: 0xff},
		theme.ColorNameDisabledButton:      color.NRGBA{R: 0xf1, G: 0xf1, B: 0xf1, A: 0xff},
		theme.ColorNameDisabled:            color.NRGBA{R: 0x80, G: 0x80, B: 0x80, A: 0xff},
		theme.ColorNameInputBackground:     color.NRGBA{R: 0xf4, G: 0xf4, B: 0xf5, A: 0xff},
		theme.ColorNameInputBorder:         color.NRGBA{R: 0x8a, G: 0x8f, B: 0x94, A: 0xff},
		theme.ColorNameOverlayBackground:   white,
		theme.ColorNameMenuBackground:      white,
		theme.ColorNamePlaceHolder:         color.NRGBA{R: 0x5f, G: 0x63, B: 0x68, A: 0xff},
		theme.ColorNamePrimary:             color.NRGBA{R: 0x15, G: 0x58, B: 0xb0, A: 0xff},
		theme.ColorNameForegroundOnPrimary: white,
		theme.ColorNameSuccess:             color.NRGBA{R: 0x1b, G: 0x6e, B: 0x31, A: 0xff},
		theme.ColorNameForegroundOnSuccess: white,
		theme.ColorNameError:               color.NRGBA{R: 0xb3, G: 0x26, B: 0x1e, A: 0xff},
		theme.ColorNameForegroundOnError:   white,
		theme.ColorNameWarning:             color.NRGBA{R: 0x8a, G: 0x4b, B: 0x00, A: 0xff},
		theme.ColorNameForegroundOnWarning: white,
		theme.ColorNameHyperlink:           color.NRGBA{R: 0x15, G: 0x58, B: 0xb0, A: 0xff},
		theme.ColorNameHover:               color.NRGBA{R: 0x00, G: 0x00, B: 0x00, A: 0x10},
		theme.ColorNameFocus:               color.NRGBA{R: 0x15, G: 0x58, B: 0xb0, A: 0x30},
		theme.ColorNameSelection:           color.NRGBA{R: 0x15, G: 0x58, B: 0xb0, A: 0x38},
		theme.ColorNameSeparator:           color.NRGBA{R: 0xd5, G: 0xd8, B: 0xdc, A: 0xff},
		colorNameBanner:                    color.NRGBA{R: 0xfd, G: 0xec, B: 0xea, A: 0xff},
	},
	theme.VariantDark: {
		theme.ColorNameBackground:          color.NRGBA{R: 0x16, G: 0x16, B: 0x17, A: 0xff},
		theme.ColorNameForeground:          color.NRGBA{R: 0xf0, G: 0xf0, B: 0xf0, A: 0xff},
		theme.ColorNameButton:              color.NRGBA{R: 0x2e, G: 0x2f, B: 0x31, A: 0xff},
		theme.ColorNameDisabledButton:      color.NRGBA{R: 0x24, G: 0x24, B: 0x25, A: 0xff},
		theme.ColorNameDisabled:            color.NRGBA{R: 0x8a, G: 0x8a, B: 0x8a, A: 0xff},
		theme.ColorNameInputBackground:     color.NRGBA{R: 0x22, G: 0x22, B: 0x24, A: 0xff},
		theme.ColorNameInputBorder:         color.NRGBA{R: 0x70, G: 0x73, B: 0x78, A: 0xff},
		theme.ColorNameOverlayBackground:   color.NRGBA{R: 0x1f, G: 0x1f, B: 0x21, A: 0xff},
		theme.ColorNameMenuBackground:      color.NRGBA{R: 0x1f, G: 0x1f, B: 0x21, A: 0xff},
		theme.ColorNamePlaceHolder:         color.NRGBA{R: 0xa9, G: 0xad, B: 0xb2, A: 0xff},
		theme.ColorNamePrimary:             color.NRGBA{R: 0x6c, G: 0xa6, B: 0xff, A: 0xff},
		theme.ColorNameForegroundOnPrimary: ink,
		theme.ColorNameSuccess:             color.NRGBA{R: 0x5c, G: 0xc8, B: 0x7a, A: 0xff},
		theme.ColorNameForegroundOnSuccess: ink,
		theme.ColorNameError:               color.NRGBA{R: 0xff, G: 0x8a, B: 0x80, A: 0xff},
		theme.ColorNameForegroundOnError:   ink,
		theme.ColorNameWarning:             color.NRGBA{R: 0xff, G: 0xb9, B: 0x5c, A: 0xff},
		theme.ColorNameForegroundOnWarning: ink,
		theme.ColorNameHyperlink:           color.NRGBA{R: 0x6c, G: 0xa6, B: 0xff, A: 0xff},
		theme.ColorNameHover:               color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0x10},
		theme.ColorNameFocus:               color.NRGBA{R: 0x6c, G: 0xa6, B: 0xff, A: 0x30},
		theme.ColorNameSelection:           color.NRGBA{R: 0x6c, G: 0xa6, B: 0xff, A: 0x40},
		theme.ColorNameSeparator:           color.NRGBA{R: 0x3a, G: 0x3b, B: 0x3e, A: 0xff},
		colorNameBanner:                    color.NRGBA{R: 0x3d, G: 0x1f, B: 0x1c, A: 0xff},
	},
}

// Color returns the console's colour where it has one, else the default's.
func (t deskTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	p, ok := palettes[v]
	if !ok {
		p = palettes[theme.VariantLight]
	}
	if c, ok := p[n]; ok {
		return c
	}
	return t.Theme.Color(n, v)
}
