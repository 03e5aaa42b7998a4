/** The inspector's one stylesheet, served at /inspect/style.css (the CSP allows no inline style). */
export const INSPECTOR_CSS = `
:root { color-scheme: light; --line: #d8dde3; --muted: #5b6570; --accent: #1f5fbf; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, sans-serif; margin: 0; color: #1c2228; background: #f6f7f9; }
header { background: #1c2228; color: #fff; padding: 10px 20px; display: flex; gap: 20px; align-items: center; }
header a { color: #fff; text-decoration: none; font-weight: 600; }
header form { margin-left: auto; }
main { padding: 16px 20px; max-width: 1100px; }
h1 { font-size: 20px; margin: 4px 0 12px; }
h2 { font-size: 16px; margin: 18px 0 8px; }
a { color: var(--accent); }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { border-bottom: 1px solid var(--line); padding: 6px 8px; text-align: left; vertical-align: top; }
th { font-size: 12px; color: var(--muted); font-weight: 600; }
code, pre { font: 12px/1.4 ui-monospace, monospace; }
pre { background: #f0f2f5; padding: 8px; white-space: pre-wrap; margin: 6px 0; border-radius: 4px; }
.muted { color: var(--muted); }
.entry { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; margin: 8px 0; }
.entry.turn { border-left: 4px solid #8a99a8; }
.entry.event { border-left: 4px solid var(--accent); }
.entry.model-call { border-left: 4px solid #b26b00; background: #fffaf2; }
.tag { display: inline-block; font-size: 11px; padding: 1px 6px; border-radius: 10px; background: #e7ebf0; margin-right: 4px; }
.ok { background: #dcf3e2; color: #155e2b; }
.late { background: #fde2e1; color: #8a1c17; }
.superseded { background: #fdf0d5; color: #7a4b00; }
.current { background: #dcf3e2; color: #155e2b; }
.expired { background: #eceff3; color: #5b6570; }
.highlight { outline: 2px solid #b26b00; }
details > summary { cursor: pointer; }
.pager { margin: 12px 0; display: flex; gap: 12px; }
form.inline { display: inline; }
input[type=text], input[type=password] { padding: 6px; width: 360px; max-width: 100%; }
button { padding: 6px 12px; }
.error { color: #8a1c17; }
`;
