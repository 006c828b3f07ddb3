package history_test

import (
	"context"
	"io"
	"testing"

	"turno/server/history"
	"turno/server/reportpdf"
)

// BenchmarkReportYearPDF: the PDF report of a year of a busy office, its
// figures and the forecast included, as GET /api/v1/reports?format=pdf
// makes it.
func BenchmarkReportYearPDF(b *testing.B) {
	r, _ := history.YearOffice(b)
	for b.Loop() {
		ov, err := r.Overview(context.Background(), "2025-01-06", "2026-01-02", 14)
		if err != nil {
			b.Fatal(err)
		}
		if err := reportpdf.Write(io.Discard, reportpdf.Data{Overview: ov}); err != nil {
			b.Fatal(err)
		}
	}
}
