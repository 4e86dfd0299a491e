/** The small part of blessed-contrib the wall dashboard uses (the package ships no types). */
declare module 'blessed-contrib' {
  import type { Widgets } from 'blessed';
  type Widget = Widgets.BoxElement;
  export class grid {
    constructor(options: { rows: number; cols: number; screen: Widgets.Screen });
    set<O extends object, W>(row: number, col: number, rowSpan: number, colSpan: number, factory: (options: O) => W, options: O): W;
  }
  export function line(options: Record<string, unknown>): Widget & { setData(series: { title: string; x: string[]; y: number[]; style?: { line: string } }[]): void };
  export function bar(options: Record<string, unknown>): Widget & { setData(data: { titles: string[]; data: number[] }): void };
  export function donut(options: Record<string, unknown>): Widget & { setData(data: { label: string; percent: number; color: string }[]): void };
  export function table(options: Record<string, unknown>): Widget & { setData(data: { headers: string[]; data: string[][] }): void };
  export function log(options: Record<string, unknown>): Widget & { log(line: string): void; setItems?(items: string[]): void; logLines: string[] };
}
