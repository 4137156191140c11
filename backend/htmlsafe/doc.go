// Package htmlsafe turns untrusted HTML mail into HTML that is safe to show.
//
// It is the first of two walls: Sanitize applies Tidings' own strict email
// policy (bluemonday underneath), and the window then renders the result in
// an <iframe sandbox srcdoc> with neither allow-scripts nor allow-same-origin,
// under a Content-Security-Policy that allows no network.
//
// The policy keeps what mail needs to read well (text formatting, lists,
// tables, images, links) and nothing that runs, submits, navigates or
// fetches: no script, no event handler, no form, no frame, no object, no SVG
// or MathML, no <base>, no <meta>, no <link>, no <style> element; links only
// to http, https and mailto; only listed CSS properties in style attributes,
// and never url(), expression() or a CSS escape. Remote images are replaced
// by placeholders unless the caller allows them, and tracking pixels are
// removed and named.
package htmlsafe
