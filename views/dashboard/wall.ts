/** The blessed-contrib wall display: it only draws a DashboardModel, laid out for the screen's size. */
import blessed from 'blessed';
import contrib from 'blessed-contrib';
import type { DashboardModel } from '../../src/console/dashboard-model.js';

const COLORS: Record<string, string> = { registered: 'green', trial: 'cyan', pending: 'yellow', expired: 'red', anonymous: 'white' };

export type Wall = { draw(model: DashboardModel): void; onQuit(handler: () => void): void; destroy(): void };

/** Widths of the mail table's columns (device, server, status) for a panel `inner` characters wide. */
export function mailColumnWidths(inner: number): [number, number, number] {
  const status = 13; // "Not Available"
  const device = Math.max(9, Math.min(12, Math.floor((inner - status - 2) / 3)));
  return [device, Math.max(6, inner - status - device - 2), status];
}

/** Creates the wall on `screen` options (a TTY by default; tests pass their own streams). */
export function createWall(screenOptions: blessed.Widgets.IScreenOptions = {}): Wall {
  const screen = blessed.screen({ smartCSR: true, title: 'callhome dashboard', ...screenOptions });
  const grid = new contrib.grid({ rows: 12, cols: 12, screen });
  // Narrow walls (80 columns) give the mail panel half the width so names and status stay readable.
  const narrow = Number(screen.width) < 120;
  const [sevCols, mailCols] = narrow ? [3, 6] : [3, 5];
  const logCols = 12 - sevCols - mailCols;
  const line = grid.set(0, 0, 6, 8, contrib.line, { label: ' Messages per minute ', showLegend: false, wholeNumbersOnly: true, style: { line: 'cyan', text: 'white', baseline: 'white' } });
  const donut = grid.set(0, 8, 6, 4, contrib.donut, { label: ' Registration ', radius: narrow ? 6 : 10, arcWidth: narrow ? 2 : 3, remainColor: 'black' });
  const severity = grid.set(6, 0, 6, sevCols, blessed.box, { label: narrow ? ' Severity ' : ' Messages by severity ', tags: false });
  const mailInner = Math.floor((Number(screen.width) * mailCols) / 12) - 4;
  const table = grid.set(6, sevCols, 6, mailCols, contrib.table, { label: ' Mail servers ', columnWidth: mailColumnWidths(mailInner), columnSpacing: 1, keys: false, interactive: false });
  const log = grid.set(6, sevCols + mailCols, 6, logCols, contrib.log, { label: narrow ? ' Critical ' : ' Latest critical events ', fg: 'red' });
  const status = blessed.box({ parent: screen, bottom: 0, right: 0, height: 1, width: 'shrink', content: '' });
  const alarm = blessed.box({
    parent: screen,
    top: 'center',
    left: 'center',
    width: '80%',
    height: narrow ? 9 : 13,
    border: { type: 'line' },
    style: { bg: 'red', fg: 'white', bold: true, border: { fg: 'white', bg: 'red' } },
    align: 'center',
    valign: 'middle',
    hidden: true,
    content: '',
  });
  let shownCritical: readonly string[] = [];
  return {
    draw(model) {
      line.setData([{ title: 'messages', x: [...model.perMinute.x], y: [...model.perMinute.y] }]);
      const width = Math.max(...model.severity.map((s) => s.label.length));
      severity.setContent(model.severity.map((s) => `${s.label.padEnd(width)} ${String(s.count).padStart(4)}`).join('\n'));
      donut.setData(model.registration.map((r) => ({ label: `${r.label} ${r.count}`, percent: r.percent, color: COLORS[r.label] ?? 'white' })));
      table.setData({ headers: [...model.mail.headers], data: model.mail.data.map((r) => [...r]) });
      // Log only what is new, oldest first.
      const fresh = model.critical.filter((c) => !shownCritical.includes(c)).reverse();
      for (const c of fresh) log.log(c);
      shownCritical = model.critical;
      status.setContent(` ${model.status} · q quits `);
      if (model.alarm === null) alarm.hide();
      else {
        const spaced = model.alarm.title.split('').join(' ');
        alarm.setContent(`${spaced}\n\n${model.alarm.lines.join('\n')}`);
        alarm.show();
        alarm.setFront();
      }
      screen.render();
    },
    onQuit(handler) {
      screen.key(['q', 'C-c', 'escape'], handler);
    },
    destroy() {
      screen.destroy();
    },
  };
}
