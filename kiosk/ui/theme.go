package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// Sizes of the kiosk's own text, on top of Fyne's.
const (
	sizeTitle    fyne.ThemeSizeName = "kioskTitle"    // screen titles
	sizeTile     fyne.ThemeSizeName = "kioskTile"     // a service's name on its button
	sizeDetail   fyne.ThemeSizeName = "kioskDetail"   // waiting and wait, the reason
	sizeNumber   fyne.ThemeSizeName = "kioskNumber"   // the ticket's number
	sizeHeadline fyne.ThemeSizeName = "kioskHeadline" // the ticket screen's lines
)

// Colours of the kiosk's own surfaces.
const (
	colorTile         fyne.ThemeColorName = "kioskTile"         // an open service's button
	colorTileBorder   fyne.ThemeColorName = "kioskTileBorder"   //
	colorTileOff      fyne.ThemeColorName = "kioskTileOff"      // a service that issues nothing now
	colorTileOffText  fyne.ThemeColorName = "kioskTileOffText"  // its reason
	colorPriority     fyne.ThemeColorName = "kioskPriority"     // the priority path's accent
	colorBanner       fyne.ThemeColorName = "kioskBanner"       // the server-down banner
	colorNumberBacker fyne.ThemeColorName = "kioskNumberBacker" // behind the big number
)

// kioskTheme embeds Fyne's default theme and changes only what a kiosk
// needs: a light theme whatever the system says (a public screen looks the
// same every day), larger text for reading at arm's length, and a
// high-contrast variant (white on black, yellow accents) with larger text
// still, for citizens who see poorly.
type kioskTheme struct {
	fyne.Theme
	contrast bool
}

func newTheme(contrast bool) fyne.Theme {
	return &kioskTheme{Theme: theme.DefaultTheme(), contrast: contrast}
}

var (
	paBlue     = color.NRGBA{R: 0x00, G: 0x4d, B: 0x99, A: 0xff} // the blue of Italian public-administration sites
	paBlueSoft = color.NRGBA{R: 0xe6, G: 0xf0, B: 0xfa, A: 0xff}
	ink        = color.NRGBA{R: 0x17, G: 0x1c, B: 0x24, A: 0xff}
	greyOff    = color.NRGBA{R: 0xe9, G: 0xeb, B: 0xee, A: 0xff}
	redText    = color.NRGBA{R: 0xa6, G: 0x1b, B: 0x1b, A: 0xff}
	amber      = color.NRGBA{R: 0x8a, G: 0x4b, B: 0x00, A: 0xff}
	yellow     = color.NRGBA{R: 0xff, G: 0xe0, B: 0x00, A: 0xff}
	white      = color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
	black      = color.NRGBA{A: 0xff}
)

func (t *kioskTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	if t.contrast {
		switch n {
		case theme.ColorNameBackground, colorTileOff, colorNumberBacker:
			return black
		case theme.ColorNameForeground:
			return white
		case theme.ColorNamePrimary, theme.ColorNameHyperlink, colorPriority, colorTileBorder:
			return yellow
		case colorTileOffText:
			return color.NRGBA{R: 0x80, G: 0x80, B: 0x80, A: 0xff}
		case theme.ColorNameButton, colorTile:
			return color.NRGBA{R: 0x1a, G: 0x1a, B: 0x1a, A: 0xff}
		case theme.ColorNameDisabled, theme.ColorNamePlaceHolder:
			return color.NRGBA{R: 0x9a, G: 0x9a, B: 0x9a, A: 0xff}
		case theme.ColorNameDisabledButton:
			return color.NRGBA{R: 0x33, G: 0x33, B: 0x33, A: 0xff}
		case theme.ColorNameError:
			// A stopped service's reason: white, so that yellow means
			// "tap here" and nothing else.
			return white
		case theme.ColorNameWarning:
			return yellow
		case theme.ColorNameForegroundOnPrimary, theme.ColorNameForegroundOnWarning, theme.ColorNameForegroundOnError:
			return black
		case colorBanner:
			return yellow
		case theme.ColorNameSeparator, theme.ColorNameInputBorder:
			return white
		}
		return t.Theme.Color(n, theme.VariantDark)
	}
	switch n {
	case theme.ColorNameBackground:
		return color.NRGBA{R: 0xf6, G: 0xf7, B: 0xf9, A: 0xff}
	case theme.ColorNameForeground:
		return ink
	case theme.ColorNamePrimary, theme.ColorNameHyperlink, colorTileBorder:
		return paBlue
	case colorTile:
		return paBlueSoft
	case colorTileOff:
		return greyOff
	case colorTileOffText, theme.ColorNameError:
		return redText
	case theme.ColorNameWarning:
		return amber
	case colorPriority:
		return color.NRGBA{R: 0x6a, G: 0x1b, B: 0x9a, A: 0xff}
	case colorBanner:
		return redText
	case colorNumberBacker:
		return white
	case theme.ColorNameButton:
		return white
	case theme.ColorNameDisabled:
		return color.NRGBA{R: 0x5c, G: 0x63, B: 0x6e, A: 0xff} // still readable: the reason must be read
	}
	return t.Theme.Color(n, theme.VariantLight)
}

func (t *kioskTheme) Size(n fyne.ThemeSizeName) float32 {
	scale := float32(1)
	if t.contrast {
		scale = 1.25
	}
	switch n {
	case theme.SizeNameText:
		return 24 * scale
	case theme.SizeNameHeadingText:
		return 36 * scale
	case theme.SizeNameSubHeadingText:
		return 28 * scale
	case sizeTitle:
		return 44 * scale
	case sizeTile:
		return 40 * scale
	case sizeDetail:
		return 27 * scale
	case sizeHeadline:
		return 36 * scale
	case sizeNumber:
		return 220 // as large as the screen allows, in both modes
	case theme.SizeNamePadding:
		return 8
	case theme.SizeNameInnerPadding:
		return 14
	case theme.SizeNameInlineIcon:
		return 32 * scale
	case theme.SizeNameInputRadius, theme.SizeNameSelectionRadius:
		return 10
	}
	return t.Theme.Size(n)
}
