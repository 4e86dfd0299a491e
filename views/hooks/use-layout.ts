import { createContext, useContext } from 'react';
import type { CellContext } from '../../src/console/columns.js';

/** The terminal width and what cells need (time style, now), provided by the console frame. */
export type Layout = { readonly width: number; readonly cell: CellContext };

export const LayoutContext = createContext<Layout>({ width: 80, cell: { timeStyle: 'utc', now: 0 } });

/** The layout the screens render for. */
export function useLayout(): Layout {
  return useContext(LayoutContext);
}
