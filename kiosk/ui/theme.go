package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// Sizes of the kiosk's own text, on top of Fyne's. Every text the kiosk
// draws uses one of them, so that the large-text mode scales it all.
const (
	sizeTitle    fyne.ThemeSizeName = "kioskTitle"    // screen titles
	sizeTile     fyne.ThemeSizeName = "kioskTile"     // a service's name on its button
	sizeDetail   fyne.ThemeSizeName = "kioskDetail"   // waiting and wait, the reason
	sizeButton   fyne.ThemeSizeName = "kioskButton"   // the words on a button
	sizeNumber   fyne.ThemeSizeName = "kioskNumber"   // the ticket's number
	sizeHeadline fyne.ThemeSizeName = "kioskHeadline" // the ticket screen's lines
	sizeStaff    fyne.ThemeSizeName = "kioskStaff"    // the staff line
	sizeKey      fyne.ThemeSizeName = "kioskKey"      // a letter on the on-screen keyboards
	sizeCode     fyne.ThemeSizeName = "kioskCode"     // the booking code as typed, and as booked
)

// Colours of the kiosk's own surfaces and of the text drawn on them.
const (
	colorTile         fyne.ThemeColorName = "kioskTile"         // an open service's button
	colorTileBorder   fyne.ThemeColorName = "kioskTileBorder"   //
	colorTileOff      fyne.ThemeColorName = "kioskTileOff"      // a service that issues nothing now
	colorTileOffText  fyne.ThemeColorName = "kioskTileOffText"  // its reason
	colorTileOffEdge  fyne.ThemeColorName = "kioskTileOffEdge"  // its border and bar
	colorHint         fyne.ThemeColorName = "kioskHint"         // "tap here" on an open tile
	colorPriority     fyne.ThemeColorName = "kioskPriority"     // the priority path's accent and its words
	colorBanner       fyne.ThemeColorName = "kioskBanner"       // the server-down banner's words and border
	colorPanel        fyne.ThemeColorName = "kioskPanel"        // behind the big number, the banner
	colorNumber       fyne.ThemeColorName = "kioskNumber"       // the ticket's number
	colorButton       fyne.ThemeColorName = "kioskButton"       // an ordinary button
	colorButtonText   fyne.ThemeColorName = "kioskButtonText"   //
	colorButtonEdge   fyne.ThemeColorName = "kioskButtonEdge"   //
	colorAction       fyne.ThemeColorName = "kioskAction"       // the button that goes ahead (take, done), the selected language
	colorActionText   fyne.ThemeColorName = "kioskActionText"   //
	colorOffButton    fyne.ThemeColorName = "kioskOffButton"    // a button that cannot be pressed now
	colorOffText      fyne.ThemeColorName = "kioskOffText"      //
	colorMuted        fyne.ThemeColorName = "kioskMuted"        // the staff line, the date
	colorAlert        fyne.ThemeColorName = "kioskAlert"        // the staff line when something is wrong
	colorPriorityText fyne.ThemeColorName = "kioskPriorityText" // words on the priority colour
)

// textOn lists every text colour the kiosk draws and the surfaces it is
// drawn on; the contrast test checks each pair in every theme, and the
// screens' test checks that what is drawn is among them.
var textOn = map[fyne.ThemeColorName][]fyne.ThemeColorName{
	theme.ColorNameForeground: {theme.ColorNameBackground, colorTile, colorTileOff, colorPanel, colorButton},
	colorTileOffText:          {colorTileOff, colorTile}, // a stopped service that offers an appointment is tappable
	colorHint:                 {colorTile},
	colorPriority:             {colorTile, theme.ColorNameBackground, colorPanel, colorButton},
	colorBanner:               {colorPanel},
	colorNumber:               {colorPanel},
	colorButtonText:           {colorButton},
	colorActionText:           {colorAction},
	colorOffText:              {colorOffButton},
	colorMuted:                {theme.ColorNameBackground, colorPanel}, // and the name field's placeholder
	colorAlert:                {theme.ColorNameBackground},
	colorPriorityText:         {colorPriority},
	theme.ColorNamePrimary:    {theme.ColorNameBackground, colorPanel}, // the info sheet's links, the "go ahead" line
}

// kioskTheme embeds Fyne's default theme and changes only what a kiosk
// needs: a light theme whatever the system says (a public screen looks the
// same every day), text for reading at arm's length, a high-contrast
// palette (white on black, yellow accents) and a large-text mode, each
// chosen by the citizen.
type kioskTheme struct {
	fyne.Theme
	contrast, large bool
	// measures remembers text measurements (fittext.go); the themes of one
	// kiosk share it, their font being the same.
	measures *measures
}

func newTheme(contrast, large bool, m *measures) fyne.Theme {
	return &kioskTheme{Theme: theme.DefaultTheme(), contrast: contrast, large: large, measures: m}
}

// largeScale is how much larger the large-text mode draws every text.
const largeScale = 1.3

var (
	paBlue     = color.NRGBA{R: 0x00, G: 0x4d, B: 0x99, A: 0xff} // the blue of Italian public-administration sites
	paBlueSoft = color.NRGBA{R: 0xe6, G: 0xf0, B: 0xfa, A: 0xff}
	ink        = color.NRGBA{R: 0x17, G: 0x1c, B: 0x24, A: 0xff}
	paper      = color.NRGBA{R: 0xf6, G: 0xf7, B: 0xf9, A: 0xff}
	greyOff    = color.NRGBA{R: 0xe9, G: 0xeb, B: 0xee, A: 0xff}
	greyEdge   = color.NRGBA{R: 0x76, G: 0x7d, B: 0x88, A: 0xff}
	greyText   = color.NRGBA{R: 0x4f, G: 0x56, B: 0x61, A: 0xff}
	redText    = color.NRGBA{R: 0xa6, G: 0x1b, B: 0x1b, A: 0xff}
	purple     = color.NRGBA{R: 0x6a, G: 0x1b, B: 0x9a, A: 0xff}
	yellow     = color.NRGBA{R: 0xff, G: 0xe0, B: 0x00, A: 0xff}
	white      = color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
	black      = color.NRGBA{A: 0xff}
	nearBlack  = color.NRGBA{R: 0x1a, G: 0x1a, B: 0x1a, A: 0xff}
	darkGrey   = color.NRGBA{R: 0x33, G: 0x33, B: 0x33, A: 0xff}
	lightGrey  = color.NRGBA{R: 0xb8, G: 0xb8, B: 0xb8, A: 0xff}
)

func (t *kioskTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	if t.contrast {
		switch n {
		case theme.ColorNameBackground, colorTileOff, colorPanel:
			return black
		case theme.ColorNameForeground, colorTileOffText, colorButtonText:
			// A stopped service's reason is white: yellow means "tap
			// here" and nothing else.
			return white
		case theme.ColorNamePrimary, theme.ColorNameHyperlink, colorPriority, colorTileBorder, colorHint,
			colorBanner, colorNumber, colorAction, colorButtonEdge, theme.ColorNameWarning, colorAlert:
			return yellow
		case colorActionText, colorPriorityText, theme.ColorNameForegroundOnPrimary,
			theme.ColorNameForegroundOnWarning, theme.ColorNameForegroundOnError:
			return black
		case theme.ColorNameButton, colorTile, colorButton:
			return nearBlack
		case colorTileOffEdge, colorMuted, colorOffText, theme.ColorNameDisabled, theme.ColorNamePlaceHolder:
			return lightGrey
		case colorOffButton, theme.ColorNameDisabledButton:
			return darkGrey
		case theme.ColorNameError:
			return white
		case theme.ColorNameSeparator, theme.ColorNameInputBorder:
			return white
		}
		return t.Theme.Color(n, theme.VariantDark)
	}
	switch n {
	case theme.ColorNameBackground:
		return paper
	case theme.ColorNameForeground, colorButtonText:
		return ink
	case theme.ColorNamePrimary, theme.ColorNameHyperlink, colorTileBorder, colorHint, colorNumber,
		colorAction, colorButtonEdge:
		return paBlue
	case colorActionText, theme.ColorNameForegroundOnPrimary, colorPriorityText:
		return white
	case colorTile:
		return paBlueSoft
	case colorTileOff, colorOffButton:
		return greyOff
	case colorTileOffEdge:
		return greyEdge
	case colorTileOffText, theme.ColorNameError, colorBanner, colorAlert:
		return redText
	case colorOffText, colorMuted, theme.ColorNameDisabled:
		return greyText // still readable: what cannot be pressed says why
	case theme.ColorNameWarning:
		return color.NRGBA{R: 0x8a, G: 0x4b, B: 0x00, A: 0xff}
	case colorPriority:
		return purple
	case colorPanel, theme.ColorNameButton, colorButton:
		return white
	}
	return t.Theme.Color(n, theme.VariantLight)
}

func (t *kioskTheme) Size(n fyne.ThemeSizeName) float32 {
	scale := float32(1)
	if t.large {
		scale = largeScale
	}
	switch n {
	case theme.SizeNameText:
		return 24 * scale
	case theme.SizeNameHeadingText:
		return 36 * scale
	case theme.SizeNameSubHeadingText:
		return 28 * scale
	case sizeTitle:
		return 40 * scale
	case sizeTile:
		return 40 * scale
	case sizeDetail:
		return 27 * scale
	case sizeButton:
		return 27 * scale
	case sizeHeadline:
		return 36 * scale
	case sizeStaff:
		return 18 // for staff, not citizens: it stays small
	case sizeNumber:
		return 200 * scale // shrunk to fit by the ticket screen
	case sizeKey:
		return 52 * scale
	case sizeCode:
		return 96 * scale
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
