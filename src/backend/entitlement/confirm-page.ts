/**
 * The page the Pending Registration mail links to (S11): the serial and the security token filled in;
 * the person adds their API token and confirms, which posts to the REST API from the same origin.
 */
import type { ServerResponse } from 'node:http';

export const CONFIRM_PAGE_PATH = '/registration/confirm';

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Answers GET /registration/confirm?serial=…&token=…; nothing is confirmed until the form is sent. */
export function serveConfirmPage(url: URL, res: ServerResponse): void {
  const serial = (url.searchParams.get('serial') ?? '').slice(0, 256);
  const token = (url.searchParams.get('token') ?? '').slice(0, 512);
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Confirm device registration</title>
<meta name="referrer" content="no-referrer"></head>
<body>
<h1>Confirm device registration</h1>
<form id="f">
<p><label>Serial number <input name="serial" value="${escapeHtml(serial)}" required></label></p>
<p><label>Security token <input name="token" value="${escapeHtml(token)}" required></label></p>
<p><label>Your API token <input name="api" type="password" autocomplete="current-password" required></label></p>
<p><button>Confirm</button></p>
</form>
<pre id="out"></pre>
<p>Or on the command line: <code>callhome registration confirm ${escapeHtml(serial)}</code> and paste the token or this page's link.</p>
<script>
document.getElementById('f').addEventListener('submit', async (e) => {
  e.preventDefault();
  const f = new FormData(e.target);
  const r = await fetch('/api/v1/registrations/' + encodeURIComponent(f.get('serial')) + '/confirm', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer ' + f.get('api') },
    body: JSON.stringify({ token: f.get('token') }),
  });
  const b = await r.json().catch(() => ({}));
  document.getElementById('out').textContent = r.ok ? 'Registered: ' + b.registration.state + ' (' + (b.registration.contractNumber || '') + ')' : (b.error || r.status) + ': ' + (b.reason || '');
});
</script>
</body></html>
`;
  res.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; script-src 'unsafe-inline'; connect-src 'self'; form-action 'none'; frame-ancestors 'none'",
    'referrer-policy': 'no-referrer',
  });
  res.end(html);
}
