package assets

import "embed"

// Prenota holds the templates of the citizens' booking page (/prenota)
// under prenota/: layout.html and one file per page, drawn by the server
// with html/template. The page's style sheet and script are with the other
// web files (web/prenota.css, web/prenota.js).
//
//go:embed prenota
var Prenota embed.FS
