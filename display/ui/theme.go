package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// The board's palette: light text on a dark ground reads best from far away
// and does not glare in a hall; yellow is the one colour that says "you".
var (
	boardGround   = color.NRGBA{R: 0x0a, G: 0x16, B: 0x28, A: 0xff}
	boardPanel    = color.NRGBA{R: 0x13, G: 0x25, B: 0x3e, A: 0xff}
	boardInk      = color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
	boardDim      = color.NRGBA{R: 0xa9, G: 0xb8, B: 0xcc, A: 0xff}
	boardYellow   = color.NRGBA{R: 0xff, G: 0xd4, B: 0x00, A: 0xff}
	boardBlack    = color.NRGBA{R: 0x00, G: 0x00, B: 0x00, A: 0xff}
	boardGreen    = color.NRGBA{R: 0x4c, G: 0xe0, B: 0x8a, A: 0xff}
	boardAmber    = color.NRGBA{R: 0xff, G: 0xa9, B: 0x3a, A: 0xff}
	boardRed      = color.NRGBA{R: 0xc6, G: 0x28, B: 0x28, A: 0xff}
	boardMessage  = color.NRGBA{R: 0x00, G: 0x4d, B: 0x99, A: 0xff} // the blue of Italian public-administration sites
	boardSeparate = color.NRGBA{R: 0x2a, G: 0x3f, B: 0x5c, A: 0xff}
)

// Text sizes of the board, in Fyne units at scale 1 on a 1920x1080 screen
// (about 0.57 mm a unit on a 50" screen): the newest call is about 11 cm
// tall, readable at ten metres; nothing a citizen needs is smaller than
// sizeMin, about 16 mm, and texts that shrink to fit stop there and are cut.
const (
	sizeNewest     float32 = 150
	sizeNewestMin  float32 = 60
	sizeCurrent    float32 = 84
	sizeCurrentRow float32 = 60
	sizeLast       float32 = 44
	sizeHeading    float32 = 34
	sizeWaiting    float32 = 56
	sizeService    float32 = 34
	sizeReason     float32 = 30
	sizeCaption    float32 = 28
	sizeClock      float32 = 64
	sizeOffice     float32 = 40
	sizeBanner     float32 = 44
	sizeMessage    float32 = 44
	sizeMin        float32 = 28
)

// boardTheme is Fyne's default theme on the board's dark ground, with large
// body text for the few widgets that wrap (the hall message, the reasons).
type boardTheme struct{ fyne.Theme }

func (t boardTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	switch n {
	case theme.ColorNameBackground:
		return boardGround
	case theme.ColorNameForeground:
		return boardInk
	}
	return t.Theme.Color(n, theme.VariantDark)
}

func (t boardTheme) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case theme.SizeNameText:
		return sizeMin
	case theme.SizeNamePadding:
		return 8
	}
	return t.Theme.Size(n)
}

// The flow view's palette: dark text on light grounds, every text colour at
// least 4.5:1 against every ground it is drawn on (WCAG AA; the test
// computes it), a button being pressed included (a booking's state, in its
// colour, lies on the button that opens it): Fyne's own light theme draws
// success in #43F436, 1.5:1 on white. The blue is a shade darker than that
// of Italian public-administration sites.
var (
	flowGround      = color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
	flowCard        = color.NRGBA{R: 0xf4, G: 0xf6, B: 0xf8, A: 0xff}
	flowCardEdge    = color.NRGBA{R: 0xd5, G: 0xda, B: 0xe0, A: 0xff}
	flowInput       = color.NRGBA{R: 0xf1, G: 0xf3, B: 0xf5, A: 0xff}
	flowButton      = color.NRGBA{R: 0xe8, G: 0xeb, B: 0xef, A: 0xff}
	flowInk         = color.NRGBA{R: 0x1b, G: 0x1f, B: 0x24, A: 0xff}
	flowMuted       = color.NRGBA{R: 0x5c, G: 0x66, B: 0x70, A: 0xff} // disabled text, placeholders
	flowPrimary     = color.NRGBA{R: 0x09, G: 0x53, B: 0x9d, A: 0xff}
	flowSuccess     = color.NRGBA{R: 0x17, G: 0x60, B: 0x2d, A: 0xff}
	flowWarning     = color.NRGBA{R: 0x80, G: 0x45, B: 0x00, A: 0xff}
	flowError       = color.NRGBA{R: 0xa1, G: 0x22, B: 0x1a, A: 0xff}
	flowOnColour    = color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
	flowHover       = color.NRGBA{R: 0x00, G: 0x00, B: 0x00, A: 0x10}
	flowPressed     = color.NRGBA{R: 0x00, G: 0x00, B: 0x00, A: 0x26}
	flowFocus       = color.NRGBA{R: 0x0a, G: 0x58, B: 0xa6, A: 0x55}
	flowSelection   = color.NRGBA{R: 0x0a, G: 0x58, B: 0xa6, A: 0x40}
	flowShadow      = color.NRGBA{R: 0x00, G: 0x00, B: 0x00, A: 0x33}
	flowStaleVeil   = color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0x99} // over figures no longer live
	flowScrollBar   = color.NRGBA{R: 0x00, G: 0x00, B: 0x00, A: 0x66}
	flowPrimaryVeil = color.NRGBA{R: 0x0a, G: 0x58, B: 0xa6, A: 0x18}
)

// flowColors are the flow view's colours by Fyne's names; a name not here
// falls back to Fyne's light theme (none of those is a text colour).
var flowColors = map[fyne.ThemeColorName]color.Color{
	theme.ColorNameBackground:          flowGround,
	theme.ColorNameOverlayBackground:   flowGround,
	theme.ColorNameMenuBackground:      flowGround,
	theme.ColorNameHeaderBackground:    flowInput,
	theme.ColorNameInputBackground:     flowInput,
	theme.ColorNameButton:              flowButton,
	theme.ColorNameDisabledButton:      flowInput,
	theme.ColorNameForeground:          flowInk,
	theme.ColorNameDisabled:            flowMuted,
	theme.ColorNamePlaceHolder:         flowMuted,
	theme.ColorNamePrimary:             flowPrimary,
	theme.ColorNameHyperlink:           flowPrimary,
	theme.ColorNameSuccess:             flowSuccess,
	theme.ColorNameWarning:             flowWarning,
	theme.ColorNameError:               flowError,
	theme.ColorNameForegroundOnPrimary: flowOnColour,
	theme.ColorNameForegroundOnSuccess: flowOnColour,
	theme.ColorNameForegroundOnWarning: flowOnColour,
	theme.ColorNameForegroundOnError:   flowOnColour,
	theme.ColorNameInputBorder:         flowMuted,
	theme.ColorNameSeparator:           flowCardEdge,
	theme.ColorNameHover:               flowHover,
	theme.ColorNamePressed:             flowPressed,
	theme.ColorNameFocus:               flowFocus,
	theme.ColorNameSelection:           flowSelection,
	theme.ColorNameShadow:              flowShadow,
	theme.ColorNameScrollBar:           flowScrollBar,
}

// flowTheme is the flow view's theme, light whatever the system says: the
// view is read on a tablet held at arm's length, between two citizens, so
// text is 18 units (about 3 mm on a 10" tablet) and headings larger.
type flowTheme struct{ fyne.Theme }

func (t flowTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	if c, ok := flowColors[n]; ok {
		return c
	}
	return t.Theme.Color(n, theme.VariantLight)
}

// Sizes of the flow view.
const (
	flowText    float32 = 18
	flowSubhead float32 = 22
	flowHeading float32 = 26
	// touchMin is the smallest a finger's target may be: 9 mm on a tablet
	// of 150-160 dpi at scale 1.
	touchMin float32 = 56
)

func (t flowTheme) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case theme.SizeNameText, theme.SizeNameCaptionText:
		return flowText
	case theme.SizeNameSubHeadingText:
		return flowSubhead
	case theme.SizeNameHeadingText:
		return flowHeading
	case theme.SizeNameInlineIcon:
		return 24
	case theme.SizeNameScrollBar:
		return 12 // a bar a finger can drag
	}
	return t.Theme.Size(n)
}

// NewFlowTheme is the flow view's theme, for the app to set.
func NewFlowTheme() fyne.Theme { return flowTheme{theme.DefaultTheme()} }

// NewBoardTheme is the board's theme, for the app to set.
func NewBoardTheme() fyne.Theme { return boardTheme{theme.DefaultTheme()} }

// The rating pad's palette: white on a dark blue ground, as the hall board
// (the citizen's side of the office speaks one visual language), and black
// when the pad has nothing to ask, so that a dark pad does not glare across
// the counter. The faces go from red to green, each with its word under it:
// the colour is never the only sign.
var (
	padBlack    = color.NRGBA{R: 0x00, G: 0x00, B: 0x00, A: 0xff}
	padGround   = color.NRGBA{R: 0x0a, G: 0x16, B: 0x28, A: 0xff}
	padTile     = color.NRGBA{R: 0x1a, G: 0x2f, B: 0x4d, A: 0xff}
	padTileEdge = color.NRGBA{R: 0x6b, G: 0x8c, B: 0xbf, A: 0xff}
	padInk      = color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
	padDim      = color.NRGBA{R: 0xd2, G: 0xdc, B: 0xe8, A: 0xff}
	padRed      = color.NRGBA{R: 0xb3, G: 0x26, B: 0x1e, A: 0xff}
	padHover    = color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0x14}
	padPressed  = color.NRGBA{R: 0x00, G: 0x00, B: 0x00, A: 0x4d} // darker, so the faces stand out more, not less
	padFeature  = color.NRGBA{R: 0x11, G: 0x11, B: 0x11, A: 0xff} // the faces' eyes and mouths
	// padFaces are the faces' colours, score 1 to 5.
	padFaces = []color.NRGBA{
		{R: 0xef, G: 0x53, B: 0x50, A: 0xff},
		{R: 0xff, G: 0x98, B: 0x00, A: 0xff},
		{R: 0xfd, G: 0xd8, B: 0x35, A: 0xff},
		{R: 0x9c, G: 0xcc, B: 0x65, A: 0xff},
		{R: 0x4c, G: 0xaf, B: 0x50, A: 0xff},
	}
)

// Sizes of the rating pad, in Fyne units at scale 1. A 7" 800x480 screen
// has about 133 dpi, so padTarget (80 units) is 15 mm there, and 17 mm on
// a 10" 1024x600 one: a target for any finger, an unsteady one included.
const (
	padTarget float32 = 80
	padText   float32 = 28
)

// padTheme is Fyne's dark theme in the pad's palette, with large text.
type padTheme struct{ fyne.Theme }

func (t padTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	switch n {
	case theme.ColorNameBackground:
		return padGround
	case theme.ColorNameForeground:
		return padInk
	case theme.ColorNameButton:
		return padTile
	case theme.ColorNameHover:
		return padHover
	case theme.ColorNamePressed:
		return padPressed
	}
	return t.Theme.Color(n, theme.VariantDark)
}

func (t padTheme) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case theme.SizeNameText:
		return padText
	case theme.SizeNameInputRadius:
		return 12
	}
	return t.Theme.Size(n)
}

// NewPadTheme is the rating pad's theme, for the app to set.
func NewPadTheme() fyne.Theme { return padTheme{theme.DefaultTheme()} }

// flowShortRow grounds an hour of the forecast the staffing plan falls
// short in, under its text in the error colour.
var flowShortRow = color.NRGBA{R: 0xa1, G: 0x22, B: 0x1a, A: 0x14}
