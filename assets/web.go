package assets

import "embed"

// Web holds the server's web pages under web/: the phone's ticket page
// (ticket.html, ticket.css, ticket.js), plain files with no build step.
//
//go:embed web
var Web embed.FS
