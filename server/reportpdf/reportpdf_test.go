package reportpdf_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"turno/server/config"
	"turno/server/history"
	"turno/server/history/historytest"
	"turno/server/reportpdf"
	"turno/server/store"
)

// overview plays four weeks of the demo office through the engine into a
// real store and reads them back as the report does.
func overview(t *testing.T, from, to string) (*history.Overview, *config.Config) {
	t.Helper()
	cfg, err := config.Demo()
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(filepath.Join(t.TempDir(), "turno.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	historytest.Generate(t, cfg, st, historytest.Options{From: "2026-05-04", Days: 20, PerDay: 80, Seed: 1, Appointments: true})
	if _, err := history.NewKeeper(&cfg.Office, st, history.FoldOptions{}, nil).CatchUp(context.Background()); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 6, 1, 9, 0, 0, 0, cfg.Office.Location)
	ov, err := history.NewReports(cfg, st, func() time.Time { return now }).Overview(context.Background(), from, to, 14)
	if err != nil {
		t.Fatal(err)
	}
	return ov, cfg
}

// pdfText extracts the text with pdftotext when it is installed.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext is not installed (apt-get install poppler-utils)")
	}
	path := filepath.Join(t.TempDir(), "r.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func TestReportPDF(t *testing.T) {
	ov, cfg := overview(t, "2026-05-01", "2026-05-31")
	for _, lang := range []string{"it", "en"} {
		t.Run(lang, func(t *testing.T) {
			var buf bytes.Buffer
			if err := reportpdf.Write(&buf, reportpdf.Data{Overview: ov, Lang: lang, Location: cfg.Office.Location}); err != nil {
				t.Fatal(err)
			}
			pdf := buf.Bytes()
			if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
				t.Fatal("not a PDF")
			}
			// The same figures make the same bytes.
			var again bytes.Buffer
			if err := reportpdf.Write(&again, reportpdf.Data{Overview: ov, Lang: lang, Location: cfg.Office.Location}); err != nil || !bytes.Equal(again.Bytes(), pdf) {
				t.Fatal("the PDF is not a function of its data")
			}
			text := pdfText(t, pdf)
			want := map[string][]string{
				"it": {"Comune di Borgo Demo", "Rapporto sugli indicatori", "01/05/2026 – 31/05/2026", "Filtro dello sportello", "Attesa mediana",
					"Per servizio", "Anagrafe e stato civile", "Per sportello", "Sportello 6 — Consegna rapida", "Previsione", "Festa della Repubblica", "Pagina 1 di"},
				"en": {"Indicators report", "The desk as a filter", "Median wait", "By service", "By counter", "Forecast", "Republic Day", "Page 1 of"},
			}[lang]
			for _, w := range want {
				if !strings.Contains(text, w) {
					t.Errorf("the PDF has no %q", w)
				}
			}
			if dir := os.Getenv("TURNO_SCREENSHOTS"); dir != "" && lang == "it" {
				shot(t, pdf, dir)
			}
		})
	}
}

// shot saves the report and the picture of its first page for the README.
func shot(t *testing.T, pdf []byte, dir string) {
	t.Helper()
	path := filepath.Join(dir, "report.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, page := range []string{"1", "3"} {
		out := filepath.Join(dir, "report-page"+page)
		if err := exec.Command("pdftoppm", "-png", "-r", "70", "-f", page, "-l", page, "-singlefile", path, out).Run(); err != nil {
			t.Fatal(err)
		}
	}
	os.Remove(path)
}

func TestAnEmptyPeriodPrints(t *testing.T) {
	ov, cfg := overview(t, "2025-01-01", "2025-01-31")
	var buf bytes.Buffer
	if err := reportpdf.Write(&buf, reportpdf.Data{Overview: ov, Location: cfg.Office.Location}); err != nil {
		t.Fatal(err)
	}
	if text := pdfText(t, buf.Bytes()); !strings.Contains(text, "nessun dato nel periodo") {
		t.Fatal("an empty period does not say so")
	}
	if err := reportpdf.Write(&buf, reportpdf.Data{}); err == nil {
		t.Fatal("no figures printed a report")
	}
}
