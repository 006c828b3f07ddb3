package history

// YearOffice is yearOffice for the external benchmarks (the PDF's).
var YearOffice = yearOffice
