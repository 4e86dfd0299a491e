/** The blessed-contrib wall display: it only draws a DashboardModel. */
import blessed from 'blessed';
import contrib from 'blessed-contrib';
import type { DashboardModel } from '../../src/console/dashboard-model.js';

const COLORS: Record<string, string> = { registered: 'green', trial: 'cyan', pending: 'yellow', expired: 'red', anonymous: 'white' };

export type Wall = { draw(model: DashboardModel): void; onQuit(handler: () => void): void; destroy(): void };

/** Creates the wall on `screen` options (a TTY by default; tests pass their own streams). */
export function createWall(screenOptions: blessed.Widgets.IScreenOptions = {}): Wall {
  const screen = blessed.screen({ smartCSR: true, title: 'callhome dashboard', ...screenOptions });
  const grid = new contrib.grid({ rows: 12, cols: 12, screen });
  const line = grid.set(0, 0, 6, 8, contrib.line, { label: ' Messages per minute ', showLegend: false, style: { line: 'cyan', text: 'white', baseline: 'white' } });
  const donut = grid.set(0, 8, 6, 4, contrib.donut, { label: ' Registration ', radius: 10, arcWidth: 3, remainColor: 'black' });
  const bar = grid.set(6, 0, 6, 5, contrib.bar, { label: ' Messages by severity ', barWidth: 5, barSpacing: 1, xOffset: 0, maxHeight: 10 });
  const table = grid.set(6, 5, 6, 3, contrib.table, { label: ' Mail servers ', columnWidth: [10, 16, 14], keys: false, interactive: false });
  const log = grid.set(6, 8, 6, 4, contrib.log, { label: ' Latest critical events ', fg: 'red' });
  const status = blessed.box({ parent: screen, bottom: 0, right: 0, height: 1, width: 'shrink', content: '' });
  let shownCritical: readonly string[] = [];
  return {
    draw(model) {
      line.setData([{ title: 'messages', x: [...model.perMinute.x], y: [...model.perMinute.y] }]);
      bar.setData({ titles: [...model.severity.titles], data: [...model.severity.data] });
      donut.setData(model.registration.map((r) => ({ label: `${r.label} ${r.count}`, percent: r.percent, color: COLORS[r.label] ?? 'white' })));
      table.setData({ headers: [...model.mail.headers], data: model.mail.data.map((r) => [...r]) });
      // Log only what is new, oldest first.
      const fresh = model.critical.filter((c) => !shownCritical.includes(c)).reverse();
      for (const c of fresh) log.log(c);
      shownCritical = model.critical;
      status.setContent(` ${model.status} · q quits `);
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
