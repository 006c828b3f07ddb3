package web_test

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"turno/server/client"
	"turno/server/officetest"
	"turno/server/queue"
)

// The console in a real browser: headless Chromium driven over the
// DevTools protocol, with scripts off (the console must not need them),
// signing in, typing and pressing buttons as an office manager does.

// consoleBrowser is one page of a headless Chromium.
// consoleBrowser is a desktop page of a headless Chromium (devtools), with
// scripts off: the console must work without them.
type consoleBrowser struct {
	*devtools
}

func openConsoleBrowser(t *testing.T, width, height int, lang string) *consoleBrowser {
	t.Helper()
	b := &consoleBrowser{startChromium(t, width, height, lang)}
	b.call("Network.setUserAgentOverride", map[string]any{"userAgent": "Mozilla/5.0 (X11; Linux x86_64) Turno-test", "acceptLanguage": lang}, nil)
	b.resize(width, height)
	b.call("Emulation.setScriptExecutionDisabled", map[string]any{"value": true}, nil)
	return b
}

func (b *consoleBrowser) resize(width, height int) {
	b.t.Helper()
	b.call("Emulation.setDeviceMetricsOverride", map[string]any{"width": width, "height": height, "deviceScaleFactor": 1, "mobile": false}, nil)
}

// submit clicks a button that sends a form and waits for the answer.
func (b *consoleBrowser) submit(selector string) {
	b.t.Helper()
	b.loads(func() { b.click(selector) })
}

// typeInto focuses a field, selects what it holds (Ctrl+A) and types text
// over it, as a person does.
func (b *consoleBrowser) typeInto(selector, text string) {
	b.t.Helper()
	b.call("DOM.focus", map[string]any{"nodeId": b.node(selector)}, nil)
	for _, typ := range []string{"keyDown", "keyUp"} {
		b.call("Input.dispatchKeyEvent", map[string]any{"type": typ, "modifiers": 2, "key": "a", "code": "KeyA", "windowsVirtualKeyCode": 65,
			"commands": []string{"selectAll"}}, nil)
	}
	b.call("Input.insertText", map[string]any{"text": text}, nil)
}

// setDate fills a date field, which takes its digits field by field:
// its value attribute is what the picker would set.
func (b *consoleBrowser) setDate(selector, date string) {
	b.t.Helper()
	b.call("DOM.setAttributeValue", map[string]any{"nodeId": b.node(selector), "name": "value", "value": date}, nil)
}

// screenshot writes the page to $TURNO_SCREENSHOTS/name when set: the
// viewport, or the whole page with full.
func (b *consoleBrowser) screenshot(name string, full bool) {
	b.t.Helper()
	dir := os.Getenv("TURNO_SCREENSHOTS")
	if dir == "" {
		return
	}
	params := map[string]any{"format": "png"}
	if full {
		var m struct {
			CSSContentSize struct{ Width, Height float64 }
		}
		b.call("Page.getLayoutMetrics", nil, &m)
		params["captureBeyondViewport"] = true
		params["clip"] = map[string]any{"x": 0, "y": 0, "width": m.CSSContentSize.Width, "height": m.CSSContentSize.Height, "scale": 1}
	}
	var shot struct{ Data string }
	b.call("Page.captureScreenshot", params, &shot)
	data, err := base64.StdEncoding.DecodeString(shot.Data)
	if err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// accessible checks that every control of the page has a name a screen
// reader announces, and that the page has one level-1 heading.
func (b *consoleBrowser) accessible(page string) {
	b.t.Helper()
	var tree struct {
		Nodes []struct {
			Ignored    bool
			Role       struct{ Value string }
			Name       struct{ Value string }
			Properties []struct {
				Name  string
				Value struct{ Value any }
			}
		}
	}
	b.call("Accessibility.getFullAXTree", nil, &tree)
	controls, h1 := 0, 0
	for _, n := range tree.Nodes {
		if n.Ignored {
			continue
		}
		switch n.Role.Value {
		case "textbox", "button", "link", "checkbox", "combobox", "DisclosureTriangle":
			controls++
			if strings.TrimSpace(n.Name.Value) == "" {
				b.t.Errorf("%s: a %s without a name", page, n.Role.Value)
			}
		case "heading":
			for _, p := range n.Properties {
				if p.Name == "level" && p.Value.Value == float64(1) {
					h1++
				}
			}
		}
	}
	if controls == 0 || h1 != 1 {
		b.t.Errorf("%s: %d controls, %d h1", page, controls, h1)
	}
}

func TestTheConsoleInABrowser(t *testing.T) {
	o := officetest.Start(t, officetest.Tuesday("10:00"))
	kiosk := kioskStream(t, o, officetest.KioskToken)
	b := openConsoleBrowser(t, 1366, 768, "it-IT")

	// Sign in.
	b.navigate(o.URL + "/admin")
	b.has(`<html lang="it">`, "Accesso alla console")
	b.screenshot("console-login.png", false)
	b.typeInto(`input[name="user"]`, "admin")
	b.typeInto(`input[name="password"]`, officetest.Password)
	b.submit(`form[action="/admin/login"] button[type="submit"]`)
	b.has("Amministrazione", `aria-current="page">Inizio</a>`, "Amministratore")

	// A closure today, while the office is open: refused with its field,
	// then applied when forced. The kiosk's services close.
	b.navigate(o.URL + "/admin/office")
	b.setDate(`input[name="from"]`, "2026-11-24")
	b.typeInto(`form[action="/admin/closures"] input[name="reason"]`, "sciopero generale")
	b.submit(`form[action="/admin/closures"] button[type="submit"]`)
	b.has("La modifica non è stata applicata", "<b>Ufficio › chiusure</b>", "diventerebbe chiusa", "Applica comunque")
	b.screenshot("console-refusal.png", false)
	b.submit(`form.retry button[name="force"]`)
	b.has("Salvato: la nuova versione è in vigore", "2026-11-24", `<span class="tag warn">oggi</span>`)
	waitModel(t, kiosk, "every service closed", func(m client.Model) bool {
		for _, s := range m.Services {
			if s.Status != queue.ServiceClosed {
				return false
			}
		}
		return true
	})

	// A sheet: previewed as the kiosk and the counter show it, then saved;
	// the kiosk has it at once.
	sheet := "**Cosa portare / What to bring**\n- documento d'identità / identity document\n- *novità*: la marca da bollo da 16 € / a 16 € revenue stamp"
	b.navigate(o.URL + "/admin/sheets/anagrafe")
	b.typeInto(`textarea[name="info"]`, sheet)
	b.submit(`button[value="preview"]`)
	b.has("Anteprima: la scheda non è ancora salvata",
		`<div class="kiosk" id="kiosk-preview"><p><strong>Cosa portare / What to bring</strong></p><p class="bullet">documento d'identità / identity document</p><p class="bullet">*novità*: la marca da bollo da 16 € / a 16 € revenue stamp</p></div>`,
		`<li><em>novità</em>: la marca da bollo da 16 € / a 16 € revenue stamp</li>`)
	if got := o.Current.Load().Office.Service("anagrafe").Info; got == sheet {
		t.Fatal("the preview saved the sheet")
	}
	b.screenshot("console-sheet.png", false)
	b.submit(`button[value="save"]`)
	b.has("Salvato")
	waitModel(t, kiosk, "the new sheet", func(m client.Model) bool { return m.Service("anagrafe").Info == sheet })

	// The history names who, when, why and what.
	b.navigate(o.URL + "/admin/history")
	b.has("sciopero generale", ">admin<", "prima versione")
	b.navigate(o.URL + "/admin/history/2")
	b.has("Ufficio", "chiusure", `<td class="after">["2026-11-24"]</td>`)

	// Screens for the documentation, and a look at each at the laptop's
	// and the tablet's size.
	for _, shot := range []struct {
		path, name string
		w, h       int
		full       bool
	}{
		{"/admin", "console-home.png", 1366, 768, false},
		{"/admin/office", "console-office.png", 1366, 768, true},
		{"/admin/services", "console-services.png", 1366, 768, false},
		{"/admin/services/documenti", "console-service.png", 1280, 800, true},
		{"/admin/counters", "console-counters.png", 1280, 800, false},
		{"/admin/staffing", "console-staffing.png", 1366, 768, true},
		{"/admin/users", "console-users.png", 1280, 800, false},
		{"/admin/devices", "console-devices.png", 1280, 800, false},
		{"/admin/history", "console-history.png", 1366, 768, false},
		{"/admin/history/3?lang=en", "console-version-en.png", 1366, 768, true},
		{"/admin/sheets/anagrafe", "console-sheet-tablet.png", 800, 1280, false},
	} {
		b.resize(shot.w, shot.h)
		b.navigate(o.URL + shot.path)
		b.accessible(shot.path)
		b.screenshot(shot.name, shot.full)
	}
	b.resize(1366, 768)

	// Sign out; a clerk cannot open the console.
	b.navigate(o.URL + "/admin")
	b.submit(`form[action="/admin/logout"] button`)
	b.has("Accesso alla console")
	b.typeInto(`input[name="user"]`, "mario")
	b.typeInto(`input[name="password"]`, officetest.Password)
	b.submit(`form[action="/admin/login"] button[type="submit"]`)
	b.has("Accesso negato", "Il ruolo operatore di sportello non può usare la console di amministrazione")
	b.screenshot("console-clerk.png", false)
	b.navigate(o.URL + "/admin/office")
	if page := b.html(); !strings.Contains(page, "Accesso alla console") || strings.Contains(page, "Orari di apertura") {
		t.Fatalf("a clerk reached the office's page:\n%s", page)
	}
}
