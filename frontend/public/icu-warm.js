// Run as a throwaway worker by index.html: the first date formatted in a
// process loads the locale's data (tens of ms); done here, in parallel with
// the app's script loading, the list's first dates cost the window nothing.
new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' }).format(0);
postMessage(0);
