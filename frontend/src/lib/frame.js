// The sandboxed frame an HTML mail is shown in. Plain JavaScript so that
// the window (through Vite) and the Chromium test (through node) build the
// very same frame.
//
// Two walls: the body was already sanitized in Go (backend/htmlsafe); here
// the frame has a sandbox with no permission at all (no allow-scripts, no
// allow-same-origin, no popups, no forms, no top navigation), so even markup
// that slipped through could not run, reach window.parent.go or navigate the
// window, and a Content-Security-Policy that allows no network: only inline
// styles and data: images, plus http(s) images once the user chose to load
// them.

/** The iframe's sandbox attribute: every permission withheld. */
export const FRAME_SANDBOX = '';

/**
 * The policy for the frame's document.
 * @param {boolean} remoteImages whether the user allowed remote images
 * @returns {string}
 */
export function frameCSP(remoteImages) {
  return [
    "default-src 'none'",
    "script-src 'none'",
    "object-src 'none'",
    "style-src 'unsafe-inline'",
    'img-src data:' + (remoteImages ? ' https: http:' : ''),
    "font-src 'none'",
    "media-src 'none'",
    "connect-src 'none'",
    "frame-src 'none'",
    "child-src 'none'",
    "worker-src 'none'",
    "manifest-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
}

const BASE_CSS = `
html { background: #ffffff; color: #1c1f24; }
body { margin: 12px; font: 14px/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, Ubuntu, 'Noto Sans', Arial, sans-serif; overflow-wrap: anywhere; }
img { max-width: 100%; height: auto; }
img.tidings-blocked, img.tidings-inline { display: inline-block; min-width: 24px; min-height: 18px; background: #eceef2; border: 1px dashed #a0a6b0; }
table { max-width: 100%; }
pre { white-space: pre-wrap; }
a { color: #2456c7; }
blockquote { margin: 0 0 0 8px; padding-left: 8px; border-left: 3px solid #dfe2e8; color: #555c68; }
`;

/** @param {string} s */
function escapeAttr(s) {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The srcdoc for a sanitized body.
 * @param {string} bodyHtml the sanitized body fragment
 * @param {{ remoteImages?: boolean }} [opts]
 * @returns {string}
 */
export function frameDocument(bodyHtml, opts = {}) {
  const csp = frameCSP(!!opts.remoteImages);
  return (
    '<!doctype html><html><head><meta charset="utf-8">' +
    `<meta http-equiv="Content-Security-Policy" content="${escapeAttr(csp)}">` +
    '<meta name="referrer" content="no-referrer">' +
    `<style>${BASE_CSS}</style></head><body>${bodyHtml}</body></html>`
  );
}

/**
 * The attributes of the iframe element, besides srcdoc.
 * @param {boolean} remoteImages
 * @returns {Record<string, string>}
 */
export function frameAttributes(remoteImages) {
  return {
    sandbox: FRAME_SANDBOX,
    // Chromium enforces this on the frame too (embedded enforcement).
    csp: frameCSP(remoteImages),
    referrerpolicy: 'no-referrer',
    loading: 'lazy',
  };
}
